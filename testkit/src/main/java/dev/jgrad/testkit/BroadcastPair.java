package dev.jgrad.testkit;

import java.util.Arrays;

/**
 * Two shapes that broadcast together, as {@link Shapes#broadcastPairs} draws them; {@link
 * #result()} is the shape of {@code a op b}.
 *
 * <pre>{@code
 * BroadcastPair p = new BroadcastPair(new int[] {2, 1, 3}, new int[] {4, 3});
 * p.result();   // [2, 4, 3]
 * p.toString(); // "[2, 1, 3] with [4, 3] -> [2, 4, 3]"
 * }</pre>
 *
 * @param left the first operand's shape
 * @param right the second operand's shape
 */
public record BroadcastPair(int[] left, int[] right) {

  /**
   * Copies both shapes.
   *
   * @throws IllegalArgumentException if a shape is null, has a negative size, or the two do not
   *     broadcast, naming both shapes
   */
  public BroadcastPair {
    if (left == null || right == null) {
      throw new IllegalArgumentException("BroadcastPair: a shape is null");
    }
    left = left.clone();
    right = right.clone();
    broadcast(left, right);
  }

  @Override
  public int[] left() {
    return left.clone();
  }

  @Override
  public int[] right() {
    return right.clone();
  }

  /** The broadcast shape: the longer rank, and per trailing-aligned dim the size that is not 1. */
  public int[] result() {
    return broadcast(left, right);
  }

  private static int[] broadcast(int[] a, int[] b) {
    int rank = Math.max(a.length, b.length);
    int[] out = new int[rank];
    for (int d = 0; d < rank; d++) {
      int sa = d < rank - a.length ? 1 : a[d - (rank - a.length)];
      int sb = d < rank - b.length ? 1 : b[d - (rank - b.length)];
      if (sa < 0 || sb < 0 || (sa != sb && sa != 1 && sb != 1)) {
        throw new IllegalArgumentException(
            "BroadcastPair: shapes "
                + Arrays.toString(a)
                + " and "
                + Arrays.toString(b)
                + " do not broadcast");
      }
      out[d] = sa == 1 ? sb : sa;
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BroadcastPair p
        && Arrays.equals(left, p.left)
        && Arrays.equals(right, p.right);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(left) + Arrays.hashCode(right);
  }

  @Override
  public String toString() {
    return Arrays.toString(left)
        + " with "
        + Arrays.toString(right)
        + " -> "
        + Arrays.toString(result());
  }
}
