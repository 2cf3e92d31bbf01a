package dev.jgrad.testkit;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik arbitraries of arrays laid out as every kind of view ({@link ViewKind}), with values drawn
 * from a seeded {@link Generator}: jqwik draws the shape, the view kind and the seed (and shrinks
 * them: towards smaller shapes, {@code CONTIGUOUS} and seed 0), and {@link #sample} turns them into
 * the array, the same array for the same arguments.
 *
 * <pre>{@code
 * @Property
 * void sumMatchesALoop(@ForAll("arrays") TensorSample x) {
 *   double expected = 0;
 *   for (double v : x.array().toDoubleArray()) expected += v;
 *   assertEquals(expected, x.array().sum().item(), 1e-9 * (1 + Math.abs(expected)), x.toString());
 * }
 *
 * @Provide
 * Arbitrary<TensorSample> arrays() {
 *   return Tensors.of(DType.FLOAT64, Shapes.shapes(0, 4, 6), -1, 1);
 * }
 * }</pre>
 *
 * <p>Two samples drawn for one property may get the same seed (jqwik tries edge cases such as 0
 * first), and so the same values when their shapes and kinds agree. Where equal operands matter (|x
 * − t| at its kink, say), draw one seed and build the second operand with {@link #sample} from
 * {@code seed + 1}.
 */
public final class Tensors {
  private Tensors() {}

  /**
   * Arrays of the given dtype and shapes with values in [min, max], laid out as any {@link
   * ViewKind}: {@code Tensors.of(DType.FLOAT32, Shapes.shapes(0, 3, 5), -2, 2)}.
   *
   * @throws IllegalArgumentException as {@link #sample}, for the dtype and bounds
   */
  public static Arbitrary<TensorSample> of(
      DType dtype, Arbitrary<int[]> shapes, double min, double max) {
    return of(dtype, shapes, min, max, ViewKind.values());
  }

  /**
   * Arrays as {@link #of(DType, Arbitrary, double, double)} laid out as one of {@code kinds}:
   * {@code Tensors.of(DType.FLOAT64, shapes, -1, 1, ViewKind.CONTIGUOUS, ViewKind.TRANSPOSED)}. A
   * shape that cannot take the drawn kind (see {@link #sample}) gives a contiguous array.
   *
   * @throws IllegalArgumentException if no kind is given, or as {@link #sample} for the dtype and
   *     bounds
   */
  public static Arbitrary<TensorSample> of(
      DType dtype, Arbitrary<int[]> shapes, double min, double max, ViewKind... kinds) {
    if (shapes == null) {
      throw new IllegalArgumentException("Tensors.of: shapes is null");
    }
    if (kinds == null || kinds.length == 0 || Arrays.asList(kinds).contains(null)) {
      throw new IllegalArgumentException(
          "Tensors.of: give at least one view kind (and no null), got " + Arrays.toString(kinds));
    }
    checkValues("Tensors.of", dtype, min, max);
    return Combinators.combine(shapes, Arbitraries.of(kinds), Arbitraries.longs())
        .as((shape, kind, seed) -> sample(dtype, shape, kind, min, max, seed));
  }

  /**
   * FLOAT64 arrays for gradient checks (pass {@link TensorSample#leaf()} to {@link
   * TensorAssertions#assertGradientsMatch}): every kind of view but {@link ViewKind#EXPANDED},
   * whose elements share storage and so cannot be perturbed one at a time: {@code
   * Tensors.leaves(Shapes.shapes(0, 3, 4), -2, 2)}.
   *
   * @throws IllegalArgumentException as {@link #sample}, for the bounds
   */
  public static Arbitrary<TensorSample> leaves(Arbitrary<int[]> shapes, double min, double max) {
    return of(
        DType.FLOAT64,
        shapes,
        min,
        max,
        ViewKind.CONTIGUOUS,
        ViewKind.TRANSPOSED,
        ViewKind.SLICED,
        ViewKind.OFFSET);
  }

  /**
   * The array of {@code shape} laid out as {@code view}, with values drawn uniformly in [min, max]
   * by a {@link Generator} seeded with {@code seed} (integers in [⌈min⌉, ⌊max⌋] for INT32; values
   * the dtype can hold, for FLOAT32). The same arguments give the same array:
   *
   * <pre>{@code
   * TensorSample x = Tensors.sample(DType.FLOAT32, new int[] {4, 5}, ViewKind.TRANSPOSED, -1, 1, 42);
   * x.array().strides(); // [1, 4]: transpose(0, 1) of a [5, 4] array
   * }</pre>
   *
   * <p>{@code TRANSPOSED} needs two dims, {@code SLICED} and {@code EXPANDED} one dim (for {@code
   * EXPANDED} one whose size is not 1); a shape without them gives a {@code CONTIGUOUS} array, and
   * the sample says so. The view op works on dims of size 2 or more when the shape has them, so
   * that the view really is strided.
   *
   * @throws IllegalArgumentException if the dtype or shape is null or a size negative, a bound is
   *     not finite, {@code min > max}, or the dtype holds no value in [min, max] (INT32: or one
   *     outside the int range)
   */
  public static TensorSample sample(
      DType dtype, int[] shape, ViewKind view, double min, double max, long seed) {
    checkValues("Tensors.sample", dtype, min, max);
    if (shape == null || view == null) {
      throw new IllegalArgumentException("Tensors.sample: the shape or view kind is null");
    }
    for (int size : shape) {
      if (size < 0) {
        throw new IllegalArgumentException(
            "Tensors.sample: negative size in shape " + Arrays.toString(shape));
      }
    }
    Generator g = new Generator(seed);
    int rank = shape.length;
    List<Integer> wide = new ArrayList<>(); // the dims of size 2 or more
    for (int d = 0; d < rank; d++) {
      if (shape[d] >= 2) {
        wide.add(d);
      }
    }
    switch (view) {
      case TRANSPOSED:
        if (rank >= 2) {
          int i;
          int j;
          if (wide.size() >= 2) {
            i = wide.get(g.nextInt(wide.size()));
            do {
              j = wide.get(g.nextInt(wide.size()));
            } while (j == i);
          } else {
            i = g.nextInt(rank);
            j = (i + 1 + g.nextInt(rank - 1)) % rank;
          }
          int[] base = shape.clone();
          base[i] = shape[j];
          base[j] = shape[i];
          NDArray a = filled(g, dtype, base, min, max).transpose(i, j);
          String made = "transpose(" + i + ", " + j + ") of a " + Arrays.toString(base) + " array";
          return new TensorSample(a, view, made, min, max, seed);
        }
        break;
      case SLICED:
        if (rank >= 1) {
          int d = wide.isEmpty() ? g.nextInt(rank) : wide.get(g.nextInt(wide.size()));
          int step = 2 + g.nextInt(2);
          int start = g.nextInt(step);
          int end = start + step * shape[d];
          int[] base = shape.clone();
          base[d] = end;
          NDArray a = filled(g, dtype, base, min, max).slice(d, start, end, step);
          String made =
              String.format(
                  "slice(%d, %d, %d, %d) of a %s array",
                  d, start, end, step, Arrays.toString(base));
          return new TensorSample(a, view, made, min, max, seed);
        }
        break;
      case EXPANDED:
        // Expanding a size-1 dim to 1 changes nothing: expand a wide dim, else an empty one.
        List<Integer> notOne = wide;
        if (wide.isEmpty()) {
          notOne = new ArrayList<>();
          for (int d = 0; d < rank; d++) {
            if (shape[d] == 0) {
              notOne.add(d);
            }
          }
        }
        if (!notOne.isEmpty()) {
          int d = notOne.get(g.nextInt(notOne.size()));
          int[] base = shape.clone();
          base[d] = 1;
          NDArray a = filled(g, dtype, base, min, max).expand(shape);
          String made = "expand of a " + Arrays.toString(base) + " array (dim " + d + " stride 0)";
          return new TensorSample(a, view, made, min, max, seed);
        }
        break;
      case OFFSET:
        {
          int skip = 1 + g.nextInt(3);
          if (rank == 0) {
            NDArray a = filled(g, dtype, new int[] {skip + 1}, min, max).select(0, skip);
            return new TensorSample(
                a, view, "select(0, " + skip + ") of a [" + (skip + 1) + "] array", min, max, seed);
          }
          int[] base = shape.clone();
          base[0] = shape[0] + skip;
          NDArray a = filled(g, dtype, base, min, max).narrow(0, skip, shape[0]);
          String made =
              "narrow(0, " + skip + ", " + shape[0] + ") of a " + Arrays.toString(base) + " array";
          return new TensorSample(a, view, made, min, max, seed);
        }
      default:
        break;
    }
    return new TensorSample(
        filled(g, dtype, shape, min, max), ViewKind.CONTIGUOUS, "", min, max, seed);
  }

  /** A new contiguous array of uniform values in [min, max] that the dtype holds exactly. */
  private static NDArray filled(Generator g, DType dtype, int[] shape, double min, double max) {
    int n = Math.toIntExact(Shapes.numel(shape));
    switch (dtype) {
      case FLOAT32:
        {
          float lo = floatAtLeast(min);
          float hi = floatAtMost(max);
          float[] v = new float[n];
          for (int i = 0; i < n; i++) {
            double u = g.nextDouble();
            v[i] = Math.min(hi, Math.max(lo, (float) ((1 - u) * lo + u * hi)));
          }
          return NDArray.fromArray(v, shape);
        }
      case INT32:
        {
          long lo = (long) Math.ceil(min);
          long count = (long) Math.floor(max) - lo + 1;
          int[] v = new int[n];
          for (int i = 0; i < n; i++) {
            v[i] = (int) (lo + Math.min(count - 1, (long) (g.nextDouble() * count)));
          }
          return NDArray.fromArray(v, shape);
        }
      default:
        {
          double[] v = new double[n];
          for (int i = 0; i < n; i++) {
            double u = g.nextDouble();
            v[i] = Math.min(max, Math.max(min, (1 - u) * min + u * max));
          }
          return NDArray.fromArray(v, shape);
        }
    }
  }

  /** The smallest float at least x. */
  private static float floatAtLeast(double x) {
    float f = (float) x;
    return f < x ? Math.nextUp(f) : f;
  }

  /** The largest float at most x. */
  private static float floatAtMost(double x) {
    float f = (float) x;
    return f > x ? Math.nextDown(f) : f;
  }

  private static void checkValues(String op, DType dtype, double min, double max) {
    if (dtype == null) {
      throw new IllegalArgumentException(op + ": dtype is null");
    }
    if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
      throw new IllegalArgumentException(
          op + ": need finite bounds with min <= max, got [" + min + ", " + max + "]");
    }
    boolean empty =
        switch (dtype) {
          case FLOAT32 -> floatAtLeast(min) > floatAtMost(max);
          case INT32 ->
              Math.ceil(min) > Math.floor(max)
                  || Math.ceil(min) < Integer.MIN_VALUE
                  || Math.floor(max) > Integer.MAX_VALUE;
          default -> false;
        };
    if (empty) {
      throw new IllegalArgumentException(
          op + ": " + dtype + " cannot hold values drawn from [" + min + ", " + max + "]");
    }
  }
}
