package dev.jgrad.spark;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.NDArray;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * The examples one task holds, by global index, and its part of each global batch: the batch's
 * examples it holds, in the batch's order.
 */
final class Shard {
  private final long[] indices; // ascending
  private final float[][] features;
  private final int[] labels;
  private final int[] inputShape;

  /** Part of a global batch: the inputs [n, inputShape…] and labels [n] this task holds. */
  record Part(int size, Tensor inputs, Tensor labels) {}

  Shard(List<IndexedExample> examples, int[] inputShape) {
    IndexedExample[] sorted = examples.toArray(new IndexedExample[0]);
    Arrays.sort(sorted, Comparator.comparingLong(IndexedExample::index));
    indices = new long[sorted.length];
    features = new float[sorted.length][];
    labels = new int[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      indices[i] = sorted[i].index();
      features[i] = sorted[i].example().features();
      labels[i] = sorted[i].example().label();
    }
    this.inputShape = inputShape.clone();
  }

  static Shard of(Iterator<IndexedExample> it, int[] inputShape) {
    List<IndexedExample> list = new java.util.ArrayList<>();
    it.forEachRemaining(list::add);
    return new Shard(list, inputShape);
  }

  /** The number of examples held. */
  int size() {
    return indices.length;
  }

  /** The examples of {@code batch} (global indices) held here, in the batch's order. */
  Part part(int[] batch) {
    int[] local = new int[batch.length];
    int n = 0;
    for (int g : batch) {
      int at = Arrays.binarySearch(indices, g);
      if (at >= 0) {
        local[n++] = at;
      }
    }
    if (n == 0) {
      return new Part(0, null, null);
    }
    int width = features[local[0]].length;
    float[] x = new float[n * width];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(features[local[i]], 0, x, i * width, width);
      y[i] = labels[local[i]];
    }
    int[] shape = new int[inputShape.length + 1];
    shape[0] = n;
    System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
    return new Part(
        n, new Tensor(NDArray.fromArray(x, shape)), new Tensor(NDArray.fromArray(y, n)));
  }
}
