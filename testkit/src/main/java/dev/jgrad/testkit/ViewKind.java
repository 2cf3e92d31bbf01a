package dev.jgrad.testkit;

/**
 * How a drawn array lays out its elements in storage. Kernels take a different path for each, so a
 * kernel test should see all of them.
 *
 * <pre>{@code
 * TensorSample s = Tensors.sample(DType.FLOAT32, new int[] {3, 4}, ViewKind.SLICED, -1, 1, 7);
 * s.array().isContiguous(); // false: every other element of a [3, 8] array
 * }</pre>
 */
public enum ViewKind {
  /** A new row-major array. */
  CONTIGUOUS,
  /** {@code transpose(i, j)} of a contiguous array whose dims i and j are swapped. */
  TRANSPOSED,
  /** {@code slice(d, start, end, step)} with a step of 2 or 3 of a larger array. */
  SLICED,
  /** {@code expand} of an array with size 1 in one dim: that dim has stride 0. */
  EXPANDED,
  /** {@code narrow} (or {@code select}) of a larger array: row-major, at a nonzero offset. */
  OFFSET
}
