package dev.jgrad.optim;

/** lr = base·γ^epoch. {@code new ExponentialLR(opt, 0.95)} */
public final class ExponentialLR extends LRScheduler {
  private final double gamma;

  /** Multiplies the lr by {@code gamma} every epoch. */
  public ExponentialLR(Optimizer optimizer, double gamma) {
    super(optimizer);
    this.gamma = gamma;
  }

  @Override
  protected double lr(double base, int epoch) {
    return base * Math.pow(gamma, epoch);
  }
}
