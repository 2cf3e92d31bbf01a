package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;
import java.util.Arrays;

/**
 * A 2-D convolution layer, PyTorch's {@code nn.Conv2d}: [N, C_in, H, W] → [N, C_out, OH, OW] with a
 * weight [C_out, C_in/groups, kH, kW] and a bias [C_out] (parameters "weight" and "bias", so state
 * dicts move between the two as they are). Initialised like PyTorch: the weight kaiming-uniform
 * with a = √5, i.e. U(−1/√fan_in, 1/√fan_in), and the bias U(−1/√fan_in, 1/√fan_in), with fan_in =
 * C_in/groups·kH·kW.
 *
 * <pre>{@code
 * Conv2d conv = new Conv2d(1, 32, 3, 1, 1);     // 3x3, stride 1, padding 1
 * Tensor y = conv.forward(images);              // [64, 1, 28, 28] -> [64, 32, 28, 28]
 * Conv2d depthwise = new Conv2d(32, 32, new int[] {3, 3}, new int[] {1, 1}, "same",
 *     new int[] {1, 1}, 32, true, new Generator(0));
 * }</pre>
 */
public final class Conv2d extends Module {
  private final int inChannels;
  private final int outChannels;
  private final int[] kernelSize;
  private final int[] stride;
  private final int[] padding; // {top, bottom, left, right}
  private final String paddingName; // "same" or "valid", or null for numbers
  private final int[] dilation;
  private final int groups;
  private final Tensor weight;
  private final Tensor bias;

  /**
   * A square kernel, stride 1, no padding, with bias, initialised from {@link Tensor#generator()}.
   *
   * @throws IllegalArgumentException if a size is not positive
   */
  public Conv2d(int inChannels, int outChannels, int kernelSize) {
    this(inChannels, outChannels, kernelSize, 1, 0, Tensor.generator());
  }

  /**
   * A square kernel, stride 1, no padding, with bias, initialised from {@code g}.
   *
   * @throws IllegalArgumentException if a size is not positive
   */
  public Conv2d(int inChannels, int outChannels, int kernelSize, Generator g) {
    this(inChannels, outChannels, kernelSize, 1, 0, g);
  }

