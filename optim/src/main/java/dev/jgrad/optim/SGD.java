package dev.jgrad.optim;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.NDArray;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stochastic gradient descent with PyTorch's update: d = g + λp; with momentum μ, b = d on the
 * first step and b = μb + (1 − τ)d after (τ = dampening), d = nesterov ? d + μb : b; p ← p − η·d.
 * Options: the numbers {@code lr} (η), {@code momentum} (μ), {@code dampening} (τ), {@code
 * weight_decay} (λ), and the flag {@code nesterov}.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), 0.1, 0.9);     // lr, momentum
 * }</pre>
 */
public final class SGD extends Optimizer {
  /**
   * Plain gradient descent with learning rate {@code lr}.
   *
   * @throws IllegalArgumentException if lr is negative, NaN or infinite, or a parameter is not a
   *     leaf that requires grad
   */
  public SGD(Iterable<Tensor> params, double lr) {
    this(params, lr, 0, 0, 0, false);
  }

  /**
   * With momentum.
   *
   * @throws IllegalArgumentException if lr or momentum is negative, NaN or infinite, or a parameter
   *     is not a leaf that requires grad
   */
  public SGD(Iterable<Tensor> params, double lr, double momentum) {
    this(params, lr, momentum, 0, 0, false);
  }

  /**
   * Every option.
   *
   * @throws IllegalArgumentException if a number is negative, NaN or infinite, Nesterov momentum is
   *     asked for without momentum or with dampening, or a parameter is not a leaf that requires
   *     grad
   */
  public SGD(
      Iterable<Tensor> params,
      double lr,
      double momentum,
      double dampening,
      double weightDecay,
      boolean nesterov) {
    super(params, defaults(lr, momentum, dampening, weightDecay, nesterov));
    checkNesterov();
  }

  /**
   * Parameter groups with these defaults (dampening, weight_decay 0, nesterov false unless a group
   * sets them).
   *
   * @throws IllegalArgumentException if a group sets an option SGD does not have or of the wrong
   *     type, a number is negative, NaN or infinite, a group asks for Nesterov momentum without
   *     momentum or with dampening, or a parameter is not a leaf that requires grad
   */
  public SGD(List<ParamGroup> groups, double lr, double momentum) {
    super(groups, defaults(lr, momentum, 0, 0, false));
    checkNesterov();
  }

  private static Map<String, Object> defaults(
      double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
    return Map.of(
        "lr", lr,
        "momentum", momentum,
        "dampening", dampening,
        "weight_decay", weightDecay,
        "nesterov", nesterov);
  }

  private void checkNesterov() {
    for (ParamGroup g : paramGroups()) {
      if (g.getBoolean("nesterov")
          && (g.getDouble("momentum") <= 0 || g.getDouble("dampening") != 0)) {
        throw new IllegalArgumentException(
            "SGD: Nesterov momentum requires momentum > 0 and zero dampening, got " + g);
      }
    }
  }

  @Override
  protected Set<String> bufferNames() {
    return Set.of("momentum_buffer");
  }

  @Override
  protected Set<String> scalarNames() {
    return Set.of();
  }

  @Override
  protected void update(Tensor p, NDArray grad, ParamGroup group, Map<String, NDArray> state) {
    double lr = group.getDouble("lr");
    double momentum = group.getDouble("momentum");
    double dampening = group.getDouble("dampening");
    double wd = group.getDouble("weight_decay");
    boolean nesterov = group.getBoolean("nesterov");
    boolean first = !state.containsKey("momentum_buffer");
    NDArray buf = momentum != 0 ? buffer(state, "momentum_buffer", p) : null;
    NDArray data = p.data();
    if (UpdateKernels.applies(data, grad, buf)) {
      UpdateKernels.sgd(data, grad, buf, lr, momentum, dampening, wd, nesterov, first);
      return;
    }
    NDArray d = wd != 0 ? grad.add(data.mul(wd)) : grad;
    if (buf != null) {
      if (first) {
        buf.copyFrom(d);
      } else {
        buf.mulInPlace(momentum).addInPlace(d, 1 - dampening);
      }
      d = nesterov ? d.add(buf.mul(momentum)) : buf;
    }
    data.addInPlace(d, -lr);
  }
}
