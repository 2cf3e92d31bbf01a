package dev.jgrad.optim;

import dev.jgrad.autograd.Tensor;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, 2019): p ← p·(1 − ηλ) before the Adam
 * step, instead of adding λp to the gradient. PyTorch's default λ is 0.01.
 *
 * <pre>{@code
 * var opt = new AdamW(model.parameters(), 1e-3, 0.01);
 * }</pre>
 */
public final class AdamW extends Adam {
  /**
   * AdamW with weight decay 0.01.
   *
   * @throws IllegalArgumentException if lr is negative, NaN or infinite, or a parameter is not a
   *     leaf that requires grad
   */
  public AdamW(Iterable<Tensor> params, double lr) {
    this(params, lr, 0.01);
  }

  /**
   * AdamW with the given weight decay.
   *
   * @throws IllegalArgumentException if lr or the weight decay is negative, NaN or infinite, or a
   *     parameter is not a leaf that requires grad
   */
  public AdamW(Iterable<Tensor> params, double lr, double weightDecay) {
    this(params, lr, 0.9, 0.999, 1e-8, weightDecay, false);
  }

  /**
   * Every option.
   *
   * @throws IllegalArgumentException if a number is negative, NaN or infinite, a beta is 1 or more,
   *     or a parameter is not a leaf that requires grad
   */
  public AdamW(
      Iterable<Tensor> params,
      double lr,
      double beta1,
      double beta2,
      double eps,
      double weightDecay,
      boolean amsgrad) {
    super(params, lr, beta1, beta2, eps, weightDecay, amsgrad, true);
  }
}
