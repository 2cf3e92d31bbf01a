package dev.jgrad.nn.data;

import dev.jgrad.tensor.NDArray;

/**
 * Indexed examples: an input and a target each. {@link DataLoader} batches them.
 *
 * <pre>{@code
 * Dataset ds = new TensorDataset(images, labels);
 * NDArray firstImage = ds.input(0);
 * }</pre>
 */
public interface Dataset {
  /** The number of examples. */
  int size();

  /** The input of example {@code index}. */
  NDArray input(int index);

  /** The target of example {@code index}. */
  NDArray target(int index);

  /**
   * The inputs of the given examples stacked along a new first dim. The default stacks {@link
   * #input}; array-backed data sets gather rows directly.
   */
  default NDArray inputs(int[] indices) {
    NDArray[] rows = new NDArray[indices.length];
    for (int i = 0; i < indices.length; i++) {
      rows[i] = input(indices[i]);
    }
    return NDArray.stack(0, rows);
  }

  /** The targets of the given examples stacked along a new first dim. */
  default NDArray targets(int[] indices) {
    NDArray[] rows = new NDArray[indices.length];
    for (int i = 0; i < indices.length; i++) {
      rows[i] = target(indices[i]);
    }
    return NDArray.stack(0, rows);
  }
}
