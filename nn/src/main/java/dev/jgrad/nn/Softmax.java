package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;

/** exp(xᵢ) / Σⱼ exp(xⱼ) along a dim, fused and stable. {@code new Softmax(1).forward(logits)} */
public final class Softmax extends Module {
  private final int dim;

  /** Along {@code dim}. */
  public Softmax(int dim) {
    this.dim = dim;
  }

  /**
   * The softmax of {@code input} along the dim.
   *
   * @throws IndexOutOfBoundsException if the dim is out of range for {@code input}
   */
  @Override
  public Tensor forward(Tensor input) {
    return checkInput(input).softmax(dim);
  }

  @Override
  protected String extraRepr() {
    return "dim=" + dim;
  }
}
