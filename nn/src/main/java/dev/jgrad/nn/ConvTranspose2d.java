package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;
import java.util.Arrays;

/**
 * A transposed 2-D convolution layer, PyTorch's {@code nn.ConvTranspose2d} (the adjoint of a
 * convolution in its input, used to upsample): [N, C_in, H, W] → [N, C_out, OH, OW] with OH = (H −
 * 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1, a weight [C_in, C_out/groups, kH,
 * kW] and a bias [C_out]. Initialised like PyTorch, which computes fan_in from the weight's second
 * size: fan_in = C_out/groups·kH·kW, the weight kaiming-uniform with a = √5 and the bias
 * U(−1/√fan_in, 1/√fan_in).
 *
 * <pre>{@code
 * ConvTranspose2d up = new ConvTranspose2d(64, 32, 2, 2, 0);   // kernel 2, stride 2
 * Tensor y = up.forward(features);                             // [8, 64, 7, 7] -> [8, 32, 14, 14]
 * }</pre>
 */
public final class ConvTranspose2d extends Module {
  private final int inChannels;
  private final int outChannels;
  private final int[] kernelSize;
  private final int[] stride;
  private final int[] padding;
  private final int[] outputPadding;
  private final int groups;
  private final int[] dilation;
  private final Tensor weight;
  private final Tensor bias;

  /**
   * A square kernel, stride 1, no padding, with bias, initialised from {@link Tensor#generator()}.
   *
   * @throws IllegalArgumentException if a size is not positive
   */
  public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) {
    this(inChannels, outChannels, kernelSize, 1, 0, Tensor.generator());
  }

  /**
   * A square kernel, stride 1, no padding, with bias, initialised from {@code g}.
   *
   * @throws IllegalArgumentException if a size is not positive
   */
  public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, Generator g) {
    this(inChannels, outChannels, kernelSize, 1, 0, g);
  }

  /**
   * A square kernel with one stride and padding for both dims, with bias, initialised from {@link
   * Tensor#generator()}.
   *
   * @throws IllegalArgumentException if a size or the stride is not positive or padding &lt; 0
   */
  public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
    this(inChannels, outChannels, kernelSize, stride, padding, Tensor.generator());
  }

  /**
   * A square kernel with one stride and padding for both dims, with bias, initialised from {@code
   * g}.
   *
   * @throws IllegalArgumentException if a size or the stride is not positive or padding &lt; 0
   */
  public ConvTranspose2d(
      int inChannels, int outChannels, int kernelSize, int stride, int padding, Generator g) {
    this(
        inChannels,
        outChannels,
        new int[] {kernelSize},
        new int[] {stride},
        new int[] {padding},
        new int[] {0},
        1,
        true,
        new int[] {1},
        g);
  }

  /**
   * The full form in PyTorch's order: kernel, stride, output padding and dilation as {h, w} (or one
   * number for both), padding as {p}, {pH, pW} or {top, bottom, left, right}.
   *
   * @throws IllegalArgumentException if a channel count, kernel size, stride or dilation is not
   *     positive, a padding is negative, an output padding is not below max(stride, dilation), or
   *     groups does not divide both channel counts
   */
  public ConvTranspose2d(
      int inChannels,
      int outChannels,
      int[] kernelSize,
      int[] stride,
      int[] padding,
      int[] outputPadding,
      int groups,
      boolean bias,
      int[] dilation,
      Generator g) {
    String op = "ConvTranspose2d";
    Conv2d.checkChannels(op, inChannels, outChannels, groups);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = Conv2d.pair(op, "kernelSize", kernelSize, 1);
    this.stride = Conv2d.pair(op, "stride", stride, 1);
    this.padding = Conv2d.pads(op, padding);
    this.outputPadding = Conv2d.pair(op, "outputPadding", outputPadding, 0);
    this.dilation = Conv2d.pair(op, "dilation", dilation, 1);
    for (int a = 0; a < 2; a++) {
      if (this.outputPadding[a] >= Math.max(this.stride[a], this.dilation[a])) {
        throw new IllegalArgumentException(
            String.format(
                "%s: outputPadding %s must be smaller than stride %s or dilation %s",
                op,
                Arrays.toString(this.outputPadding),
                Arrays.toString(this.stride),
                Arrays.toString(this.dilation)));
      }
    }
    this.groups = groups;
    this.weight =
        registerParameter(
            "weight",
            allocate(
                "ConvTranspose2d",
                () ->
                    Tensor.zeros(
                        inChannels, outChannels / groups, this.kernelSize[0], this.kernelSize[1])));
    this.bias = Conv2d.initialise(weight, bias, outChannels, g, this);
  }

  /** The weight, [in, out/groups, kH, kW]. */
  public Tensor weight() {
    return weight;
  }

  /** The bias, [out], or null. */
  public Tensor bias() {
    return bias;
  }

  /**
   * The transposed convolution of a [N, C_in, H, W] batch.
   *
   * @throws IllegalArgumentException if the input is not 4-D with C_in channels, or the output
   *     would be empty
   */
  @Override
  public Tensor forward(Tensor input) {
    checkInput(input);
    if (input.dim() != 4 || input.shape(1) != inChannels) {
      throw new IllegalArgumentException(
          String.format(
              "ConvTranspose2d: expected input [N, %d, H, W], got shape %s",
              inChannels, Arrays.toString(input.shape())));
    }
    return input.convTranspose2d(weight, bias, stride, padding, outputPadding, groups, dilation);
  }

  @Override
  protected String extraRepr() {
    StringBuilder s =
        new StringBuilder(
            String.format(
                "%d, %d, kernel_size=(%d, %d), stride=(%d, %d)",
                inChannels, outChannels, kernelSize[0], kernelSize[1], stride[0], stride[1]));
    if (padding[0] == padding[1] && padding[2] == padding[3]) {
      s.append(String.format(", padding=(%d, %d)", padding[0], padding[2]));
    } else {
      s.append(", padding=").append(Arrays.toString(padding));
    }
    if (outputPadding[0] != 0 || outputPadding[1] != 0) {
      s.append(String.format(", output_padding=(%d, %d)", outputPadding[0], outputPadding[1]));
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
