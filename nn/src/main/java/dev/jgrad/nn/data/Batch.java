package dev.jgrad.nn.data;

import dev.jgrad.autograd.Tensor;

/** One mini-batch: inputs and targets with the batch as their first dim. */
public record Batch(Tensor inputs, Tensor targets) {
  /** The number of examples in the batch. */
  public int size() {
    return inputs.shape(0);
  }
}
