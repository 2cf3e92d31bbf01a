package dev.jgrad.spark;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Reduction;
import java.io.Serializable;

/**
 * A loss summed over the examples of one shard. Summing lets the trainer form the mean over the
 * whole global batch exactly as one process would: (Σ over shards of the shard's sum) / global
 * batch size.
 *
 * <pre>{@code
 * Loss mse = (out, labels) -> out.sub(labels).pow(2).sum();
 * }</pre>
 */
@FunctionalInterface
public interface Loss extends Serializable {
  /** The loss of every example, summed: a scalar. */
  Tensor sum(Tensor output, Tensor labels);

  /** Cross-entropy of logits [n, classes] against INT32 class labels [n], summed. */
  static Loss crossEntropy() {
    return (logits, labels) ->
        F.crossEntropy(logits, labels, Reduction.SUM, 0.0, F.DEFAULT_IGNORE_INDEX);
  }
}
