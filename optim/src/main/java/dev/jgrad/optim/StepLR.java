package dev.jgrad.optim;

/** lr = base·γ^⌊epoch / stepSize⌋. {@code new StepLR(opt, 30, 0.1)} */
public final class StepLR extends LRScheduler {
  private final int stepSize;
  private final double gamma;

  /**
   * Multiplies the lr by {@code gamma} every {@code stepSize} epochs.
   *
   * @throws IllegalArgumentException if {@code stepSize} is less than 1
   */
  public StepLR(Optimizer optimizer, int stepSize, double gamma) {
    super(optimizer);
    if (stepSize < 1) {
      throw new IllegalArgumentException("StepLR: stepSize must be positive, got " + stepSize);
    }
    this.stepSize = stepSize;
    this.gamma = gamma;
  }

  @Override
  protected double lr(double base, int epoch) {
    return base * Math.pow(gamma, epoch / stepSize);
  }
}
