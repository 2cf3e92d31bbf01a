package dev.jgrad.nn.data;

import dev.jgrad.tensor.NDArray;

/**
 * A data set over two arrays whose first dims are the examples, like PyTorch's TensorDataset.
 *
 * <pre>{@code
 * var train = new TensorDataset(images, labels);   // [N, 784] and [N]
 * }</pre>
 */
public final class TensorDataset implements Dataset {
  private final NDArray inputs;
  private final NDArray targets;

  /**
   * Examples are rows of {@code inputs} and {@code targets} (same first size).
   *
   * @throws IllegalArgumentException if either is a scalar or their first sizes differ
   */
  public TensorDataset(NDArray inputs, NDArray targets) {
    if (inputs.rank() == 0 || targets.rank() == 0 || inputs.shape(0) != targets.shape(0)) {
      throw new IllegalArgumentException(
          "TensorDataset: inputs "
              + java.util.Arrays.toString(inputs.shape())
              + " and targets "
              + java.util.Arrays.toString(targets.shape())
              + " need the same first size");
    }
    this.inputs = inputs;
    this.targets = targets;
  }

  @Override
  public int size() {
    return inputs.shape(0);
  }

  @Override
  public NDArray input(int index) {
    return inputs.select(0, index);
  }

  @Override
  public NDArray target(int index) {
    return targets.select(0, index);
  }

  @Override
  public NDArray inputs(int[] indices) {
    return inputs.indexSelect(0, NDArray.ofInts(indices));
  }

  @Override
  public NDArray targets(int[] indices) {
    return targets.indexSelect(0, NDArray.ofInts(indices));
  }

  /** All inputs. */
  public NDArray inputs() {
    return inputs;
  }

  /** All targets. */
  public NDArray targets() {
    return targets;
  }
}
