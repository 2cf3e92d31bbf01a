package dev.jgrad.tensor;

/**
 * The result of a reduction that also locates its result, such as {@link NDArray#max(int,
 * boolean)}: the values and, as INT32, their indices along the reduced dim.
 *
 * <pre>{@code
 * ValuesAndIndices best = logits.max(1, false);
 * NDArray predictedClass = best.indices();
 * }</pre>
 */
public record ValuesAndIndices(NDArray values, NDArray indices) {}
