package dev.jgrad.tensor.kernel;

import java.util.Arrays;

/** Shape arithmetic shared by the kernels: sizes, strides, broadcasting and dim checks. */
public final class Shapes {
  private Shapes() {}

  /**
   * The most elements one array may hold: HotSpot refuses {@code new float[n]} for n above 2³¹ − 9
   * ("Requested array size exceeds VM limit") whatever the heap size.
   */
  public static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  /**
   * The number of elements of a shape: the product of its sizes (1 for a scalar's {@code []}).
   *
   * @throws IllegalArgumentException if the product exceeds {@code Integer.MAX_VALUE}
   */
  public static int numel(int... shape) {
    for (int s : shape) {
      if (s == 0) { // [2³¹ − 1, 2³¹ − 1, 0] holds nothing, though its first sizes overflow
        return 0;
      }
    }
    long n = 1;
    for (int s : shape) {
      n *= s;
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " has more than 2^31 - 1 elements");
      }
    }
    return (int) n;
  }

  /** Row-major (C order) strides of a shape, in elements. */
  public static int[] contiguousStrides(int[] shape) {
    int[] strides = new int[shape.length];
    int s = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      strides[d] = s;
      s *= Math.max(shape[d], 1);
    }
    return strides;
  }

  /**
   * Checks that every size is non-negative and that the element count fits an int; returns a copy.
   *
   * @throws IllegalArgumentException naming {@code op} and the shape otherwise
   */
  public static int[] checkShape(String op, int... shape) {
    long n = 1;
    for (int s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException(
            op + ": negative size in shape " + Arrays.toString(shape));
      }
      n = Math.min(n * s, 1L << 31); // stays exact below 2^31 and cannot overflow a long
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          op + ": shape " + Arrays.toString(shape) + " has more than 2^31 - 1 elements");
    }
    return shape.clone();
  }

  /**
   * Checks that an array of {@code count} elements can be allocated at all (at most {@link
   * #MAX_ARRAY_LENGTH}); returns {@code count}.
   *
   * @throws IllegalArgumentException naming {@code op}, the count and the limit otherwise
   */
  public static int checkArrayLength(String op, long count) {
    if (count > MAX_ARRAY_LENGTH) {
      throw new IllegalArgumentException(
          String.format(
              "%s: %d elements are more than one Java array can hold (%d)",
              op, count, MAX_ARRAY_LENGTH));
    }
    return (int) count;
  }

  /**
   * Checks that {@code count} elements of {@code bytesPerElement} bytes can be allocated: at most
   * {@link #MAX_ARRAY_LENGTH} elements, and no more bytes than the JVM's heap may ever hold ({@code
   * Runtime.maxMemory()}), so a request that can never succeed is refused before allocating rather
   * than ending in an OutOfMemoryError. Returns {@code count}.
   *
   * @throws IllegalArgumentException naming {@code op}, the count and the limit otherwise
   */
  public static int checkAllocation(String op, long count, int bytesPerElement) {
    return checkAllocation(op, count, bytesPerElement, "");
  }

  /** As {@link #checkAllocation(String, long, int)}, with {@code of} after the count ("(…)"). */
  public static int checkAllocation(String op, long count, int bytesPerElement, String of) {
    return checkBytes(op, checkArrayLength(op, count), bytesPerElement, of);
  }

  /**
   * {@link #checkShape} and then {@link #checkAllocation(String, long, int)} for an array of this
   * shape, with the shape in every message. Returns the element count.
   *
   * @throws IllegalArgumentException naming {@code op}, the shape and the limit otherwise
   */
  public static int checkAllocation(String op, int[] shape, int bytesPerElement) {
    long count = numel(checkShape(op, shape));
    String of = " (shape " + toString(shape) + ")";
    if (count > MAX_ARRAY_LENGTH) {
      throw new IllegalArgumentException(
          String.format(
              "%s: %d elements%s are more than one Java array can hold (%d)",
              op, count, of, MAX_ARRAY_LENGTH));
    }
    return checkBytes(op, (int) count, bytesPerElement, of);
  }

  private static int checkBytes(String op, int count, int bytesPerElement, String of) {
    long bytes = (long) count * bytesPerElement;
    long heap = Runtime.getRuntime().maxMemory();
    if (bytes > heap) {
      throw new IllegalArgumentException(
          String.format(
              "%s: %d elements%s need %d bytes, more than the JVM's maximum heap (%d bytes, -Xmx)",
              op, count, of, bytes, heap));
    }
    return count;
  }

  /**
   * The numpy broadcast of two shapes: aligned from the right, each pair of sizes equal or one of
   * them 1.
   *
   * @throws IllegalArgumentException naming the op and both shapes when they do not broadcast
   */
  public static int[] broadcast(String op, int[] a, int[] b) {
    int rank = Math.max(a.length, b.length);
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i - (rank - a.length);
      int db = i - (rank - b.length);
      int sa = da >= 0 ? a[da] : 1;
      int sb = db >= 0 ? b[db] : 1;
      if (sa != sb && sa != 1 && sb != 1) {
        throw new IllegalArgumentException(
            String.format(
                "%s: shapes %s and %s cannot be broadcast (size %d vs %d at dim %d)",
                op, Arrays.toString(a), Arrays.toString(b), sa, sb, i));
      }
      out[i] = sa == 1 ? sb : sa;
    }
    return out;
  }

  /**
   * Turns a possibly negative dim into an index in {@code [0, rank)}, like PyTorch's {@code
   * dim=-1}.
   *
   * @throws IndexOutOfBoundsException naming the op and the valid range
   */
  public static int normalizeDim(String op, int dim, int rank) {
    int r = Math.max(rank, 1);
    if (dim < -r || dim >= r) {
      throw new IndexOutOfBoundsException(
          String.format(
              "%s: dim %d out of range for a tensor of rank %d (expected in [%d, %d])",
              op, dim, rank, -r, r - 1));
    }
    return dim < 0 ? dim + r : dim;
  }

  /** {@code [2, 3]} style, as PyTorch prints shapes. */
  public static String toString(int[] shape) {
    return Arrays.toString(shape);
  }
}
