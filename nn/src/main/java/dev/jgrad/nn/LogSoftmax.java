package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;

/** xᵢ − log Σⱼ exp(xⱼ) along a dim, fused and stable. {@code new LogSoftmax(1).forward(logits)} */
public final class LogSoftmax extends Module {
  private final int dim;

  /** Along {@code dim}. */
  public LogSoftmax(int dim) {
    this.dim = dim;
  }

  /**
   * The log-softmax of {@code input} along the dim.
   *
   * @throws IndexOutOfBoundsException if the dim is out of range for {@code input}
   */
  @Override
  public Tensor forward(Tensor input) {
    return checkInput(input).logSoftmax(dim);
  }

  @Override
  protected String extraRepr() {
    return "dim=" + dim;
  }
}
