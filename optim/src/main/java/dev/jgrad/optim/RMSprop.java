package dev.jgrad.optim;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.NDArray;
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
    NDArray g = wd != 0 ? grad.add(data.mul(wd)) : grad;
    NDArray sq = buffer(state, "square_avg", p);
    sq.mulInPlace(alpha).addcmulInPlace(g, g, 1 - alpha);
    NDArray avg;
    if (group.get("centered") != 0) {
      NDArray gAvg = buffer(state, "grad_avg", p);
      gAvg.mulInPlace(alpha).addInPlace(g, 1 - alpha);
      avg = sq.sub(gAvg.square()).sqrt().add(eps);
    } else {
      avg = sq.sqrt().add(eps);
    }
    if (momentum > 0) {
      NDArray buf = buffer(state, "momentum_buffer", p);
      buf.mulInPlace(momentum).addcdivInPlace(g, avg, 1);
      data.addInPlace(buf, -lr);
    } else {
      data.addcdivInPlace(g, avg, -lr);
    }
  }
}
