package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;
import java.util.Arrays;

/**
 * A 1-D convolution layer, PyTorch's {@code nn.Conv1d}: [N, C_in, L] → [N, C_out, L_out] with a
 * weight [C_out, C_in/groups, k] and a bias [C_out], initialised like PyTorch (kaiming-uniform with
 * a = √5 on the weight, the bias U(−1/√fan_in, 1/√fan_in), fan_in = C_in/groups·k). It runs as a
 * 2-D convolution of height 1 on views.
 *
 * <pre>{@code
 * Conv1d conv = new Conv1d(16, 32, 5, 1, 2);    // kernel 5, stride 1, padding 2
 * Tensor y = conv.forward(signals);             // [8, 16, 100] -> [8, 32, 100]
 * }</pre>
 */
public final class Conv1d extends Module {
  private final int inChannels;
  private final int outChannels;
  private final int kernelSize;
  private final int stride;
  private final int padding;
  private final String paddingName;
  private final int dilation;
  private final int groups;
  private final Tensor weight;
  private final Tensor bias;

  /**
   * Stride 1, no padding, with bias, initialised from {@link Tensor#generator()}.
   *
   * @throws IllegalArgumentException if a size is not positive
   */
  public Conv1d(int inChannels, int outChannels, int kernelSize) {
    this(inChannels, outChannels, kernelSize, 1, 0, Tensor.generator());
  }

  /**
   * Stride 1, no padding, with bias, initialised from {@code g}.
   *
   * @throws IllegalArgumentException if a size is not positive
   */
  public Conv1d(int inChannels, int outChannels, int kernelSize, Generator g) {
    this(inChannels, outChannels, kernelSize, 1, 0, g);
  }

  /**
   * A stride and a padding at both ends, with bias, initialised from {@link Tensor#generator()}.
   *
   * @throws IllegalArgumentException if a size or the stride is not positive or padding &lt; 0
   */
  public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
    this(inChannels, outChannels, kernelSize, stride, padding, Tensor.generator());
  }

  /**
   * A stride and a padding at both ends, with bias, initialised from {@code g}.
   *
   * @throws IllegalArgumentException if a size or the stride is not positive or padding &lt; 0
   */
  public Conv1d(
      int inChannels, int outChannels, int kernelSize, int stride, int padding, Generator g) {
    this(inChannels, outChannels, kernelSize, stride, padding, 1, 1, true, g);
  }

  /**
   * The full form, PyTorch's order.
   *
   * @throws IllegalArgumentException if a channel count, the kernel size, stride or dilation is not
   *     positive, the padding is negative, or groups does not divide both channel counts
   */
  public Conv1d(
      int inChannels,
      int outChannels,
      int kernelSize,
      int stride,
      int padding,
      int dilation,
      int groups,
      boolean bias,
      Generator g) {
    this(inChannels, outChannels, kernelSize, stride, padding, null, dilation, groups, bias, g);
  }

  /**
   * The full form with {@code padding = "same"} (stride must be 1) or {@code "valid"}.
   *
   * @throws IllegalArgumentException if the padding is neither "same" nor "valid", "same" comes
   *     with a stride other than 1, or see the numeric form
   */
  public Conv1d(
      int inChannels,
      int outChannels,
      int kernelSize,
      int stride,
      String padding,
      int dilation,
      int groups,
      boolean bias,
      Generator g) {
    this(
        inChannels,
        outChannels,
        kernelSize,
        stride,
        checkName(padding, stride),
        padding,
        dilation,
        groups,
        bias,
        g);
  }

  private static int checkName(String padding, int stride) {
    F.namedPadding("Conv1d", padding, new int[] {stride}, new int[] {1}, new int[] {1, 1});
    return 0; // the pads themselves are computed per call by F.conv1d
  }

  private Conv1d(
      int inChannels,
      int outChannels,
      int kernelSize,
      int stride,
      int padding,
      String paddingName,
      int dilation,
      int groups,
      boolean bias,
      Generator g) {
    String op = "Conv1d";
    Conv2d.checkChannels(op, inChannels, outChannels, groups);
    if (kernelSize < 1 || stride < 1 || dilation < 1 || padding < 0) {
      throw new IllegalArgumentException(
          String.format(
              "%s: kernel size, stride and dilation must be positive and padding non-negative, got"
                  + " kernel_size=%d, stride=%d, padding=%d, dilation=%d",
              op, kernelSize, stride, padding, dilation));
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize;
    this.stride = stride;
    this.padding = padding;
    this.paddingName = paddingName;
    this.dilation = dilation;
    this.groups = groups;
    this.weight =
        registerParameter(
            "weight",
            allocate("Conv1d", () -> Tensor.zeros(outChannels, inChannels / groups, kernelSize)));
    this.bias = Conv2d.initialise(weight, bias, outChannels, g, this);
  }

  /** The weight, [out, in/groups, k]. */
  public Tensor weight() {
    return weight;
  }

  /** The bias, [out], or null. */
  public Tensor bias() {
    return bias;
  }

  /**
   * The convolution of a [N, C_in, L] batch.
   *
   * @throws IllegalArgumentException if the input is not 3-D with C_in channels, or too short for
   *     the dilated kernel after padding
   */
  @Override
  public Tensor forward(Tensor input) {
    checkInput(input);
    if (input.dim() != 3 || input.shape(1) != inChannels) {
      throw new IllegalArgumentException(
          String.format(
              "Conv1d: expected input [N, %d, L], got shape %s",
              inChannels, Arrays.toString(input.shape())));
    }
    return paddingName != null
        ? F.conv1d(input, weight, bias, stride, paddingName, dilation, groups)
        : F.conv1d(input, weight, bias, stride, padding, dilation, groups);
  }

  @Override
  protected String extraRepr() {
    StringBuilder s =
        new StringBuilder(
            String.format(
                "%d, %d, kernel_size=(%d,), stride=(%d,)",
                inChannels, outChannels, kernelSize, stride));
    s.append(
        paddingName != null
            ? ", padding=" + paddingName
            : String.format(", padding=(%d,)", padding));
    if (dilation != 1) {
      s.append(String.format(", dilation=(%d,)", dilation));
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
