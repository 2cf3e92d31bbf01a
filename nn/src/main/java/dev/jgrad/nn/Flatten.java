package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;

/**
 * Merges dims {@code startDim..endDim} (default 1..-1, keeping the batch dim).
 *
 * <pre>{@code
 * new Flatten().forward(images);      // [64, 1, 28, 28] -> [64, 784]
 * }</pre>
 */
public final class Flatten extends Module {
  private final int startDim;
  private final int endDim;

  /** Flattens all dims after the first. */
  public Flatten() {
    this(1, -1);
  }

  /** Flattens dims startDim..endDim inclusive. */
  public Flatten(int startDim, int endDim) {
    this.startDim = startDim;
    this.endDim = endDim;
  }

  /**
   * {@code input} with the dims merged (a view when the layout allows).
   *
   * @throws IndexOutOfBoundsException if a dim is out of range for {@code input}
   * @throws IllegalArgumentException if the start dim comes after the end dim
   */
  @Override
  public Tensor forward(Tensor input) {
    return checkInput(input).flatten(startDim, endDim);
  }

  @Override
  protected String extraRepr() {
    return "start_dim=" + startDim + ", end_dim=" + endDim;
  }
}
