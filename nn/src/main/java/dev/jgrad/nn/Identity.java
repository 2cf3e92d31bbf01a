package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;

/** Returns its input: a placeholder layer. {@code new Identity().forward(x) == x} */
public final class Identity extends Module {
  /** An identity layer. */
  public Identity() {}

  @Override
  public Tensor forward(Tensor input) {
    return checkInput(input);
  }
}
