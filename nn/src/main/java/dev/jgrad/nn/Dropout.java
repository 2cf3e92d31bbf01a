package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;

/**
 * In training mode zeroes each element with probability p and scales the rest by 1/(1 − p)
 * (inverted dropout, so evaluation needs no rescaling); p = 1 zeroes everything, as in PyTorch. In
 * evaluation mode returns the input.
 *
 * <pre>{@code
 * var drop = new Dropout(0.5, new Generator(7));
 * drop.eval();                 // now the identity
 * }</pre>
 */
public final class Dropout extends Module {
  private final double p;
  private final Generator generator;

  /**
   * Dropout with probability p, drawing masks from {@link Tensor#generator()}.
   *
   * @throws IllegalArgumentException if p is not in [0, 1]
   */
  public Dropout(double p) {
    this(p, Tensor.generator());
  }

  /**
   * Dropout with probability p, drawing masks from the given generator.
   *
   * @throws IllegalArgumentException if p is not in [0, 1]
   */
  public Dropout(double p, Generator generator) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("Dropout: p must be in [0, 1], got " + p);
    }
    this.p = p;
    this.generator = generator;
  }

  @Override
  public Tensor forward(Tensor input) {
    return F.dropout(checkInput(input), p, isTraining(), generator);
  }

  @Override
  protected String extraRepr() {
    return "p=" + p;
  }
}
