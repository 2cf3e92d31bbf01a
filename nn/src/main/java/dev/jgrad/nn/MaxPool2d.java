package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;

/**
 * 2-D max pooling of (N, C, H, W) or (C, H, W) inputs (PyTorch's {@code MaxPool2d}); see {@link
 * F#maxPool2d(Tensor, int[], int[], int[], int[], boolean)}.
 *
 * <pre>{@code
 * var pool = new MaxPool2d(2);          // [N, C, 28, 28] -> [N, C, 14, 14]
 * var overlapping = new MaxPool2d(3, 2);
 * }</pre>
 */
public final class MaxPool2d extends Module {
  private final int[] kernelSize;
  private final int[] stride;
  private final int[] padding;
  private final int[] dilation;
  private final boolean ceilMode;

  /** A square kernel, stride = kernel, no padding. */
  public MaxPool2d(int kernelSize) {
    this(new int[] {kernelSize}, null, new int[] {0}, new int[] {1}, false);
  }

  /** A square kernel and stride, no padding. */
  public MaxPool2d(int kernelSize, int stride) {
    this(new int[] {kernelSize}, new int[] {stride}, new int[] {0}, new int[] {1}, false);
  }

  /**
   * Every option: each array holds one value for both dims or {h, w}; a null stride is the kernel
   * size. The arguments are checked against each input in {@link #forward}.
   */
  public MaxPool2d(
      int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
    this.kernelSize = Pooling2d.copy(kernelSize);
    this.stride = Pooling2d.copy(stride == null || stride.length == 0 ? kernelSize : stride);
    this.padding = Pooling2d.copy(padding);
    this.dilation = Pooling2d.copy(dilation);
    this.ceilMode = ceilMode;
  }

  /**
   * The maximum of each window.
   *
   * @throws IllegalArgumentException if the input is not 3-D or 4-D, an argument is out of range,
   *     padding is above half the kernel, or the kernel does not fit the padded input
   */
  @Override
  public Tensor forward(Tensor input) {
    return input.maxPool2d(kernelSize, stride, padding, dilation, ceilMode);
  }

  @Override
  protected String extraRepr() {
    return String.format(
        "kernel_size=%s, stride=%s, padding=%s, dilation=%s, ceil_mode=%s",
        Pooling2d.repr(kernelSize),
        Pooling2d.repr(stride),
        Pooling2d.repr(padding),
        Pooling2d.repr(dilation),
        ceilMode ? "True" : "False");
  }
}
