package dev.jgrad.nn;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.autograd.Tensor;
import java.util.Arrays;

/**
 * Batch normalisation as a composite of Tensor ops, shared by {@link F#batchNorm} and the {@link
 * BatchNorm1d} and {@link BatchNorm2d} modules (which pass their own name for error messages).
 *
 * <p>Per channel c, over the n values of the other dims: μ = Σx / n, σ² = Σ(x − μ)² / n (biased),
 * x̂ = (x − μ) / √(σ² + eps), y = γ·x̂ + β. When the input is floating-point and every statistic
 * and parameter given has its dtype (the usual case) this is autograd's one-node {@link
 * Tensor#batchNorm} (two passes forward, a fused input gradient backward). Mixed dtypes take the
 * composite of Tensor ops here, which promotes as each op does: one pass each for the mean, the
 * centring, the square, the variance's mean, the scaling, γ and β.
 */
final class Normalization {
  private Normalization() {}

  static Tensor batchNorm(
      String op,
      Tensor x,
      Tensor runningMean,
      Tensor runningVar,
      Tensor weight,
      Tensor bias,
      boolean training,
      double momentum,
      double eps) {
    int[] shape = x.shape();
    if (shape.length < 2) {
      throw new IllegalArgumentException(
          op + ": expected an input of shape (N, C, ...), got shape " + Arrays.toString(shape));
    }
    int channels = shape[1];
    checkPerChannel(op, "running_mean", runningMean, shape);
    checkPerChannel(op, "running_var", runningVar, shape);
    checkPerChannel(op, "weight", weight, shape);
    checkPerChannel(op, "bias", bias, shape);
    if ((runningMean == null) != (runningVar == null)) {
      throw new IllegalArgumentException(
          op + ": running_mean and running_var must be given together");
    }
    if (!training && runningMean == null) {
      throw new IllegalArgumentException(
          op + ": running_mean and running_var are needed when not training");
    }
    if (training && x.numel() / Math.max(1, channels) == 1) {
      throw new IllegalArgumentException(
          op
              + ": expected more than 1 value per channel when training, got input of shape "
              + Arrays.toString(shape));
    }
    if (sameFloatingType(x, runningMean, runningVar, weight, bias)) {
      return x.batchNorm(runningMean, runningVar, weight, bias, training, momentum, eps);
    }
    return composite(op, x, runningMean, runningVar, weight, bias, training, momentum, eps);
  }

  /** Whether x is floating-point and every given statistic and parameter has its dtype. */
  private static boolean sameFloatingType(Tensor x, Tensor... perChannel) {
    if (!x.dtype().isFloatingPoint()) {
      return false;
    }
    for (Tensor t : perChannel) {
      if (t != null && t.dtype() != x.dtype()) {
        return false;
      }
    }
    return true;
  }

  /** Batch norm composed of Tensor ops, for mixed dtypes (the result takes the promoted dtype). */
  private static Tensor composite(
      String op,
      Tensor x,
      Tensor runningMean,
      Tensor runningVar,
      Tensor weight,
      Tensor bias,
      boolean training,
      double momentum,
      double eps) {
    int[] shape = x.shape();
    int channels = shape[1];
    int[] dims = new int[shape.length - 1]; // every dim but the channel dim 1
    for (int d = 0, k = 0; d < shape.length; d++) {
      if (d != 1) {
        dims[k++] = d;
      }
    }
    int[] perChannel = new int[shape.length]; // [1, C, 1, …]: broadcasts over the other dims
    Arrays.fill(perChannel, 1);
    perChannel[1] = channels;
    Tensor centered;
    Tensor variance;
    if (training) {
      int n = x.numel() / Math.max(1, channels);
      Tensor mean = x.mean(dims, true);
      centered = x.sub(mean);
      variance = centered.square().mean(dims, true); // biased, for normalising
      if (runningMean != null) {
        try (GradMode.Scope off = Tensor.noGrad()) {
          Tensor unbiased = variance.mul((double) n / (n - 1)).reshape(channels);
          runningMean.mulInPlace(1 - momentum).addInPlace(mean.reshape(channels), momentum);
          runningVar.mulInPlace(1 - momentum).addInPlace(unbiased, momentum);
        }
      }
    } else {
      centered = x.sub(runningMean.reshape(perChannel));
      variance = runningVar.reshape(perChannel);
    }
    Tensor y = centered.mul(variance.add(eps).rsqrt());
    if (weight != null) {
      y = y.mul(weight.reshape(perChannel));
    }
    if (bias != null) {
      y = y.add(bias.reshape(perChannel));
    }
    return y;
  }

  private static void checkPerChannel(String op, String name, Tensor t, int[] inputShape) {
    if (t != null && (t.dim() != 1 || t.shape()[0] != inputShape[1])) {
      throw new IllegalArgumentException(
          String.format(
              "%s: %s of shape %s does not match the %d channels of the input of shape %s",
              op, name, Arrays.toString(t.shape()), inputShape[1], Arrays.toString(inputShape)));
    }
  }
}
