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
   * Inverted dropout when training (see {@link Dropout}); the identity otherwise. With p = 1 every
   * element is dropped: the result is x·0, as in PyTorch.
   *
   * @throws IllegalArgumentException if {@code p} is not in [0, 1]
   */
  public static Tensor dropout(Tensor x, double p, boolean training, Generator g) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("dropout: p must be in [0, 1], got " + p);
    }
    if (!training || p == 0) {
      return x;
    }
    checkFloating("dropout", x);
    if (p == 1) {
      return x.mul(0); // no 1/(1 − p) scaling to divide by zero
    }
    NDArray keep = NDArray.rand(g, x.dtype(), x.shape()).ge(p).to(x.dtype()).div(1 - p);
    return x.mul(new Tensor(keep));
  }

  // ------------------------------------------------------------------ convolution

  /**
   * 2-D convolution with stride 1 and no padding: x [N, C, H, W], weight [O, C, kH, kW], bias [O]
   * or null → [N, O, H − kH + 1, W − kW + 1].
   *
   * <pre>{@code
   * Tensor y = F.conv2d(images, w, b);
   * }</pre>
   *
   * @throws IllegalArgumentException if the shapes do not fit (see {@link #conv2d(Tensor, Tensor,
   *     Tensor, int[], int[], int[], int)})
   */
  public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias) {
    return conv2d(x, weight, bias, 1, 0, 1, 1);
  }

  /**
   * 2-D convolution with one stride and one padding for both dims: {@code F.conv2d(x, w, b, 1, 1)}
   * keeps the size of a 3×3 convolution.
   *
   * @throws IllegalArgumentException if the shapes do not fit or stride &lt; 1 or padding &lt; 0
   */
  public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
    return conv2d(x, weight, bias, stride, padding, 1, 1);
  }

  /**
   * 2-D convolution with one stride, padding and dilation for both dims, and groups.
   *
   * <pre>{@code
   * Tensor y = F.conv2d(x, w, b, 1, 2, 2, 1); // dilated 3x3 that keeps the size
   * }</pre>
   *
   * @throws IllegalArgumentException if the shapes do not fit or a number is out of range
   */
  public static Tensor conv2d(
      Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
    return x.conv2d(
        weight, bias, new int[] {stride}, new int[] {padding}, new int[] {dilation}, groups);
  }

  /**
   * PyTorch's {@code conv2d}: x [N, C, H, W], weight [O, C/groups, kH, kW], bias [O] or null → [N,
   * O, OH, OW] with OH = ⌊(H + 2·padH − dilH·(kH − 1) − 1)/strideH⌋ + 1.
   *
   * <pre>{@code
   * Tensor y = F.conv2d(x, w, null, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 1}, 1);
   * }</pre>
   *
   * @param stride {s} or {sH, sW}
   * @param padding {p}, {pH, pW} or {top, bottom, left, right}
   * @param dilation {d} or {dH, dW}
   * @throws IllegalArgumentException if x or the weight is not 4-D, the channels do not match the
   *     weight and groups, groups does not divide the channels, the bias is not [O], the dilated
   *     kernel is larger than the padded input, a stride or dilation is below 1, or a padding is
   *     negative
   */
  public static Tensor conv2d(
      Tensor x,
      Tensor weight,
      Tensor bias,
      int[] stride,
      int[] padding,
      int[] dilation,
      int groups) {
    return x.conv2d(weight, bias, stride, padding, dilation, groups);
  }

  /**
   * 2-D convolution with {@code padding = "valid"} (none) or {@code "same"} (the output has the
   * input's size: d·(k − 1) in total per dim, the odd one after, as in PyTorch; stride must be 1).
   *
   * <pre>{@code
   * Tensor y = F.conv2d(x, w, b, new int[] {1}, "same", new int[] {1}, 1);
   * }</pre>
   *
   * @throws IllegalArgumentException if the padding is neither "same" nor "valid", "same" comes
   *     with a stride other than 1, or see {@link #conv2d(Tensor, Tensor, Tensor, int[], int[],
   *     int[], int)}
   */
  public static Tensor conv2d(
      Tensor x,
      Tensor weight,
      Tensor bias,
      int[] stride,
      String padding,
      int[] dilation,
      int groups) {
    if (weight == null || weight.dim() != 4) {
      return x.conv2d(weight, bias, stride, new int[] {0}, dilation, groups); // names the shapes
    }
    int[] pads =
        namedPadding(
            "conv2d", padding, stride, dilation, new int[] {weight.shape(2), weight.shape(3)});
    return x.conv2d(weight, bias, stride, pads, dilation, groups);
  }

  /**
   * {top, bottom, left, right} for a padding named "valid" or "same" (the total d·(k − 1) split
   * with the odd one after, as PyTorch does).
   */
  static int[] namedPadding(String op, String padding, int[] stride, int[] dilation, int[] kernel) {
    if ("valid".equals(padding)) {
      return new int[] {0, 0, 0, 0};
    }
    if (!"same".equals(padding)) {
      throw new IllegalArgumentException(
          op + ": padding must be \"same\", \"valid\" or numbers, got " + padding);
    }
    if (stride == null || dilation == null || dilation.length == 0 || dilation.length > 2) {
      throw new IllegalArgumentException(
          op + ": padding=\"same\" needs a stride and a dilation of 1 or 2 values");
    }
    for (int s : stride) {
      if (s != 1) {
        throw new IllegalArgumentException(
            op
                + ": padding=\"same\" is not supported for strided convolutions, got stride "
                + Arrays.toString(stride));
      }
    }
    int[] pads = new int[4];
    for (int a = 0; a < 2; a++) {
      int d = dilation.length == 1 ? dilation[0] : dilation[a];
      long total = Math.max(0, (long) d * (kernel[a] - 1));
      if (total > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            op
                + ": padding=\"same\" with dilation "
                + d
                + " and kernel "
                + kernel[a]
                + " is too large");
      }
      pads[2 * a] = (int) (total / 2);
      pads[2 * a + 1] = (int) (total - total / 2);
    }
    return pads;
  }

  /**
   * 1-D convolution with stride 1 and no padding: x [N, C, L], weight [O, C, k], bias [O] or null →
   * [N, O, L − k + 1].
   *
   * <pre>{@code
   * Tensor y = F.conv1d(signal, w, b);
   * }</pre>
   *
   * @throws IllegalArgumentException if the shapes do not fit
   */
  public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias) {
    return conv1d(x, weight, bias, 1, 0, 1, 1);
  }

  /**
   * 1-D convolution with a stride and a padding at both ends: {@code F.conv1d(x, w, b, 2, 1)}.
   *
   * @throws IllegalArgumentException if the shapes do not fit or stride &lt; 1 or padding &lt; 0
   */
  public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
    return conv1d(x, weight, bias, stride, padding, 1, 1);
  }

  /**
   * PyTorch's {@code conv1d}: x [N, C, L], weight [O, C/groups, k], bias [O] or null → [N, O, ⌊(L +
   * 2·padding − dilation·(k − 1) − 1)/stride⌋ + 1]; computed as a conv2d of height 1 on views (no
   * copy).
   *
   * <pre>{@code
   * Tensor y = F.conv1d(x, w, b, 1, 2, 2, 1);
   * }</pre>
   *
   * @throws IllegalArgumentException if x or the weight is not 3-D, or (named conv1d, with the
   *     shapes) the channels, groups, bias, kernel size, stride, padding or dilation do not fit
   */
  public static Tensor conv1d(
      Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
    return conv1d(x, weight, bias, stride, new int[] {0, 0, padding, padding}, dilation, groups);
  }

  /**
   * 1-D convolution with {@code padding = "valid"} or {@code "same"} (stride must be 1).
   *
   * <pre>{@code
   * Tensor y = F.conv1d(x, w, b, 1, "same", 1, 1);
   * }</pre>
   *
   * @throws IllegalArgumentException if the padding is neither "same" nor "valid", "same" comes
   *     with a stride other than 1, or see {@link #conv1d(Tensor, Tensor, Tensor, int, int, int,
   *     int)}
   */
  public static Tensor conv1d(
      Tensor x, Tensor weight, Tensor bias, int stride, String padding, int dilation, int groups) {
    check1d(x, weight);
    int[] pads =
        namedPadding(
            "conv1d",
            padding,
            new int[] {stride},
            new int[] {1, dilation},
            new int[] {1, weight.shape(2)});
    return conv1d(x, weight, bias, stride, pads, dilation, groups);
  }

  private static void check1d(Tensor x, Tensor weight) {
    if (x == null || weight == null || x.dim() != 3 || weight.dim() != 3) {
      throw new IllegalArgumentException(
          String.format(
              "conv1d: expected a 3-D input [N, C, L] and a 3-D weight [O, C/groups, k], got"
                  + " shapes %s and %s",
              x == null ? "null" : Arrays.toString(x.shape()),
              weight == null ? "null" : Arrays.toString(weight.shape())));
    }
  }

  private static Tensor conv1d(
      Tensor x, Tensor weight, Tensor bias, int stride, int[] pads, int dilation, int groups) {
    check1d(x, weight);
    Tensor image = x.unsqueeze(2);
    Tensor kernel = weight.unsqueeze(2);
    Tensor y;
    try {
      y = image.conv2d(kernel, bias, new int[] {1, stride}, pads, new int[] {1, dilation}, groups);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          String.format(
              "conv1d: input %s, weight %s, stride %d, padding %s, dilation %d, groups %d: %s",
              Arrays.toString(x.shape()),
              Arrays.toString(weight.shape()),
              stride,
              Arrays.toString(new int[] {pads[2], pads[3]}),
              dilation,
              groups,
              e.getMessage()),
          e);
    }
    return y.squeeze(2);
  }

  /**
   * Transposed 2-D convolution with stride 1 and no padding: x [N, C, H, W], weight [C, O, kH, kW],
   * bias [O] or null → [N, O, H + kH − 1, W + kW − 1].
   *
   * <pre>{@code
   * Tensor y = F.convTranspose2d(x, w, b);
   * }</pre>
   *
   * @throws IllegalArgumentException if the shapes do not fit
   */
  public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias) {
    return convTranspose2d(x, weight, bias, 1, 0, 0, 1, 1);
  }

  /**
   * Transposed 2-D convolution with one stride and padding for both dims: {@code
   * F.convTranspose2d(x, w, b, 2, 0)} doubles H and W for a 2×2 kernel.
   *
   * @throws IllegalArgumentException if the shapes do not fit or stride &lt; 1 or padding &lt; 0
   */
  public static Tensor convTranspose2d(
      Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
    return convTranspose2d(x, weight, bias, stride, padding, 0, 1, 1);
  }

  /**
   * Transposed 2-D convolution, numbers shared by both dims, in PyTorch's order.
   *
   * <pre>{@code
   * Tensor y = F.convTranspose2d(x, w, b, 2, 1, 1, 1, 1); // 3x3, stride 2: H -> 2H
   * }</pre>
   *
   * @throws IllegalArgumentException if the shapes do not fit or a number is out of range
   */
  public static Tensor convTranspose2d(
      Tensor x,
      Tensor weight,
      Tensor bias,
      int stride,
      int padding,
      int outputPadding,
      int groups,
      int dilation) {
    return x.convTranspose2d(
        weight,
        bias,
        new int[] {stride},
        new int[] {padding},
        new int[] {outputPadding},
        groups,
        new int[] {dilation});
  }

  /**
   * PyTorch's {@code conv_transpose2d}: x [N, C, H, W], weight [C, O/groups, kH, kW], bias [O] or
   * null → [N, O, OH, OW], OH = (H − 1)·strideH − 2·padH + dilH·(kH − 1) + outputPadH + 1; the
   * adjoint of conv2d in its input.
   *
   * <pre>{@code
   * Tensor y = F.convTranspose2d(x, w, null, new int[] {2}, new int[] {1}, new int[] {1}, 1,
   *     new int[] {1});
   * }</pre>
   *
   * @throws IllegalArgumentException if x or the weight is not 4-D, C is not the weight's first
   *     size or not divisible by groups, the bias is not [O], the output would be empty, a stride
   *     or dilation is below 1, a padding is negative, or an output padding is not below
   *     max(stride, dilation)
   */
  public static Tensor convTranspose2d(
      Tensor x,
      Tensor weight,
      Tensor bias,
      int[] stride,
      int[] padding,
      int[] outputPadding,
      int groups,
      int[] dilation) {
    return x.convTranspose2d(weight, bias, stride, padding, outputPadding, groups, dilation);
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
   * null. Runs {@link Tensor#batchNorm} (one recorded op, fused kernels) when every given statistic
   * and parameter has x's dtype, a composite of Tensor ops otherwise; gradients of every order flow
   * to x, weight and bias.
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
    checkFloating("dropout2d", x);
    int[] s = x.shape();
    NDArray keep = NDArray.rand(g, x.dtype(), s[0], s[1], 1, 1).ge(p).to(x.dtype()).div(1 - p);
    return x.mul(new Tensor(keep));
  }

  /** Dropout samples a floating-point mask of the input's dtype: an INT32 input has none. */
  private static void checkFloating(String op, Tensor x) {
    if (!x.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(
          String.format(
              "%s: expected a floating-point input in training, got %s of shape %s",
              op, x.dtype(), Arrays.toString(x.shape())));
    }
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
    if (scores.shape(1) == 0 && scores.shape(0) > 0) { // even an ignored row needs a class
      throw new IllegalArgumentException(
          String.format(
              "%s: input of shape %s has no classes", op, Arrays.toString(scores.shape())));
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

  // ------------------------------------------------------------------ sequence models (#12)

  /**
   * Looks up rows of {@code weight} [V, E] by the INT32 ids of any shape: the result has the ids'
   * shape + [E]. The weight's gradient is an index-add of the output's gradient rows into a zero
   * [V, E] array (never a one-hot product).
   *
   * <pre>{@code
   * Tensor x = F.embedding(tokens, tokenEmbedding); // [B, T] ids -> [B, T, E]
   * }</pre>
   *
   * @throws IllegalArgumentException if the ids are not INT32 or the weight is not 2-D
   * @throws IndexOutOfBoundsException if an id is negative or not below V
   */
  public static Tensor embedding(Tensor ids, Tensor weight) {
    return lookup(ids, weight, -1);
  }

  /**
   * {@link #embedding(Tensor, Tensor)} whose rows at {@code paddingIdx} (negative counts from the
   * end, as in PyTorch) receive no gradient: their positions pass the row's value but not its
   * gradient.
   *
   * <pre>{@code
   * Tensor x = F.embedding(tokens, table, 0); // id 0 is padding
   * }</pre>
   *
   * @throws IllegalArgumentException if the ids are not INT32, the weight is not 2-D, or paddingIdx
   *     is not a row of the weight
   * @throws IndexOutOfBoundsException if an id is negative or not below V
   */
  public static Tensor embedding(Tensor ids, Tensor weight, int paddingIdx) {
    int rows = weight.dim() == 2 ? weight.shape(0) : 0;
    if (paddingIdx < -rows || paddingIdx >= rows) {
      throw new IllegalArgumentException(
          String.format(
              "embedding: paddingIdx %d is not a row of the weight of shape %s",
              paddingIdx, Arrays.toString(weight.shape())));
    }
    return lookup(ids, weight, paddingIdx < 0 ? paddingIdx + rows : paddingIdx);
  }

  private static Tensor lookup(Tensor ids, Tensor weight, int padding) {
    if (ids.dtype() != DType.INT32) {
      throw new IllegalArgumentException(
          String.format(
              "embedding: ids must be INT32, got %s of shape %s",
              ids.dtype(), Arrays.toString(ids.shape())));
    }
    if (weight.dim() != 2) {
      throw new IllegalArgumentException(
          "embedding: the weight must be [numEmbeddings, embeddingDim], got shape "
              + Arrays.toString(weight.shape()));
    }
    int vocabulary = weight.shape(0);
    int[] flat = ids.data().toIntArray();
    for (int id : flat) {
      if (id < 0 || id >= vocabulary) {
        throw new IndexOutOfBoundsException(
            String.format(
                "embedding: id %d is out of range for a weight of shape %s (ids of shape %s)",
                id, Arrays.toString(weight.shape()), Arrays.toString(ids.shape())));
      }
    }
    Tensor index = new Tensor(NDArray.fromArray(flat, flat.length));
    Tensor rows = weight.indexSelect(0, index); // [N, E]
    if (padding >= 0) {
      // the padding positions show their row's value, but their gradient stops here
      Tensor isPadding = new Tensor(index.data().eq(padding).reshape(flat.length, 1));
      rows = Tensor.where(isPadding, rows.detach(), rows);
    }
    int[] shape = Arrays.copyOf(ids.shape(), ids.dim() + 1);
    shape[ids.dim()] = weight.shape(1);
    return rows.reshape(shape);
  }

  /**
   * Layer normalisation over the trailing {@code normalizedShape} dims: {@code (x − mean) /
   * sqrt(var + eps) · weight + bias}, with the biased variance of each row; weight and bias may be
   * null. One pass per row forward; the gradient is composed of Tensor ops.
   *
   * <pre>{@code
   * Tensor y = F.layerNorm(x, new int[] {768}, gamma, beta, 1e-5);
   * }</pre>
   *
   * @throws IllegalArgumentException if normalizedShape is not x's trailing dims, weight or bias
   *     has another shape, x is INT32, or eps is negative
   */
  public static Tensor layerNorm(
      Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
    return x.layerNorm(normalizedShape, weight, bias, eps);
  }

  /**
   * RMS normalisation over the trailing {@code normalizedShape} dims: {@code x / sqrt(mean(x²) +
   * eps) · weight}; weight may be null, and a null eps is the machine epsilon of x's dtype (PyTorch
   * 2.4's default).
   *
   * <pre>{@code
   * Tensor y = F.rmsNorm(x, new int[] {768}, gamma, null);
   * }</pre>
   *
   * @throws IllegalArgumentException if normalizedShape is not x's trailing dims, weight has
   *     another shape, x is INT32, or eps is negative
   */
  public static Tensor rmsNorm(Tensor x, int[] normalizedShape, Tensor weight, Double eps) {
    return x.rmsNorm(normalizedShape, weight, eps != null ? eps : machineEpsilon(x.dtype()));
  }

  // ------------------------------------------------------------------ attention

  /**
   * Scaled dot-product attention, {@code softmax(q·kᵀ·scale + mask)·v}, as PyTorch 2's {@code
   * F.scaled_dot_product_attention}: q [.., L, E], k [.., S, E], v [.., S, Ev] → [.., L, Ev], the
   * batch dims broadcast. {@code attnMask} (or null) broadcasts to [.., L, S]: an INT32 mask is
   * boolean, non-zero keeping a position and zero hiding it (PyTorch's bool mask); a float mask is
   * added to the scores (−∞ hides). {@code isCausal} hides every column j &gt; i of row i (the
   * top-left aligned triangle, as PyTorch, also when L ≠ S). A row with every position hidden gives
   * NaN, as PyTorch's math path. Dropout with probability {@code dropoutP} applies to the
   * probabilities whenever it is positive (as PyTorch, whatever the mode: pass 0 in evaluation),
   * drawing from {@code g} (null: {@link Tensor#generator()}). {@code scale} null means 1/√E.
   *
   * <pre>{@code
   * Tensor y = F.scaledDotProductAttention(q, k, v, null, 0.0, true, null, null); // causal
   * }</pre>
   *
   * @throws IllegalArgumentException if q, k or v has fewer than 2 dims or another dtype, q and k
   *     differ in E, k and v in S, the batch dims do not broadcast, the mask does not broadcast to
   *     [.., L, S], both a mask and isCausal are given, dropoutP is not in [0, 1] or the scale is
   *     not finite
   */
  public static Tensor scaledDotProductAttention(
      Tensor q,
      Tensor k,
      Tensor v,
      Tensor attnMask,
      double dropoutP,
      boolean isCausal,
      Double scale,
      Generator g) {
    return Attention.scaledDotProductAttention(q, k, v, attnMask, dropoutP, isCausal, scale, g);
  }

  /**
   * {@code softmax(q·kᵀ/√E)·v}, no mask and no dropout: see {@link
   * #scaledDotProductAttention(Tensor, Tensor, Tensor, Tensor, double, boolean, Double,
   * Generator)}.
   *
   * <pre>{@code
   * Tensor y = F.scaledDotProductAttention(q, k, v);
   * }</pre>
   *
   * @throws IllegalArgumentException if the shapes do not fit
   */
  public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v) {
    return scaledDotProductAttention(q, k, v, null, 0, false, null, null);
  }

  /**
   * Attention with or without the causal mask, no dropout: see {@link
   * #scaledDotProductAttention(Tensor, Tensor, Tensor, Tensor, double, boolean, Double,
   * Generator)}.
   *
   * <pre>{@code
   * Tensor y = F.scaledDotProductAttention(q, k, v, true);
   * }</pre>
   *
   * @throws IllegalArgumentException if the shapes do not fit
   */
  public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, boolean isCausal) {
    return scaledDotProductAttention(q, k, v, null, 0, isCausal, null, null);
  }

  /** The gap between 1 and the next representable number: torch.finfo(dtype).eps. */
  static double machineEpsilon(DType dtype) {
    return dtype == DType.FLOAT64 ? Math.ulp(1.0) : Math.ulp(1.0f);
  }
}
