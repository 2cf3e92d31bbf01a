package dev.jgrad.optim;

/**
 * Multiplies the lr by {@code factor} when a metric has not improved for more than {@code patience}
 * epochs (improved: below best·(1 − threshold) in min mode, above best·(1 + threshold) in max
 * mode), then waits {@code cooldown} epochs; never below {@code minLr}. The threshold is PyTorch's
 * {@code rel} mode exactly, without regard to the sign of best: for a negative best the bound lies
 * on the worse side of it (min mode, best −10, threshold 0.1: any metric below −9 improves), as in
 * PyTorch.
 *
 * <pre>{@code
 * var plateau = new ReduceLROnPlateau(opt, true, 0.1, 10, 1e-4, 0, 0);
 * plateau.step(validationLoss);
 * }</pre>
 */
public final class ReduceLROnPlateau {
  private final Optimizer optimizer;
  private final boolean minimize;
  private final double factor;
  private final int patience;
  private final double threshold;
  private final int cooldown;
  private final double minLr;
  private double best;
  private int badEpochs;
  private int cooldownLeft;

  /** With PyTorch's defaults: min mode, factor 0.1, patience 10, threshold 1e-4. */
  public ReduceLROnPlateau(Optimizer optimizer) {
    this(optimizer, true, 0.1, 10, 1e-4, 0, 0);
  }

  /**
   * Every option ({@code minimize} false means "max" mode).
   *
   * @throws IllegalArgumentException if {@code factor} is not in (0, 1)
   */
  public ReduceLROnPlateau(
      Optimizer optimizer,
      boolean minimize,
      double factor,
      int patience,
      double threshold,
      int cooldown,
      double minLr) {
    if (!(factor > 0 && factor < 1)) {
      throw new IllegalArgumentException(
          "ReduceLROnPlateau: factor must be in (0, 1), got " + factor);
    }
    this.optimizer = optimizer;
    this.minimize = minimize;
    this.factor = factor;
    this.patience = patience;
    this.threshold = threshold;
    this.cooldown = cooldown;
    this.minLr = minLr;
    this.best = minimize ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
  }

  /** Records one epoch's metric and lowers the lr after a plateau. */
  public void step(double metric) {
    // best starts at +∞ (min) or −∞ (max), which every finite metric beats.
    boolean improved = minimize ? metric < best * (1 - threshold) : metric > best * (1 + threshold);
    if (improved) {
      best = metric;
      badEpochs = 0;
    } else {
      badEpochs++;
    }
    if (cooldownLeft > 0) {
      cooldownLeft--;
      badEpochs = 0;
    }
    if (badEpochs > patience) {
      for (ParamGroup g : optimizer.paramGroups()) {
        g.set("lr", Math.max(g.getDouble("lr") * factor, minLr));
      }
      cooldownLeft = cooldown;
      badEpochs = 0;
    }
  }
}
