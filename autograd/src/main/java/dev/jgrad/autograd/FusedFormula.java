package dev.jgrad.autograd;

import dev.jgrad.tensor.NDArray;

/**
 * A gradient formula with a fused first-order kernel as an optional fast path: one pass and one
 * result array where the composed formula takes several (PyTorch's {@code sigmoid_backward} and
 * {@code threshold_backward} are such kernels).
 *
 * <p>{@link #composed} is the definition: written with Tensor ops, it is differentiable again. When
 * no graph of the gradient is being built (grad mode off, as in every first-order backward), {@link
 * #apply} runs {@link #fused} on the raw arrays instead, which must give the same bits; {@code
 * FusedFormulaProperties} checks that for every permitted implementation. A kernel covers the
 * operands it is fast for (dense FLOAT32) and returns null for the others, which then take the
 * composed formula.
 *
 * <pre>{@code
 * // in a rule file, beside the op:
 * record SigmoidGrad() implements FusedFormula {
 *   public Tensor composed(Tensor g, Tensor y) { return g.mul(y.mul(y.neg().add(1))); }
 *   public NDArray fused(NDArray g, NDArray y) { return GradKernels.sigmoidBackward(g, y); }
 * }
 * }</pre>
 */
sealed interface FusedFormula extends Formula
    permits ActivationRules.SigmoidGrad,
        ActivationRules.ReluGrad,
        ActivationRules.GeluGrad,
        ReductionRules.LogSoftmaxGrad,
        LossRules.BinaryCrossEntropyGrad,
        NormalizationRules.NormGrad,
        NormalizationRules.BatchNormGrad,
        NormalizationRules.BatchNormWeightGrad {

  /** The gradient composed from Tensor ops: the definition, differentiable again. */
  Tensor composed(Tensor grad, Tensor output);

  /**
   * The same values as {@link #composed}, bit for bit, from one fused kernel; null when the kernel
   * does not cover these operands (other dtypes, layouts or shapes).
   */
  NDArray fused(NDArray grad, NDArray output);

  @Override
  default Tensor apply(Tensor grad, Tensor output) {
    if (!GradMode.isEnabled()) { // no graph of the gradient is wanted: the fast path may run
      NDArray fast = fused(grad.data(), output.data());
      if (fast != null) {
        return new Tensor(fast);
      }
    }
    return composed(grad, output);
  }
}
