package dev.jgrad.optim;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.NDArray;
import java.util.Map;
import java.util.Set;

/**
 * RMSprop with PyTorch's update: g ← g + λp; s = αs + (1 − α)g²; centered: a = √(s − ḡ²) + ε with ḡ
 * = αḡ + (1 − α)g, else a = √s + ε; with momentum μ, b = μb + g/a and p ← p − ηb, else p ← p −
 * ηg/a. Options: the numbers {@code lr} (η), {@code alpha} (α), {@code eps} (ε), {@code
 * weight_decay} (λ), {@code momentum} (μ), and the flag {@code centered}.
 *
 * <pre>{@code
 * var opt = new RMSprop(model.parameters(), 0.01);
 * }</pre>
 */
public final class RMSprop extends Optimizer {
  /**
   * RMSprop with α = 0.99, ε = 1e-8.
   *
   * @throws IllegalArgumentException if lr is negative, NaN or infinite, or a parameter is not a
   *     leaf that requires grad
   */
  public RMSprop(Iterable<Tensor> params, double lr) {
    this(params, lr, 0.99, 1e-8, 0, 0, false);
  }

  /**
   * Every option.
   *
   * @throws IllegalArgumentException if a number is negative, NaN or infinite, or a parameter is
   *     not a leaf that requires grad
   */
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
            "centered", centered));
  }

  @Override
  protected Set<String> bufferNames() {
    return Set.of("square_avg", "grad_avg", "momentum_buffer");
  }

  @Override
  protected Set<String> scalarNames() {
    return Set.of();
  }

  @Override
  protected void update(Tensor p, NDArray grad, ParamGroup group, Map<String, NDArray> state) {
    double lr = group.getDouble("lr");
    double alpha = group.getDouble("alpha");
    double eps = group.getDouble("eps");
    double wd = group.getDouble("weight_decay");
    double momentum = group.getDouble("momentum");
    NDArray data = p.data();
    NDArray sq = buffer(state, "square_avg", p);
    NDArray gradAvg = group.getBoolean("centered") ? buffer(state, "grad_avg", p) : null;
    NDArray momentumBuf = momentum > 0 ? buffer(state, "momentum_buffer", p) : null;
    if (UpdateKernels.applies(data, grad, sq, gradAvg, momentumBuf)) {
      UpdateKernels.rmsprop(data, grad, sq, gradAvg, momentumBuf, lr, alpha, eps, wd, momentum);
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
