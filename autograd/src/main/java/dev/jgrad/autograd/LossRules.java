package dev.jgrad.autograd;

import dev.jgrad.autograd.Graph.Saves;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.kernel.Shapes;
import java.util.Arrays;

/**
 * Losses that are one fused op rather than a composition (the others live in {@code nn}'s {@code
 * F}, composed of Tensor ops). Binary cross-entropy is one op because PyTorch clamps its logs and
 * its gradient's denominator, which a composition would not reproduce at p = 0 and p = 1.
 */
final class LossRules {
  /** log p is clamped at this value in binary cross-entropy, as in PyTorch. */
  static final float BCE_LOG_MIN = -100f;

  /** The smallest p·(1 − p) the binary cross-entropy gradient divides by, as in PyTorch. */
  static final float BCE_EPSILON = 1e-12f;

  private LossRules() {}

  /**
   * ℓ(p, y) = −(y·max(log p, −100) + (1 − y)·max(log(1 − p), −100)) elementwise: d/dp = (p − y) /
   * max(p·(1 − p), 10⁻¹²), d/dy = max(log(1 − p), −100) − max(log p, −100). The forward is one
   * fused kernel on dense FLOAT32 operands, {@link #binaryCrossEntropyFormula} on the others.
   */
  static Tensor binaryCrossEntropy(Tensor p, Tensor y) {
    checkSameShape(p.data(), y.data());
    NDArray loss = GradKernels.binaryCrossEntropy(p.data(), y.data());
    if (loss == null) {
      checkProbabilities(p.data());
      loss = binaryCrossEntropyFormula(Graph.constant(p.data()), Graph.constant(y.data())).data();
    }
    return Graph.record(
        "BinaryCrossEntropy",
        loss,
        Saves.INPUTS,
        p,
        y,
        new BinaryCrossEntropyGrad(p, y),
        (g, out) ->
            g.mul(p.neg().add(1).log().clampMin(BCE_LOG_MIN).sub(p.log().clampMin(BCE_LOG_MIN))));
  }

  /** The loss composed of Tensor ops: the definition that the fused forward kernel matches. */
  static Tensor binaryCrossEntropyFormula(Tensor p, Tensor y) {
    Tensor logP = p.log().clampMin(BCE_LOG_MIN);
    Tensor log1mP = p.neg().add(1).log().clampMin(BCE_LOG_MIN);
    return y.mul(logP).add(y.neg().add(1).mul(log1mP)).neg();
  }

  /**
   * d/dp = g·(p − y) / max(p·(1 − p), 10⁻¹²); fused: {@link
   * GradKernels#binaryCrossEntropyBackward}.
   */
  record BinaryCrossEntropyGrad(Tensor p, Tensor y) implements FusedFormula {
    @Override
    public Tensor composed(Tensor g, Tensor out) {
      return g.mul(p.sub(y)).div(p.mul(p.neg().add(1)).clampMin(BCE_EPSILON));
    }

    @Override
    public NDArray fused(NDArray g, NDArray out) {
      return GradKernels.binaryCrossEntropyBackward(g, p.data(), y.data());
    }
  }

  /** The error for a probability outside [0, 1], from either the kernel or the formula's path. */
  static IllegalArgumentException notProbabilities(int[] shape, double value) {
    return new IllegalArgumentException(
        "binaryCrossEntropy: the input of shape "
            + Shapes.toString(shape)
            + " holds "
            + value
            + ", but its values must be probabilities in [0, 1]; use"
            + " binaryCrossEntropyWithLogits for raw scores");
  }

  private static void checkProbabilities(NDArray p) {
    if (p.numel() > 0) {
      double min = p.min().item();
      double max = p.max().item();
      if (min < 0 || max > 1) {
        throw notProbabilities(p.shape(), min < 0 ? min : max);
      }
    }
  }

  private static void checkSameShape(NDArray p, NDArray y) {
    if (!Arrays.equals(p.shape(), y.shape())) {
      throw new IllegalArgumentException(
          "binaryCrossEntropy: input of shape "
              + Shapes.toString(p.shape())
              + " and target of shape "
              + Shapes.toString(y.shape())
              + " must have the same shape");
    }
  }
}
