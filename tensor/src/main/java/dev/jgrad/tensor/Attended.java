package dev.jgrad.tensor;

/**
 * The result of {@link NDArray#scaledDotProductAttention}: the attended values [.., L, Ev] and the
 * attention probabilities [.., L, S] that weighted them (each row sums to 1).
 *
 * <pre>{@code
 * Attended a = NDArray.scaledDotProductAttention(q, k, v, null, true, 0.125);
 * NDArray y = a.output();
 * }</pre>
 */
public record Attended(NDArray output, NDArray probabilities) {}
