package dev.jgrad.optim;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.autograd.Tensor;

/**
 * Gradient clipping, like {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}.
 *
 * <pre>{@code
 * loss.backward();
 * double norm = ClipGrad.clipGradNorm(model.parameters(), 1.0, 2);
 * opt.step();
 * }</pre>
 */
public final class ClipGrad {
  private ClipGrad() {}

  /**
   * Scales all gradients together so that their joint p-norm is at most {@code maxNorm} (factor
   * maxNorm / (norm + 1e-6), applied only when below 1). Returns the norm before clipping.
   */
  public static double clipGradNorm(Iterable<Tensor> params, double maxNorm, double normType) {
    double total = 0;
    for (Tensor p : params) {
      if (p.grad() == null) {
        continue;
      }
      double n = p.grad().data().norm(normType, new int[0], false).item();
      total =
          normType == Double.POSITIVE_INFINITY ? Math.max(total, n) : total + Math.pow(n, normType);
    }
    if (normType != Double.POSITIVE_INFINITY) {
      total = Math.pow(total, 1 / normType);
    }
    double coefficient = maxNorm / (total + 1e-6);
    if (coefficient < 1) {
      try (GradMode.Scope g = Tensor.noGrad()) {
        for (Tensor p : params) {
          if (p.grad() != null) {
            p.grad().mulInPlace(coefficient);
          }
        }
      }
    }
    return total;
  }

  /** Clamps every gradient element to [−clipValue, clipValue]. */
  public static void clipGradValue(Iterable<Tensor> params, double clipValue) {
    for (Tensor p : params) {
      if (p.grad() != null) {
        p.setGrad(new Tensor(p.grad().data().clamp(-clipValue, clipValue)));
      }
    }
  }
}
