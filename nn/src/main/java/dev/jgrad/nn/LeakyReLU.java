package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;

/** x for x > 0, slope·x otherwise. {@code new LeakyReLU(0.01).forward(x)} */
public final class LeakyReLU extends Module {
  private final double slope;

  /** The PyTorch default slope, 0.01. */
  public LeakyReLU() {
    this(0.01);
  }

  /** With the given negative slope. */
  public LeakyReLU(double slope) {
    this.slope = slope;
  }

  @Override
  public Tensor forward(Tensor input) {
    return F.leakyRelu(checkInput(input), slope);
  }

  @Override
  protected String extraRepr() {
    return "negative_slope=" + slope;
  }
}
