package dev.jgrad.optim;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.NDArray;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adam (Kingma and Ba, 2015) with PyTorch's update: m = β₁m + (1 − β₁)g, v = β₂v + (1 − β₂)g², p ←
 * p − η·m̂/(√v̂ + ε) with bias corrections m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ); weight decay as L2
 * (g + λp) here, decoupled in {@link AdamW}; optional AMSGrad (v replaced by its running maximum).
 * Options: the numbers {@code lr} (η), {@code beta1}, {@code beta2}, {@code eps} (ε), {@code
 * weight_decay} (λ), and the flag {@code amsgrad}.
 *
 * <pre>{@code
 * var opt = new Adam(model.parameters(), 1e-3);
 * }</pre>
 */
public class Adam extends Optimizer {
  private final boolean decoupled;

  /**
   * Adam with learning rate {@code lr} and the usual betas (0.9, 0.999), eps 1e-8.
   *
   * @throws IllegalArgumentException if lr is negative, NaN or infinite, or a parameter is not a
   *     leaf that requires grad
   */
  public Adam(Iterable<Tensor> params, double lr) {
    this(params, lr, 0.9, 0.999, 1e-8, 0, false);
  }

  /**
   * Every option.
   *
   * @throws IllegalArgumentException if a number is negative, NaN or infinite, a beta is 1 or more,
   *     or a parameter is not a leaf that requires grad
   */
  public Adam(
      Iterable<Tensor> params,
      double lr,
      double beta1,
      double beta2,
      double eps,
      double weightDecay,
      boolean amsgrad) {
    this(params, lr, beta1, beta2, eps, weightDecay, amsgrad, false);
  }

  /**
   * Parameter groups with these defaults (betas 0.9, 0.999, eps 1e-8, no weight decay, amsgrad
   * false unless a group sets them).
   *
   * @throws IllegalArgumentException if a group sets an option Adam does not have or of the wrong
   *     type, a number is negative, NaN or infinite, a beta is 1 or more, or a parameter is not a
   *     leaf that requires grad
   */
  public Adam(List<ParamGroup> groups, double lr) {
    this(groups, defaults(lr, 0.9, 0.999, 1e-8, 0, false), false);
  }

  /** Groups with these defaults, the weight decay decoupled or not ({@link AdamW}). */
  Adam(List<ParamGroup> groups, Map<String, Object> defaults, boolean decoupled) {
    super(groups, defaults);
    checkBetas();
    this.decoupled = decoupled;
  }

  Adam(
      Iterable<Tensor> params,
      double lr,
      double beta1,
      double beta2,
      double eps,
      double weightDecay,
      boolean amsgrad,
      boolean decoupled) {
    super(params, defaults(lr, beta1, beta2, eps, weightDecay, amsgrad));
    checkBetas();
    this.decoupled = decoupled;
  }

  private void checkBetas() {
    for (ParamGroup g : paramGroups()) {
      double beta1 = g.getDouble("beta1");
      double beta2 = g.getDouble("beta2");
      if (beta1 >= 1 || beta2 >= 1) {
        throw new IllegalArgumentException(
            getClass().getSimpleName() + ": betas must be in [0, 1), got " + beta1 + ", " + beta2);
      }
    }
  }

  static Map<String, Object> defaults(
      double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
    return Map.of(
        "lr", lr,
        "beta1", beta1,
        "beta2", beta2,
        "eps", eps,
        "weight_decay", weightDecay,
        "amsgrad", amsgrad);
  }

  @Override
  protected Set<String> bufferNames() {
    return Set.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq");
  }

  @Override
  protected Set<String> scalarNames() {
    return Set.of("step");
  }

  @Override
  protected void update(Tensor p, NDArray grad, ParamGroup group, Map<String, NDArray> state) {
    double lr = group.getDouble("lr");
    double b1 = group.getDouble("beta1");
    double b2 = group.getDouble("beta2");
    double eps = group.getDouble("eps");
    double wd = group.getDouble("weight_decay");
    boolean amsgrad = group.getBoolean("amsgrad");
    long t = nextStep(state);
    NDArray m = buffer(state, "exp_avg", p);
    NDArray v = buffer(state, "exp_avg_sq", p);
    NDArray vmax = amsgrad ? buffer(state, "max_exp_avg_sq", p) : null;
    NDArray data = p.data();
    if (UpdateKernels.applies(data, grad, m, v, vmax)) {
      UpdateKernels.adam(data, grad, m, v, vmax, lr, b1, b2, eps, wd, decoupled, t);
      return;
    }
    NDArray g = grad;
    if (decoupled) {
      data.mulInPlace(1 - lr * wd);
    } else if (wd != 0) {
      g = g.add(data.mul(wd));
    }
    m.mulInPlace(b1).addInPlace(g, 1 - b1);
    v.mulInPlace(b2).addcmulInPlace(g, g, 1 - b2);
    NDArray second = v;
    if (vmax != null) {
      vmax.copyFrom(vmax.maximum(v));
      second = vmax;
    }
    double bc1 = 1 - Math.pow(b1, t);
    double bc2 = 1 - Math.pow(b2, t);
    NDArray denom = second.sqrt().div(Math.sqrt(bc2)).add(eps);
    data.addcdivInPlace(m, denom, -lr / bc1);
  }
}
