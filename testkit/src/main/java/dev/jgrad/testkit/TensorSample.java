package dev.jgrad.testkit;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import java.util.Arrays;

/**
 * One array drawn by {@link Tensors}: the array, the kind of view it is, how it was made and the
 * seed of its values, so that a failing sample reads as what it is, for example {@code SLICED
 * float64 [2, 3] = slice(1, 0, 6, 2) of a [2, 6] array, values in [-1.0, 1.0], seed 42}.
 *
 * <pre>{@code
 * @Property
 * void expIsPositive(@ForAll("arrays") TensorSample x) {
 *   assertTrue(x.array().exp().min().item() > 0, x.toString());
 * }
 * }</pre>
 *
 * @param array the array, a view of the kind {@code view} (it shares storage with nothing else)
 * @param view how {@code array} lays out its elements
 * @param made the view op and the shape of the array it was taken from
 * @param min the smallest value that may be drawn
 * @param max the largest value that may be drawn
 * @param seed the seed of the {@link dev.jgrad.tensor.Generator} that drew the values
 */
public record TensorSample(
    NDArray array, ViewKind view, String made, double min, double max, long seed) {

  /**
   * A sample as {@link Tensors} makes them.
   *
   * @throws IllegalArgumentException if the array, view kind or description is null
   */
  public TensorSample {
    if (array == null || view == null || made == null) {
      throw new IllegalArgumentException(
          "TensorSample: the array, view kind or description is null");
    }
  }

  /** The array's element type. */
  public DType dtype() {
    return array.dtype();
  }

  /** The array's shape. */
  public int[] shape() {
    return array.shape();
  }

  /** A new constant Tensor over the array (no copy). */
  public Tensor tensor() {
    return new Tensor(array);
  }

  /**
   * A new leaf Tensor over the array that requires grad (no copy), for gradient checks. Each call
   * gives a new leaf, with no gradient yet.
   */
  public Tensor leaf() {
    return new Tensor(array).requiresGrad(true);
  }

  @Override
  public String toString() {
    String text =
        view
            + " "
            + array.dtype()
            + " "
            + Arrays.toString(array.shape())
            + (made.isEmpty() ? "" : " = " + made)
            + ", values in ["
            + min
            + ", "
            + max
            + "], seed "
            + seed;
    return array.numel() <= 16 ? text + ": " + Arrays.toString(array.toDoubleArray()) : text;
  }
}
