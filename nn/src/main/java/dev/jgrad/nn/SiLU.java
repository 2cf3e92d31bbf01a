package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;

/** The activation x·σ(x) as a module. {@code new SiLU().forward(x)} */
public final class SiLU extends Module {
  /** A SiLU layer. */
  public SiLU() {}

  @Override
  public Tensor forward(Tensor input) {
    return F.silu(checkInput(input));
  }
}
