package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.util.Arrays;

/**
 * The functional API, like {@code torch.nn.functional}: activations, pooling, normalisation and
 * losses as static functions, each a composition of differentiable Tensor ops (so backprop is
 * derived, never written here).
 *
 * <pre>{@code
 * Tensor loss = F.crossEntropy(model.forward(x), labels);
 * Tensor p = F.sigmoid(F.linear(x, w, b));
 * }</pre>
 */
public final class F {
  /**
   * PyTorch's default {@code ignore_index}, −100: targets equal to it are ignored (they contribute
   * nothing and the mean is over the others). No class index is negative, so with this default
   * every valid target counts.
   */
  public static final int DEFAULT_IGNORE_INDEX = -100;

  private F() {}

  /**
   * y = x·Wᵀ + b with W of shape [out, in]; b may be null. One recorded op for a matrix x.
   *
   * @throws IllegalArgumentException if x's last dim is not W's second or b is not [out]
   */
  public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
    return x.linear(weight, bias);
  }

  /** max(x, 0). */
  public static Tensor relu(Tensor x) {
    return x.relu();
  }

  /** x for x > 0, slope·x otherwise. */
  public static Tensor leakyRelu(Tensor x, double slope) {
    return Tensor.where(x.gt(0), x, x.mul(slope));
  }

  /** x for x > 0, α(eˣ − 1) otherwise (the exponential only sees the non-positive part). */
  public static Tensor elu(Tensor x, double alpha) {
    return Tensor.where(x.gt(0), x, x.clampMax(0).expm1().mul(alpha));
  }

  /** GELU, exact form. */
  public static Tensor gelu(Tensor x) {
    return x.gelu();
  }

  /** x·σ(x), also called swish. */
  public static Tensor silu(Tensor x) {
    return x.mul(x.sigmoid());
  }

  /** σ(x). */
  public static Tensor sigmoid(Tensor x) {
    return x.sigmoid();
  }

  /** tanh x. */
  public static Tensor tanh(Tensor x) {
    return x.tanh();
  }

  /** log(1 + eˣ). */
  public static Tensor softplus(Tensor x) {
    return x.softplus();
  }

  /**
   * softmax along a dim.
   *
   * @throws IndexOutOfBoundsException if {@code dim} is out of range
   */
  public static Tensor softmax(Tensor x, int dim) {
    return x.softmax(dim);
  }

  /**
   * log-softmax along a dim.
   *
   * @throws IndexOutOfBoundsException if {@code dim} is out of range
   */
  public static Tensor logSoftmax(Tensor x, int dim) {
    return x.logSoftmax(dim);
  }

  /**
   * Inverted dropout when training (see {@link Dropout}); the identity otherwise.
   *
   * @throws IllegalArgumentException if {@code p} is not in [0, 1)
   */
  public static Tensor dropout(Tensor x, double p, boolean training, Generator g) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
    }
    if (!training || p == 0) {
      return x;
    }
    NDArray keep = NDArray.rand(g, x.dtype(), x.shape()).ge(p).to(x.dtype()).div(1 - p);
    return x.mul(new Tensor(keep));
  }

  // ------------------------------------------------------------------ pooling and normalisation

  /**
   * Max pooling with a square kernel, stride = kernel and no padding (PyTorch's {@code
   * max_pool2d(x, k)}).
   *
   * <pre>{@code
   * Tensor h = F.maxPool2d(F.relu(conv), 2);   // [N, C, H, W] -> [N, C, H/2, W/2]
   * }</pre>
   *
   * @throws IllegalArgumentException if x is not 3-D or 4-D, or the kernel is not positive or does
   *     not fit the input
   */
  public static Tensor maxPool2d(Tensor x, int kernelSize) {
    return x.maxPool2d(new int[] {kernelSize}, null, new int[] {0}, new int[] {1}, false);
  }

  /**
   * Max pooling over (dilated) windows: each argument holds one value for both dims or {h, w}; a
   * null stride is the kernel size; padding (at most half the kernel) never wins.
   *
   * <pre>{@code
   * Tensor h = F.maxPool2d(x, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, false);
   * }</pre>
   *
   * @throws IllegalArgumentException if x is not 3-D or 4-D, an argument is out of range, padding
   *     is above half the kernel, or the kernel does not fit the padded input
   */
  public static Tensor maxPool2d(
      Tensor x, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
    return x.maxPool2d(kernelSize, stride, padding, dilation, ceilMode);
  }

  /**
   * Average pooling with a square kernel, stride = kernel and no padding.
   *
   * <pre>{@code
   * Tensor h = F.avgPool2d(x, 2);
   * }</pre>
   *
   * @throws IllegalArgumentException if x is not 3-D or 4-D, or the kernel is not positive or does
   *     not fit the input
   */
  public static Tensor avgPool2d(Tensor x, int kernelSize) {
    return x.avgPool2d(new int[] {kernelSize}, null, new int[] {0}, false, true);
  }

  /**
   * Average pooling: the mean of each window, divided by the window size (padding included) when
   * {@code countIncludePad}, else by the number of input elements it covers.
   *
   * <pre>{@code
   * Tensor h = F.avgPool2d(x, new int[] {3}, new int[] {1}, new int[] {1}, false, false);
   * }</pre>
   *
   * @throws IllegalArgumentException if x is not 3-D or 4-D, an argument is out of range, padding
   *     is above half the kernel, or the kernel does not fit the padded input
   */
  public static Tensor avgPool2d(
      Tensor x,
      int[] kernelSize,
      int[] stride,
      int[] padding,
      boolean ceilMode,
      boolean countIncludePad) {
    return x.avgPool2d(kernelSize, stride, padding, ceilMode, countIncludePad);
  }

  /**
   * Adaptive average pooling to an {@code outH × outW} plane, whatever the input size.
   *
   * <pre>{@code
   * Tensor features = F.adaptiveAvgPool2d(maps, 1, 1).flatten(1, -1);
   * }</pre>
   *
   * @throws IllegalArgumentException if x is not 3-D or 4-D or a size is not positive
   */
  public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
    return x.adaptiveAvgPool2d(outH, outW);
  }

  /**
   * Batch normalisation of an (N, C, …) input per channel: y = (x − μ) / √(σ² + eps) · weight +
   * bias, with μ and σ² broadcast over dim 1. When {@code training}, μ and the biased σ² are the
   * batch's, over every dim but 1, and running statistics that are given are updated in place with
   * grad mode off: running_mean ← (1 − momentum)·running_mean + momentum·μ and running_var likewise
   * with the unbiased variance. Otherwise the running statistics are used. Weight and bias may be
   * null. Composed of differentiable Tensor ops, so gradients of every order flow to x, weight and
   * bias.
   *
   * <pre>{@code
   * Tensor y = F.batchNorm(x, runningMean, runningVar, gamma, beta, true, 0.1, 1e-5);
   * }</pre>
   *
   * @throws IllegalArgumentException if x has fewer than 2 dims, a given statistic or parameter is
   *     not of shape [C], the running statistics are missing when not training, or training sees
   *     only one value per channel
   */
  public static Tensor batchNorm(
      Tensor x,
      Tensor runningMean,
      Tensor runningVar,
      Tensor weight,
      Tensor bias,
      boolean training,
      double momentum,
      double eps) {
    return Normalization.batchNorm(
        "batchNorm", x, runningMean, runningVar, weight, bias, training, momentum, eps);
  }

  /**
   * Channel dropout when training: each whole (n, c) plane of an (N, C, H, W) input is zeroed with
   * probability p and the others are scaled by 1/(1 − p); the identity otherwise.
   *
   * <pre>{@code
   * Tensor h = F.dropout2d(maps, 0.2, model.isTraining(), Tensor.generator());
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code p} is not in [0, 1) or x is not 4-D
   */
  public static Tensor dropout2d(Tensor x, double p, boolean training, Generator g) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException("dropout2d: p must be in [0, 1), got " + p);
    }
    if (x.dim() != 4) {
      throw new IllegalArgumentException(
          "dropout2d: expected a 4-D (N, C, H, W) input, got shape "
              + Arrays.toString(x.shape())
              + " (unsqueeze(0) adds a batch dim)");
    }
    if (!training || p == 0) {
      return x;
    }
    int[] s = x.shape();
    NDArray keep = NDArray.rand(g, x.dtype(), s[0], s[1], 1, 1).ge(p).to(x.dtype()).div(1 - p);
    return x.mul(new Tensor(keep));
  }

  // ------------------------------------------------------------------ losses

  private static void sameShape(String op, Tensor input, Tensor target) {
    if (!Arrays.equals(input.shape(), target.shape())) {
      throw new IllegalArgumentException(
          String.format(
              "%s: input shape %s and target shape %s differ",
              op, Arrays.toString(input.shape()), Arrays.toString(target.shape())));
    }
  }

  /**
   * Mean squared error (xᵢ − yᵢ)².
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public static Tensor mseLoss(Tensor input, Tensor target) {
    return mseLoss(input, target, Reduction.MEAN);
  }

  /**
   * Squared error with the given reduction.
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
    sameShape("mseLoss", input, target);
    return reduction.apply(input.sub(target).square());
  }

  /**
   * Mean absolute error |xᵢ − yᵢ|.
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public static Tensor l1Loss(Tensor input, Tensor target) {
    return l1Loss(input, target, Reduction.MEAN);
  }

  /**
   * Absolute error with the given reduction.
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
    sameShape("l1Loss", input, target);
    return reduction.apply(input.sub(target).abs());
  }

  /**
   * −[y·log p + (1 − y)·log(1 − p)] on probabilities, with each log clamped to ≥ −100, averaged.
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public static Tensor binaryCrossEntropy(Tensor probabilities, Tensor target) {
    return binaryCrossEntropy(probabilities, target, Reduction.MEAN);
  }

  /**
   * Binary cross-entropy on probabilities with the given reduction.
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public static Tensor binaryCrossEntropy(Tensor p, Tensor target, Reduction reduction) {
    sameShape("binaryCrossEntropy", p, target);
    return reduction.apply(p.binaryCrossEntropy(target.to(p.dtype())));
  }

  /**
   * Binary cross-entropy on logits, stable for any x: softplus(x) − x·y, which equals −[y·log σ(x)
   * + (1 − y)·log(1 − σ(x))], averaged.
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target) {
    return binaryCrossEntropyWithLogits(logits, target, Reduction.MEAN);
  }

  /**
   * Binary cross-entropy on logits with the given reduction.
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public static Tensor binaryCrossEntropyWithLogits(
      Tensor logits, Tensor target, Reduction reduction) {
    sameShape("binaryCrossEntropyWithLogits", logits, target);
    return reduction.apply(logits.softplus().sub(logits.mul(target.to(logits.dtype()))));
  }

  /**
   * Cross-entropy of logits [N, C] against INT32 class indices [N], averaged; targets equal to
   * {@link #DEFAULT_IGNORE_INDEX} are ignored.
   *
   * @throws IllegalArgumentException if the shapes are not [N, C] and [N] or the targets are not
   *     INT32
   * @throws IndexOutOfBoundsException if a target is outside [0, C) and not ignored
   */
  public static Tensor crossEntropy(Tensor logits, Tensor targets) {
    return crossEntropy(logits, targets, Reduction.MEAN, 0.0, DEFAULT_IGNORE_INDEX);
  }

  /**
   * Cross-entropy −log softmax(x)[target] through the fused, stable log-softmax. With label
   * smoothing ε the target distribution is (1 − ε)·onehot + ε/C. Targets equal to {@code
   * ignoreIndex} contribute nothing, and the mean is over the others.
   *
   * @throws IllegalArgumentException if the shapes are not [N, C] and [N], the targets are not
   *     INT32, or {@code labelSmoothing} is not in [0, 1]
   * @throws IndexOutOfBoundsException if a target is outside [0, C) and not {@code ignoreIndex}
   */
  public static Tensor crossEntropy(
      Tensor logits, Tensor targets, Reduction reduction, double labelSmoothing, int ignoreIndex) {
    checkClassification("crossEntropy", logits, targets);
    if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
      throw new IllegalArgumentException(
          "crossEntropy: labelSmoothing must be in [0, 1], got " + labelSmoothing);
    }
    Tensor logP = logits.logSoftmax(1);
    Tensor loss = pickedNegLog("crossEntropy", logP, targets, ignoreIndex);
    if (labelSmoothing > 0) {
      Tensor uniform = logP.mean(1, false).neg();
      loss = loss.mul(1 - labelSmoothing).add(uniform.mul(labelSmoothing));
    }
    return reduceIgnoring(loss, targets, reduction, ignoreIndex);
  }

  /**
   * Negative log-likelihood of log-probabilities [N, C] at INT32 targets [N], averaged; targets
   * equal to {@link #DEFAULT_IGNORE_INDEX} are ignored.
   *
   * @throws IllegalArgumentException if the shapes are not [N, C] and [N] or the targets are not
   *     INT32
   * @throws IndexOutOfBoundsException if a target is outside [0, C) and not ignored
   */
  public static Tensor nllLoss(Tensor logProbabilities, Tensor targets) {
    return nllLoss(logProbabilities, targets, Reduction.MEAN, DEFAULT_IGNORE_INDEX);
  }

  /**
   * Negative log-likelihood with reduction and ignored index.
   *
   * @throws IllegalArgumentException if the shapes are not [N, C] and [N] or the targets are not
   *     INT32
   * @throws IndexOutOfBoundsException if a target is outside [0, C) and not {@code ignoreIndex}
   */
  public static Tensor nllLoss(
      Tensor logProbabilities, Tensor targets, Reduction reduction, int ignoreIndex) {
    checkClassification("nllLoss", logProbabilities, targets);
    Tensor loss = pickedNegLog("nllLoss", logProbabilities, targets, ignoreIndex);
    return reduceIgnoring(loss, targets, reduction, ignoreIndex);
  }

  private static void checkClassification(String op, Tensor scores, Tensor targets) {
    if (scores.dim() != 2 || targets.dim() != 1 || targets.shape(0) != scores.shape(0)) {
      throw new IllegalArgumentException(
          String.format(
              "%s: expected input [N, C] and targets [N], got %s and %s",
              op, Arrays.toString(scores.shape()), Arrays.toString(targets.shape())));
    }
    if (targets.dtype() != DType.INT32) {
      throw new IllegalArgumentException(
          op + ": targets must be INT32 class indices, got " + targets.dtype());
    }
  }

  /** −logP[i, target_i], with ignored rows reading class 0 (masked out later). */
  private static Tensor pickedNegLog(String op, Tensor logP, Tensor targets, int ignoreIndex) {
    int classes = logP.shape(1);
    int[] t = targets.data().toIntArray();
    int[] safe = new int[t.length];
    for (int i = 0; i < t.length; i++) {
      if (t[i] == ignoreIndex) {
        continue;
      }
      if (t[i] < 0 || t[i] >= classes) {
        throw new IndexOutOfBoundsException(
            String.format(
                "%s: target %d at row %d is out of range for %d classes", op, t[i], i, classes));
      }
      safe[i] = t[i];
    }
    Tensor index = new Tensor(NDArray.fromArray(safe, t.length, 1));
    return logP.gather(1, index).reshape(t.length).neg();
  }

  private static Tensor reduceIgnoring(
      Tensor loss, Tensor targets, Reduction reduction, int ignoreIndex) {
    NDArray valid = targets.data().ne(ignoreIndex).to(loss.dtype());
    double count = valid.sum().item();
    Tensor masked = count == loss.numel() ? loss : loss.mul(new Tensor(valid));
    switch (reduction) {
      case MEAN:
        return masked.sum().div(count);
      case SUM:
        return masked.sum();
      default:
        return masked;
    }
  }
}
