package dev.jgrad.optim;

/**
 * lr = base·γ^(number of milestones ≤ epoch). {@code new MultiStepLR(opt, new int[] {30, 80}, 0.1)}
 */
public final class MultiStepLR extends LRScheduler {
  private final int[] milestones;
  private final double gamma;

  /** Multiplies the lr by {@code gamma} at each milestone epoch. */
  public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
    super(optimizer);
    this.milestones = milestones.clone();
    this.gamma = gamma;
  }

  @Override
  protected double lr(double base, int epoch) {
    int passed = 0;
    for (int m : milestones) {
      passed += m <= epoch ? 1 : 0;
    }
    return base * Math.pow(gamma, passed);
  }
}
