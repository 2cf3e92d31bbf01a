package dev.jgrad.autograd;

/**
 * The gradient formula of one input of an op: given the gradient flowing into the op's output and
 * the output itself, the gradient for that input. Written with Tensor ops, so it is differentiable
 * again when backward runs with {@code createGraph}.
 *
 * <pre>{@code
 * Formula expInput = (grad, out) -> grad.mul(out);   // d/dx eˣ = eˣ
 * }</pre>
 */
@FunctionalInterface
public interface Formula {
  /** The gradient with respect to the input, or null when it is zero everywhere. */
  Tensor apply(Tensor grad, Tensor output);
}
