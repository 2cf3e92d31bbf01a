package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;

/**
 * Adaptive 2-D average pooling to a fixed output plane, whatever the input's size (PyTorch's {@code
 * AdaptiveAvgPool2d}): output row i averages input rows ⌊i·H/outH⌋ to ⌈(i + 1)·H/outH⌉ − 1, and
 * likewise for columns.
 *
 * <pre>{@code
 * var gap = new AdaptiveAvgPool2d(1);   // global average pooling: [N, C, H, W] -> [N, C, 1, 1]
 * }</pre>
 */
public final class AdaptiveAvgPool2d extends Module {
  private final int outH;
  private final int outW;

  /**
   * A square {@code outputSize × outputSize} output.
   *
   * @throws IllegalArgumentException if the size is not positive
   */
  public AdaptiveAvgPool2d(int outputSize) {
    this(outputSize, outputSize);
  }

  /**
   * An {@code outH × outW} output.
   *
   * @throws IllegalArgumentException if a size is not positive
   */
  public AdaptiveAvgPool2d(int outH, int outW) {
    if (outH < 1 || outW < 1) {
      throw new IllegalArgumentException(
          String.format(
              "AdaptiveAvgPool2d: output size must be positive, got [%d, %d]", outH, outW));
    }
    this.outH = outH;
    this.outW = outW;
  }

  /**
   * The mean over each adaptive window.
   *
   * @throws IllegalArgumentException if the input is not 3-D or 4-D or has an empty plane
   */
  @Override
  public Tensor forward(Tensor input) {
    return input.adaptiveAvgPool2d(outH, outW);
  }

  @Override
  protected String extraRepr() {
    return "output_size="
        + (outH == outW ? Integer.toString(outH) : "(" + outH + ", " + outW + ")");
  }
}
