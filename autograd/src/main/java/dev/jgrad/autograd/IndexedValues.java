package dev.jgrad.autograd;

/**
 * Values found along a dim and their INT32 indices, as {@link Tensor#max(int, boolean)} returns
 * them. The values carry gradients; the indices do not.
 *
 * <pre>{@code
 * IndexedValues best = logits.max(1, false);
 * Tensor predicted = best.indices();
 * }</pre>
 */
public record IndexedValues(Tensor values, Tensor indices) {}
