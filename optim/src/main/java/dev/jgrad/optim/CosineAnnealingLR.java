package dev.jgrad.optim;

/**
 * lr = η_min + (base − η_min)·(1 + cos(π·epoch/T_max))/2 (SGDR without restarts, in closed form).
 * {@code new CosineAnnealingLR(opt, 50, 0)}
 */
public final class CosineAnnealingLR extends LRScheduler {
  private final int tMax;
  private final double etaMin;

  /**
   * Anneals from the base lr to {@code etaMin} over {@code tMax} epochs.
   *
   * @throws IllegalArgumentException if {@code tMax} is less than 1
   */
  public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
    super(optimizer);
    if (tMax < 1) {
      throw new IllegalArgumentException("CosineAnnealingLR: tMax must be positive, got " + tMax);
    }
    this.tMax = tMax;
    this.etaMin = etaMin;
  }

  @Override
  protected double lr(double base, int epoch) {
    return etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
  }
}
