package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;

/** The activation tanh x as a module. {@code new Tanh().forward(x)} */
public final class Tanh extends Module {
  /** A tanh layer. */
  public Tanh() {}

  @Override
  public Tensor forward(Tensor input) {
    return F.tanh(checkInput(input));
  }
}
