package dev.jgrad.optim;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.OptimizerKernels;
import java.util.Map;

/**
 * RMSprop with PyTorch's update: g ← g + λp; s = αs + (1 − α)g²; centered: a = √(s − ḡ²) + ε with ḡ
 * = αḡ + (1 − α)g, else a = √s + ε; with momentum μ, b = μb + g/a and p ← p − ηb, else p ← p −
 * ηg/a.
 *
 * <pre>{@code
 * var opt = new RMSprop(model.parameters(), 0.01);
 * }</pre>
 */
public final class RMSprop extends Optimizer {
  /** RMSprop with α = 0.99, ε = 1e-8. */
  public RMSprop(Iterable<Tensor> params, double lr) {
    this(params, lr, 0.99, 1e-8, 0, 0, false);
  }

  /** Every option. */
  public RMSprop(
      Iterable<Tensor> params,
      double lr,
      double alpha,
      double eps,
      double weightDecay,
      double momentum,
      boolean centered) {
    super(
        params,
        Map.of(
            "lr", lr,
            "alpha", alpha,
            "eps", eps,
            "weight_decay", weightDecay,
            "momentum", momentum,
            "centered", centered ? 1.0 : 0.0));
  }

  @Override
  protected void update(Tensor p, NDArray grad, ParamGroup group, Map<String, NDArray> state) {
    double lr = group.get("lr");
    double alpha = group.get("alpha");
    double eps = group.get("eps");
    double wd = group.get("weight_decay");
    double momentum = group.get("momentum");
    NDArray data = p.data();
    NDArray sq = buffer(state, "square_avg", p);
    NDArray gradAvg = group.get("centered") != 0 ? buffer(state, "grad_avg", p) : null;
    NDArray momentumBuf = momentum > 0 ? buffer(state, "momentum_buffer", p) : null;
    if (OptimizerKernels.supports(data, grad, sq, gradAvg, momentumBuf)) {
      OptimizerKernels.rmsprop(data, grad, sq, gradAvg, momentumBuf, lr, alpha, eps, wd, momentum);
      return;
    }
    NDArray g = wd != 0 ? grad.add(data.mul(wd)) : grad;
    sq.mulInPlace(alpha).addcmulInPlace(g, g, 1 - alpha);
    NDArray avg;
    if (gradAvg != null) {
      gradAvg.mulInPlace(alpha).addInPlace(g, 1 - alpha);
      avg = sq.sub(gradAvg.square()).sqrt().add(eps);
    } else {
      avg = sq.sqrt().add(eps);
    }
    if (momentumBuf != null) {
      momentumBuf.mulInPlace(momentum).addcdivInPlace(g, avg, 1);
      data.addInPlace(momentumBuf, -lr);
    } else {
      data.addcdivInPlace(g, avg, -lr);
    }
  }
}
