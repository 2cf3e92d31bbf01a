package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;

/**
 * Channel dropout (PyTorch's {@code Dropout2d}): in training mode each whole (n, c) plane of an (N,
 * C, H, W) input is zeroed with probability p and the others are scaled by 1/(1 − p); in evaluation
 * mode returns the input. Neighbouring pixels of a feature map are strongly correlated, so dropping
 * whole maps regularises convolutions where element-wise dropout barely does.
 *
 * <pre>{@code
 * var drop = new Dropout2d(0.2);
 * Tensor h = drop.forward(maps);   // [N, C, H, W], some channels all zero
 * }</pre>
 */
public final class Dropout2d extends Module {
  private final double p;
  private final Generator generator;

  /**
   * Channel dropout with probability p, drawing masks from {@link Tensor#generator()}.
   *
   * @throws IllegalArgumentException if p is not in [0, 1)
   */
  public Dropout2d(double p) {
    this(p, Tensor.generator());
  }

  /**
   * Channel dropout with probability p, drawing masks from the given generator.
   *
   * @throws IllegalArgumentException if p is not in [0, 1)
   */
  public Dropout2d(double p, Generator generator) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException("Dropout2d: p must be in [0, 1), got " + p);
    }
    this.p = p;
    this.generator = generator;
  }

  /**
   * The input with dropped channels in training mode, the input itself otherwise.
   *
   * @throws IllegalArgumentException if the input is not 4-D
   */
  @Override
  public Tensor forward(Tensor input) {
    return F.dropout2d(input, p, isTraining(), generator);
  }

  @Override
  protected String extraRepr() {
    return "p=" + p;
  }
}
