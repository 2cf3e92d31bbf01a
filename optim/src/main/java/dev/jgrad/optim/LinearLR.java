package dev.jgrad.optim;

/**
 * lr = base·f with f going linearly from {@code startFactor} to {@code endFactor} over {@code
 * totalIters} epochs, then staying there: a warm-up. {@code new LinearLR(opt, 0.1, 1.0, 5)}
 */
public final class LinearLR extends LRScheduler {
  private final double startFactor;
  private final double endFactor;
  private final int totalIters;

  /**
   * A linear ramp of the lr factor; the groups' lr is multiplied by {@code startFactor} at once.
   *
   * @throws IllegalArgumentException if {@code startFactor} is not positive or {@code totalIters}
   *     is less than 1
   */
  public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
    super(optimizer);
    if (startFactor <= 0 || totalIters < 1) {
      throw new IllegalArgumentException(
          "LinearLR: need startFactor > 0 and totalIters >= 1, got "
              + startFactor
              + ", "
              + totalIters);
    }
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    for (ParamGroup g : optimizer.paramGroups()) {
      g.set("lr", g.getDouble("lr") * startFactor);
    }
  }

  @Override
  protected double lr(double base, int epoch) {
    double t = Math.min(epoch, totalIters) / (double) totalIters;
    return base * (startFactor + (endFactor - startFactor) * t);
  }
}
