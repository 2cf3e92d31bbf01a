package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;

/** GELU, exact (x·Φ(x)) or with the tanh approximation. {@code new GELU(false).forward(x)} */
public final class GELU extends Module {
  private final boolean tanhApproximation;

  /** The exact form, PyTorch's default. */
  public GELU() {
    this(false);
  }

  /** The exact form, or the tanh approximation when the flag is set. */
  public GELU(boolean tanhApproximation) {
    this.tanhApproximation = tanhApproximation;
  }

  @Override
  public Tensor forward(Tensor input) {
    Tensor x = checkInput(input);
    return tanhApproximation ? x.geluTanh() : x.gelu();
  }

  @Override
  protected String extraRepr() {
    return tanhApproximation ? "approximate='tanh'" : "";
  }
}
