package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators for the properties: shapes of rank 0 to 4 whose sizes include 0, 1, SIMD width ± 1 and
 * larger ones; and arrays laid out as contiguous, transposed, strided (sliced with a step) or
 * expanded views, each with its naive {@link Model}.
 */
final class Samples {
  static final int W = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
  static final int MAX_NUMEL = 6000;

  private Samples() {}

  /** How an array's elements are laid out in its storage. */
  enum Layout {
    CONTIGUOUS,
    TRANSPOSED,
    STRIDED,
    EXPANDED
  }

  /** An array under test and the reference values it must show. */
  record Sample(NDArray array, Model model, Layout layout) {
    @Override
    public String toString() {
      return layout + " " + Shapes.toString(model.shape());
    }
  }

  static Arbitrary<Integer> size() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.just(1)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(0)),
        net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(2, 5)),
        net.jqwik.api.Tuple.of(4, Arbitraries.of(W - 1, W, W + 1)),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(6, 70)));
  }

  static Arbitrary<int[]> shapes(int minRank, int maxRank) {
    return size()
        .list()
        .ofMinSize(minRank)
        .ofMaxSize(maxRank)
        .map(l -> l.stream().mapToInt(Integer::intValue).toArray())
        .filter(s -> Model.numel(s) <= MAX_NUMEL);
  }

  static Arbitrary<int[]> shapes() {
    return shapes(0, 4);
  }

  static Arbitrary<Layout> layouts() {
    return Arbitraries.of(Layout.class);
  }

  /** Uniform values in [lo, hi) from a seed. */
  static double[] values(long seed, int n, double lo, double hi) {
    Generator g = new Generator(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = lo + (hi - lo) * g.nextDouble();
    }
    return v;
  }

  /** Rounds to float when the dtype is FLOAT32, so the model holds exactly the stored values. */
  static double[] representable(DType dtype, double[] v) {
    double[] r = v.clone();
    for (int i = 0; i < r.length; i++) {
      if (dtype == DType.FLOAT32) {
        r[i] = (float) r[i];
      } else if (dtype == DType.INT32) {
        r[i] = Math.floor(r[i]);
      }
    }
    return r;
  }

  static NDArray contiguous(DType dtype, int[] shape, double[] values) {
    NDArray a = NDArray.zeros(dtype, shape);
    for (int i = 0; i < values.length; i++) {
      Storage.set(a.data, i, values[i]);
    }
    return a;
  }

  /** An array of {@code shape} in the given layout, with values from the seed in [lo, hi). */
  static Sample sample(DType dtype, int[] shape, Layout layout, long seed, double lo, double hi) {
    int n = Model.numel(shape);
    int rank = shape.length;
    Generator g = new Generator(seed ^ 0x5DEECE66DL);
    switch (layout) {
      case TRANSPOSED:
        if (rank >= 2) {
          int i = g.nextInt(rank);
          int j = (i + 1 + g.nextInt(rank - 1)) % rank;
          Model model = Model.of(shape, representable(dtype, values(seed, n, lo, hi)));
          int[] order = identity(rank);
          order[i] = j;
          order[j] = i;
          Model base = model.permute(order);
          NDArray arr = contiguous(dtype, base.shape(), base.values()).transpose(i, j);
          return new Sample(arr, model, layout);
        }
        break;
      case STRIDED:
        if (rank >= 1) {
          int d = g.nextInt(rank);
          int[] big = shape.clone();
          big[d] = 2 * shape[d] + 1;
          double[] bigValues = representable(dtype, values(seed, Model.numel(big), lo, hi));
          Model bigModel = Model.of(big, bigValues);
          double[] v = new double[n];
          for (int f = 0; f < n; f++) {
            int[] idx = Model.unflat(shape, f);
            idx[d] = 2 * idx[d] + 1;
            v[f] = bigModel.get(idx);
          }
          NDArray arr = contiguous(dtype, big, bigValues).slice(d, 1, big[d], 2);
          return new Sample(arr, Model.of(shape, v), layout);
        }
        break;
      case EXPANDED:
        if (rank >= 1) {
          int d = g.nextInt(rank);
          int[] small = shape.clone();
          small[d] = Math.min(1, shape[d]);
          Model smallModel =
              Model.of(small, representable(dtype, values(seed, Model.numel(small), lo, hi)));
          double[] v = new double[n];
          for (int f = 0; f < n; f++) {
            v[f] = smallModel.getBroadcast(shape, Model.unflat(shape, f));
          }
          NDArray arr = contiguous(dtype, small, smallModel.values()).expand(shape);
          return new Sample(arr, Model.of(shape, v), layout);
        }
        break;
      default:
        break;
    }
    Model model = Model.of(shape, representable(dtype, values(seed, n, lo, hi)));
    return new Sample(contiguous(dtype, shape, model.values()), model, Layout.CONTIGUOUS);
  }

  static int[] identity(int rank) {
    int[] order = new int[rank];
    for (int i = 0; i < rank; i++) {
      order[i] = i;
    }
    return order;
  }

  /** A shape that broadcasts with {@code shape}: a suffix of it with some sizes set to 1. */
  static Arbitrary<int[][]> broadcastPairs() {
    return Combinators.combine(
            shapes(),
            Arbitraries.integers().between(0, 4),
            Arbitraries.longs(),
            Arbitraries.of(true, false))
        .as(
            (s, drop, bits, swap) -> {
              int keep = Math.max(0, s.length - Math.min(drop, s.length));
              int[] other = new int[keep];
              for (int d = 0; d < keep; d++) {
                int src = s.length - keep + d;
                other[d] = ((bits >>> d) & 1) == 1 ? 1 : s[src];
              }
              return swap ? new int[][] {other, s} : new int[][] {s, other};
            });
  }

  /** Asserts that {@code actual} has the model's shape and values within rtol/atol. */
  static void assertClose(String what, NDArray actual, Model expected, double rtol, double atol) {
    if (!java.util.Arrays.equals(actual.shape(), expected.shape())) {
      throw new AssertionError(
          what
              + ": shape "
              + Shapes.toString(actual.shape())
              + " != expected "
              + Shapes.toString(expected.shape()));
    }
    double[] a = actual.toDoubleArray();
    double[] e = expected.values();
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < a.length && bad.size() < 3; i++) {
      boolean same = a[i] == e[i] || (Double.isNaN(a[i]) && Double.isNaN(e[i]));
      if (!same && !(Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]))) {
        bad.add(
            String.format(
                "at %s: %s vs expected %s",
                java.util.Arrays.toString(Model.unflat(expected.shape(), i)), a[i], e[i]));
      }
    }
    if (!bad.isEmpty()) {
      throw new AssertionError(what + " differs " + bad);
    }
  }
}
