package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;

/** The activation max(x, 0) as a module. {@code new ReLU().forward(x)} */
public final class ReLU extends Module {
  /** A ReLU layer. */
  public ReLU() {}

  @Override
  public Tensor forward(Tensor input) {
    return F.relu(checkInput(input));
  }
}
