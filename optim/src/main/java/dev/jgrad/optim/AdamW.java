package dev.jgrad.optim;

import dev.jgrad.autograd.Tensor;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, 2019): p ← p·(1 − ηλ) before the Adam
 * step, instead of adding λp to the gradient. PyTorch's default λ is 0.01.
 *
 * <pre>{@code
 * var opt = new AdamW(model.parameters(), 1e-3, 0.01);
 * // nanoGPT's groups: decay the matrices and embeddings, not the biases and norms
 * var groups = List.of(
 *     new ParamGroup(matrices, Map.of("weight_decay", 0.1)),
 *     new ParamGroup(vectors, Map.of("weight_decay", 0.0)));
 * var grouped = new AdamW(groups, 1e-3);
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

  /**
   * Parameter groups with these defaults: betas 0.9, 0.999, eps 1e-8, weight decay 0.01, amsgrad
   * false, unless a group sets them.
   *
   * @throws IllegalArgumentException if a group sets an option AdamW does not have or of the wrong
   *     type, a number is negative, NaN or infinite, a beta is 1 or more, or a parameter is not a
   *     leaf that requires grad
   */
  public AdamW(List<ParamGroup> groups, double lr) {
    super(groups, defaults(lr, 0.9, 0.999, 1e-8, 0.01, false), true);
  }
}
