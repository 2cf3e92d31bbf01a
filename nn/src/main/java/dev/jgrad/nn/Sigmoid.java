package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;

/** The activation 1/(1 + e⁻ˣ) as a module. {@code new Sigmoid().forward(x)} */
public final class Sigmoid extends Module {
  /** A sigmoid layer. */
  public Sigmoid() {}

  @Override
  public Tensor forward(Tensor input) {
    return F.sigmoid(checkInput(input));
  }
}
