package dev.jgrad.testkit;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik arbitraries of array shapes: {@code int[]} of sizes, and pairs of shapes that broadcast.
 *
 * <p>Sizes 0 and 1 come often, because they are where kernels go wrong (empty loops, broadcast
 * dims); the other sizes are uniform up to the maximum. Shapes shrink towards fewer and smaller
 * dims.
 *
 * <pre>{@code
 * @Property
 * void reluKeepsTheShape(@ForAll("shapes") int[] shape) {
 *   assertArrayEquals(shape, NDArray.zeros(shape).relu().shape());
 * }
 *
 * @Provide
 * Arbitrary<int[]> shapes() {
 *   return Shapes.shapes(0, 4, 6);
 * }
 * }</pre>
 */
public final class Shapes {
  /** The most elements an array may hold (Java's largest array length). */
  public static final int MAX_NUMEL = Integer.MAX_VALUE - 8;

  private Shapes() {}

  /**
   * Shapes of {@code minRank} to {@code maxRank} dims, each of size 0 to {@code maxSize}, with 0
   * and 1 drawn often: {@code Shapes.shapes(0, 4, 6)}.
   *
   * @throws IllegalArgumentException if a bound is negative, {@code minRank > maxRank}, or {@code
   *     maxSize} to the power {@code maxRank} exceeds {@link #MAX_NUMEL} (use the overload with a
   *     limit on the element count)
   */
  public static Arbitrary<int[]> shapes(int minRank, int maxRank, int maxSize) {
    checkBounds("shapes", minRank, maxRank, maxSize);
    if (Math.pow(maxSize, maxRank) > MAX_NUMEL) {
      throw new IllegalArgumentException(
          "shapes: up to "
              + maxRank
              + " dims of size up to "
              + maxSize
              + " may exceed "
              + MAX_NUMEL
              + " elements; pass a maxNumel");
    }
    return shapes(minRank, maxRank, maxSize, MAX_NUMEL);
  }

  /**
   * Shapes as {@link #shapes(int, int, int)} with at most {@code maxNumel} elements: a drawn shape
   * with more has its largest size halved until it fits: {@code Shapes.shapes(1, 4, 70, 6000)}.
   *
   * @throws IllegalArgumentException if a bound is negative, {@code minRank > maxRank} or {@code
   *     maxNumel} is below 1 (a 0-d array holds one element) or above {@link #MAX_NUMEL}
   */
  public static Arbitrary<int[]> shapes(int minRank, int maxRank, int maxSize, int maxNumel) {
    checkBounds("shapes", minRank, maxRank, maxSize);
    if (maxNumel < 1 || maxNumel > MAX_NUMEL) {
      throw new IllegalArgumentException(
          "shapes: maxNumel must be in [1, " + MAX_NUMEL + "], got " + maxNumel);
    }
    return sizes(maxSize)
        .list()
        .ofMinSize(minRank)
        .ofMaxSize(maxRank)
        .map(list -> fit(list.stream().mapToInt(Integer::intValue).toArray(), maxNumel));
  }

  /**
   * Pairs of shapes that broadcast together (numpy's rule, aligned at the trailing dims): each is a
   * suffix of one shape from {@link #shapes(int, int, int)} with some of its sizes replaced by 1.
   * The broadcast result has {@code minRank} to {@code maxRank} dims unless both operands drop
   * leading dims: {@code Shapes.broadcastPairs(0, 4, 5)}.
   *
   * @throws IllegalArgumentException as {@link #shapes(int, int, int)}
   */
  public static Arbitrary<BroadcastPair> broadcastPairs(int minRank, int maxRank, int maxSize) {
    return Combinators.combine(
            shapes(minRank, maxRank, maxSize),
            Arbitraries.integers().between(0, maxRank),
            Arbitraries.longs(),
            Arbitraries.longs(),
            Arbitraries.of(false, true))
        .as(
            (full, drop, onesLeft, onesRight, swap) -> {
              // One operand keeps every dim; the other drops up to `drop` leading ones.
              int[] longer = ones(full, 0, maxSize == 0 ? 0 : onesLeft);
              int[] shorter = ones(full, Math.min(drop, full.length), maxSize == 0 ? 0 : onesRight);
              return swap ? new BroadcastPair(shorter, longer) : new BroadcastPair(longer, shorter);
            });
  }

  /** The sizes of one dim: 0 and 1 often, the rest uniform in [2, maxSize]. */
  static Arbitrary<Integer> sizes(int maxSize) {
    if (maxSize <= 1) {
      return Arbitraries.integers().between(0, maxSize);
    }
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.just(0)),
        net.jqwik.api.Tuple.of(3, Arbitraries.just(1)),
        net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(2, maxSize)));
  }

  /** The shape without its first {@code drop} dims, with size 1 where {@code bits} has a 1 bit. */
  private static int[] ones(int[] full, int drop, long bits) {
    int[] s = Arrays.copyOfRange(full, drop, full.length);
    for (int d = 0; d < s.length; d++) {
      if (((bits >>> (d % 64)) & 1) == 1) {
        s[d] = 1;
      }
    }
    return s;
  }

  /** Halves the largest size until the shape holds at most {@code maxNumel} elements. */
  private static int[] fit(int[] shape, int maxNumel) {
    while (numel(shape) > maxNumel) {
      int largest = 0;
      for (int d = 1; d < shape.length; d++) {
        if (shape[d] > shape[largest]) {
          largest = d;
        }
      }
      shape[largest] /= 2;
    }
    return shape;
  }

  /** The number of elements of a shape, saturating at 2³² (more than any array holds). */
  static long numel(int[] shape) {
    long n = 1;
    for (int size : shape) {
      if (size == 0) {
        return 0;
      }
      n = Math.min(n * size, 1L << 32);
    }
    return n;
  }

  private static void checkBounds(String op, int minRank, int maxRank, int maxSize) {
    if (minRank < 0 || maxRank < minRank || maxSize < 0) {
      throw new IllegalArgumentException(
          op
              + ": need 0 <= minRank <= maxRank and maxSize >= 0, got minRank "
              + minRank
              + ", maxRank "
              + maxRank
              + ", maxSize "
              + maxSize);
    }
  }
}
