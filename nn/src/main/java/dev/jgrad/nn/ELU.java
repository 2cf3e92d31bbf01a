package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;

/** x for x > 0, α(eˣ − 1) otherwise. {@code new ELU(1.0).forward(x)} */
public final class ELU extends Module {
  private final double alpha;

  /** α = 1. */
  public ELU() {
    this(1.0);
  }

  /** With the given α. */
  public ELU(double alpha) {
    this.alpha = alpha;
  }

  @Override
  public Tensor forward(Tensor input) {
    return F.elu(checkInput(input), alpha);
  }

  @Override
  protected String extraRepr() {
    return "alpha=" + alpha;
  }
}