  /**
   * A square kernel with one stride and padding for both dims, with bias, initialised from {@link
   * Tensor#generator()}.
   *
   * @throws IllegalArgumentException if a size or the stride is not positive or padding &lt; 0
   */
  public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
    this(inChannels, outChannels, kernelSize, stride, padding, Tensor.generator());
  }

  /**
   * A square kernel with one stride and padding for both dims, with bias, initialised from {@code
   * g}.
   *
   * @throws IllegalArgumentException if a size or the stride is not positive or padding &lt; 0
   */
  public Conv2d(
      int inChannels, int outChannels, int kernelSize, int stride, int padding, Generator g) {
    this(
        inChannels,
        outChannels,
        new int[] {kernelSize, kernelSize},
        new int[] {stride, stride},
        new int[] {padding, padding},
        new int[] {1, 1},
        1,
        true,
        g);
  }

  /**
   * The full form, PyTorch's order: kernel, stride and dilation as {h, w} (or one number for both),
   * padding as {p}, {pH, pW} or {top, bottom, left, right}.
   *
   * @throws IllegalArgumentException if a channel count, kernel size, stride or dilation is not
   *     positive, a padding is negative, or groups does not divide both channel counts
   */
  public Conv2d(
      int inChannels,
      int outChannels,
      int[] kernelSize,
      int[] stride,
      int[] padding,
      int[] dilation,
      int groups,
      boolean bias,
      Generator g) {
    this(inChannels, outChannels, kernelSize, stride, padding, null, dilation, groups, bias, g);
  }

  /**
   * The full form with {@code padding = "same"} (the output keeps the input's size; stride must be
   * 1) or {@code "valid"} (no padding).
   *
   * @throws IllegalArgumentException if the padding is neither "same" nor "valid", "same" comes
   *     with a stride other than 1, or see the numeric form
   */
  public Conv2d(
      int inChannels,
      int outChannels,
      int[] kernelSize,
      int[] stride,
      String padding,
      int[] dilation,
      int groups,
      boolean bias,
      Generator g) {
    this(
        inChannels,
        outChannels,
        kernelSize,
        stride,
        F.namedPadding(
            "Conv2d", padding, stride, dilation, pair("Conv2d", "kernelSize", kernelSize, 1)),
        padding,
        dilation,
        groups,
        bias,
        g);
  }

  private Conv2d(
      int inChannels,
      int outChannels,
      int[] kernelSize,
      int[] stride,
      int[] padding,
      String paddingName,
      int[] dilation,
      int groups,
      boolean bias,
      Generator g) {
    String op = "Conv2d";
    checkChannels(op, inChannels, outChannels, groups);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = pair(op, "kernelSize", kernelSize, 1);
    this.stride = pair(op, "stride", stride, 1);
    this.dilation = pair(op, "dilation", dilation, 1);
    this.padding = pads(op, padding);
    this.paddingName = paddingName;
    this.groups = groups;
    this.weight =
        registerParameter(
            "weight",
            allocate(
                "Conv2d",
                () ->
                    Tensor.zeros(
                        outChannels, inChannels / groups, this.kernelSize[0], this.kernelSize[1])));
    this.bias = initialise(weight, bias, outChannels, g, this);
  }

  /**
   * PyTorch's reset_parameters: the weight kaiming-uniform (a = √5), the bias U(−1/√fan_in,
   * 1/√fan_in); registers and returns the bias, or null.
   */
  static Tensor initialise(Tensor weight, boolean bias, int size, Generator g, Module owner) {
    Init.kaimingUniform(weight, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", g);
    if (!bias) {
      return null;
    }
    double bound = 1 / Math.sqrt(Init.fans(weight)[0]);
    Tensor b =
        owner.registerParameter(
            "bias", allocate(owner.getClass().getSimpleName(), () -> Tensor.zeros(size)));
    Init.uniform(b, -bound, bound, g);
    return b;
  }

  static void checkChannels(String op, int in, int out, int groups) {
    if (in < 1 || out < 1 || groups < 1 || in % groups != 0 || out % groups != 0) {
      throw new IllegalArgumentException(
          String.format(
              "%s: channel counts must be positive and divisible by groups, got in=%d, out=%d,"
                  + " groups=%d",
              op, in, out, groups));
    }
  }

  /** {h, w} from one value or two, each at least {@code min}. */
  static int[] pair(String op, String name, int[] v, int min) {
    if (v == null || v.length < 1 || v.length > 2) {
      throw new IllegalArgumentException(
          op + ": " + name + " must have 1 or 2 values, got " + Arrays.toString(v));
    }
    int[] r = v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
    if (r[0] < min || r[1] < min) {
      throw new IllegalArgumentException(
          op + ": " + name + " must be at least " + min + ", got " + Arrays.toString(v));
    }
    return r;
  }

  /** {top, bottom, left, right} from one value, two (h, w) or four, each non-negative. */
  static int[] pads(String op, int[] p) {
    if (p == null || (p.length != 1 && p.length != 2 && p.length != 4)) {
      throw new IllegalArgumentException(
          op + ": padding must have 1, 2 or 4 values, got " + Arrays.toString(p));
    }
    int[] r =
        p.length == 1
            ? new int[] {p[0], p[0], p[0], p[0]}
            : p.length == 2 ? new int[] {p[0], p[0], p[1], p[1]} : p.clone();
    for (int v : r) {
      if (v < 0) {
        throw new IllegalArgumentException(
            op + ": padding must be non-negative, got " + Arrays.toString(p));
      }
    }
    return r;
  }

  /** The weight, [out, in/groups, kH, kW]. */
  public Tensor weight() {
    return weight;
  }

  /** The bias, [out], or null. */
  public Tensor bias() {
    return bias;
  }

  /**
   * The convolution of a [N, C_in, H, W] batch.
   *
   * @throws IllegalArgumentException if the input is not 4-D with C_in channels, or too small for
   *     the dilated kernel after padding
   */
  @Override
  public Tensor forward(Tensor input) {
    checkInput(input);
    if (input.dim() != 4 || input.shape(1) != inChannels) {
      throw new IllegalArgumentException(
          String.format(
              "Conv2d: expected input [N, %d, H, W], got shape %s",
              inChannels, Arrays.toString(input.shape())));
    }
    return input.conv2d(weight, bias, stride, padding, dilation, groups);
  }

  @Override
  protected String extraRepr() {
    StringBuilder s =
        new StringBuilder(
            String.format(
                "%d, %d, kernel_size=(%d, %d), stride=(%d, %d)",
                inChannels, outChannels, kernelSize[0], kernelSize[1], stride[0], stride[1]));
    if (paddingName != null) {
      s.append(", padding=").append(paddingName);
    } else if (padding[0] == padding[1] && padding[2] == padding[3]) {
      s.append(String.format(", padding=(%d, %d)", padding[0], padding[2]));
    } else {
      s.append(", padding=").append(Arrays.toString(padding));
    }
    if (dilation[0] != 1 || dilation[1] != 1) {
      s.append(String.format(", dilation=(%d, %d)", dilation[0], dilation[1]));
    }
    if (groups != 1) {
      s.append(", groups=").append(groups);
    }
    if (bias == null) {
      s.append(", bias=False");
    }
    return s.toString();
  }
}
