package dev.jgrad.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * Sets each parameter group's learning rate from its initial value and the epoch count, in closed
 * form. Call {@link #step()} once per epoch, after the optimizer's steps.
 *
 * <pre>{@code
 * var sched = new StepLR(opt, 10, 0.1);
 * for (int epoch = 0; epoch < 30; epoch++) { train(); sched.step(); }
 * }</pre>
 */
public abstract class LRScheduler {
  private final Optimizer optimizer;
  private final double[] baseLrs;
  private int epoch;

  /** Remembers each group's current lr as its base. */
  protected LRScheduler(Optimizer optimizer) {
    this.optimizer = optimizer;
    this.baseLrs = optimizer.paramGroups().stream().mapToDouble(g -> g.getDouble("lr")).toArray();
  }

  /** The learning rate for a group with base lr {@code base} at {@code epoch}. */
  protected abstract double lr(double base, int epoch);

  /** Advances one epoch and sets the groups' learning rates. */
  public void step() {
    epoch++;
    List<ParamGroup> groups = optimizer.paramGroups();
    for (int i = 0; i < groups.size(); i++) {
      groups.get(i).set("lr", lr(baseLrs[i], epoch));
    }
  }

  /** The epochs stepped so far. */
  public int epoch() {
    return epoch;
  }

  /** The groups' current learning rates. */
  public List<Double> lastLr() {
    List<Double> out = new ArrayList<>();
    optimizer.paramGroups().forEach(g -> out.add(g.getDouble("lr")));
    return out;
  }
}
