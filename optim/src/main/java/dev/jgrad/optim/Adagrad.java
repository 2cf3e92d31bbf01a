package dev.jgrad.optim;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.NDArray;
import java.util.Map;
import java.util.Set;

/**
 * Adagrad with PyTorch's update at step t: g ← g + λp; η_t = η / (1 + (t − 1)·decay); s ← s + g²; p
 * ← p − η_t·g/(√s + ε), with s starting at {@code initial_accumulator_value}. Options (all
 * numbers): {@code lr} (η), {@code lr_decay}, {@code weight_decay} (λ), {@code
 * initial_accumulator_value}, {@code eps} (ε).
 *
 * <pre>{@code
 * var opt = new Adagrad(model.parameters(), 0.01);
 * }</pre>
 */
public final class Adagrad extends Optimizer {
  /**
   * Adagrad with ε = 1e-10.
   *
   * @throws IllegalArgumentException if lr is negative, NaN or infinite, or a parameter is not a
   *     leaf that requires grad
   */
  public Adagrad(Iterable<Tensor> params, double lr) {
    this(params, lr, 0, 0, 0, 1e-10);
  }

  /**
   * Every option.
   *
   * @throws IllegalArgumentException if a number is negative, NaN or infinite, or a parameter is
   *     not a leaf that requires grad
   */
  public Adagrad(
      Iterable<Tensor> params,
      double lr,
      double lrDecay,
      double weightDecay,
      double initialAccumulatorValue,
      double eps) {
    super(
        params,
        Map.of(
            "lr", lr,
            "lr_decay", lrDecay,
            "weight_decay", weightDecay,
            "initial_accumulator_value", initialAccumulatorValue,
            "eps", eps));
  }

  @Override
  protected Set<String> bufferNames() {
    return Set.of("sum");
  }

  @Override
  protected Set<String> scalarNames() {
    return Set.of("step");
  }

  @Override
  protected void update(Tensor p, NDArray grad, ParamGroup group, Map<String, NDArray> state) {
    double wd = group.getDouble("weight_decay");
    double eps = group.getDouble("eps");
    long t = nextStep(state);
    double clr = group.getDouble("lr") / (1 + (t - 1) * group.getDouble("lr_decay"));
    NDArray data = p.data();
    NDArray sum =
        state.computeIfAbsent(
            "sum",
            k ->
                NDArray.full(
                    data.dtype(), group.getDouble("initial_accumulator_value"), data.shape()));
    if (UpdateKernels.applies(data, grad, sum)) {
      UpdateKernels.adagrad(data, grad, sum, clr, wd, eps);
      return;
    }
    NDArray g = wd != 0 ? grad.add(data.mul(wd)) : grad;
    sum.addcmulInPlace(g, g, 1);
    data.addcdivInPlace(g, sum.sqrt().add(eps), -clr);
  }
}
