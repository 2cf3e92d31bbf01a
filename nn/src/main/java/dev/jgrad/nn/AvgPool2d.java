package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;

/**
 * 2-D average pooling of (N, C, H, W) or (C, H, W) inputs (PyTorch's {@code AvgPool2d}); see {@link
 * F#avgPool2d(Tensor, int[], int[], int[], boolean, boolean)}. By default padding counts in the
 * divisor ({@code countIncludePad}), as in PyTorch.
 *
 * <pre>{@code
 * var pool = new AvgPool2d(2);   // [N, C, 28, 28] -> [N, C, 14, 14]
 * }</pre>
 */
public final class AvgPool2d extends Module {
  private final int[] kernelSize;
  private final int[] stride;
  private final int[] padding;
  private final boolean ceilMode;
  private final boolean countIncludePad;

  /** A square kernel, stride = kernel, no padding. */
  public AvgPool2d(int kernelSize) {
    this(new int[] {kernelSize}, null, new int[] {0}, false, true);
  }

  /** A square kernel and stride, no padding. */
  public AvgPool2d(int kernelSize, int stride) {
    this(new int[] {kernelSize}, new int[] {stride}, new int[] {0}, false, true);
  }

  /**
   * Every option: each array holds one value for both dims or {h, w}; a null stride is the kernel
   * size. The arguments are checked against each input in {@link #forward}.
   */
  public AvgPool2d(
      int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
    this.kernelSize = Pooling2d.copy(kernelSize);
    this.stride = Pooling2d.copy(stride == null || stride.length == 0 ? kernelSize : stride);
    this.padding = Pooling2d.copy(padding);
    this.ceilMode = ceilMode;
    this.countIncludePad = countIncludePad;
  }

  /**
   * The mean of each window.
   *
   * @throws IllegalArgumentException if the input is not 3-D or 4-D, an argument is out of range,
   *     padding is above half the kernel, or the kernel does not fit the padded input
   */
  @Override
  public Tensor forward(Tensor input) {
    return input.avgPool2d(kernelSize, stride, padding, ceilMode, countIncludePad);
  }

  @Override
  protected String extraRepr() {
    return String.format(
        "kernel_size=%s, stride=%s, padding=%s",
        Pooling2d.repr(kernelSize), Pooling2d.repr(stride), Pooling2d.repr(padding));
  }
}
