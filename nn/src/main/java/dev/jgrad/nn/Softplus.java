package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;

/** The activation log(1 + eˣ) as a module. {@code new Softplus().forward(x)} */
public final class Softplus extends Module {
  /** A softplus layer (β = 1). */
  public Softplus() {}

  @Override
  public Tensor forward(Tensor input) {
    return F.softplus(checkInput(input));
  }
}
