package dev.jgrad.optim;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.OptimizerKernels;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with PyTorch's update: d = g + λp; with momentum μ, b = d on the
 * first step and b = μb + (1 − τ)d after (τ = dampening), d = nesterov ? d + μb : b; p ← p − η·d.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), 0.1, 0.9);     // lr, momentum
 * }</pre>
 */
public final class SGD extends Optimizer {
  /** Plain gradient descent with learning rate {@code lr}. */
  public SGD(Iterable<Tensor> params, double lr) {
    this(params, lr, 0, 0, 0, false);
  }

  /** With momentum. */
  public SGD(Iterable<Tensor> params, double lr, double momentum) {
    this(params, lr, momentum, 0, 0, false);
  }

  /** Every option. */
  public SGD(
      Iterable<Tensor> params,
      double lr,
      double momentum,
      double dampening,
      double weightDecay,
      boolean nesterov) {
    super(params, defaults(lr, momentum, dampening, weightDecay, nesterov));
    checkNesterov(momentum, dampening, nesterov);
  }

  /** Parameter groups with these defaults. */
  public SGD(List<ParamGroup> groups, double lr, double momentum) {
    super(groups, defaults(lr, momentum, 0, 0, false));
  }

  private static Map<String, Double> defaults(
      double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
    return Map.of(
        "lr", lr,
        "momentum", momentum,
        "dampening", dampening,
        "weight_decay", weightDecay,
        "nesterov", nesterov ? 1.0 : 0.0);
  }

  private static void checkNesterov(double momentum, double dampening, boolean nesterov) {
    if (nesterov && (momentum <= 0 || dampening != 0)) {
      throw new IllegalArgumentException(
          "SGD: Nesterov momentum requires momentum > 0 and zero dampening");
    }
  }

  @Override
  protected void update(Tensor p, NDArray grad, ParamGroup group, Map<String, NDArray> state) {
    double lr = group.get("lr");
    double momentum = group.get("momentum");
    double dampening = group.get("dampening");
    double wd = group.get("weight_decay");
    boolean nesterov = group.get("nesterov") != 0;
    boolean first = !state.containsKey("momentum_buffer");
    NDArray buf = momentum != 0 ? buffer(state, "momentum_buffer", p) : null;
    NDArray data = p.data();
    if (OptimizerKernels.supports(data, grad, buf)) {
      OptimizerKernels.sgd(data, grad, buf, lr, momentum, dampening, wd, nesterov, first);
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
