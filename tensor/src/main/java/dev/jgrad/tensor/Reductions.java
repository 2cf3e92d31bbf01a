package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reduction kernels. A reduction over any set of dims is an accumulation into an output that is
 * broadcast (stride 0) along the reduced dims: rows whose output stride is 0 are SIMD reductions,
 * rows whose output and input are both contiguous are SIMD elementwise combines (column sums).
 */
final class Reductions {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

  /** The associative combine of a reduction and its identity. */
  enum Combine {
    SUM(0.0),
    PROD(1.0),
    MAX(Double.NEGATIVE_INFINITY),
    MIN(Double.POSITIVE_INFINITY);

    final double identity;

    Combine(double identity) {
      this.identity = identity;
    }

    double apply(double acc, double v) {
      switch (this) {
        case SUM:
          return acc + v;
        case PROD:
          return acc * v;
        case MAX:
          return v > acc || v != v ? v : acc;
        default:
          return v < acc || v != v ? v : acc;
      }
    }

    float apply(float acc, float v) {
      switch (this) {
        case SUM:
          return acc + v;
        case PROD:
          return acc * v;
        case MAX:
          return v > acc || v != v ? v : acc;
        default:
          return v < acc || v != v ? v : acc;
      }
    }

    FloatVector apply(FloatVector acc, FloatVector v) {
      switch (this) {
        case SUM:
          return acc.add(v);
        case PROD:
          return acc.mul(v);
        case MAX:
          return acc.max(v);
        default:
          return acc.min(v);
      }
    }

    VectorOperators.Associative lanes() {
      switch (this) {
        case SUM:
          return VectorOperators.ADD;
        case PROD:
          return VectorOperators.MUL;
        case MAX:
          return VectorOperators.MAX;
        default:
          return VectorOperators.MIN;
      }
    }
  }

  private Reductions() {}

  /**
   * Accumulates {@code in} into {@code acc} with {@code combine}; {@code acc} holds the identity
   * (or earlier partial results) and is a view of {@code in}'s shape with stride 0 on the reduced
   * dims. Runs on the calling thread: rows may share outputs.
   */
  static void accumulate(Combine combine, NDArray acc, NDArray in) {
    StridedLoop loop =
        StridedLoop.of(in.shape, new int[] {acc.offset, in.offset}, acc.strides, in.strides);
    int os = loop.innerStrides[0];
    int is = loop.innerStrides[1];
    Object o = acc.data;
    Object x = in.data;
    if (o instanceof float[] && x instanceof float[]) {
      float[] of = (float[]) o;
      float[] xf = (float[]) x;
      loop.run(
          (off, n) -> {
            if (os == 0) {
              of[off[0]] = combine.apply(of[off[0]], reduceRow(combine, xf, off[1], is, n));
            } else if (os == 1 && is == 1) {
              combineRow(combine, of, off[0], xf, off[1], n);
            } else {
              for (int i = 0; i < n; i++) {
                int k = off[0] + i * os;
                of[k] = combine.apply(of[k], xf[off[1] + i * is]);
              }
            }
          });
    } else if (o instanceof double[] && x instanceof double[] && combine == Combine.SUM) {
      double[] od = (double[]) o;
      double[] xd = (double[]) x;
      loop.run(
          (off, n) -> {
            if (os == 0) {
              od[off[0]] += sumRow(xd, off[1], is, n);
            } else {
              for (int i = 0; i < n; i++) {
                od[off[0] + i * os] += xd[off[1] + i * is];
              }
            }
          });
    } else {
      loop.run(
          (off, n) -> {
            for (int i = 0; i < n; i++) {
              int k = off[0] + i * os;
              Storage.set(o, k, combine.apply(Storage.get(o, k), Storage.get(x, off[1] + i * is)));
            }
          });
    }
  }

  /** Sums longer than this are added block by block in double: cascade summation. */
  private static final int SUM_BLOCK = 1024;

  /** The reduction of one float row, SIMD with four accumulators when contiguous. */
  static float reduceRow(Combine combine, float[] a, int off, int stride, int n) {
    if (combine == Combine.SUM && n > SUM_BLOCK) {
      return (float) sumBlocks(a, off, stride, n);
    }
    return reduceBlock(combine, a, off, stride, n);
  }

  /** Σ a over blocks of SUM_BLOCK floats, each summed in float lanes, the blocks in double. */
  private static double sumBlocks(float[] a, int off, int stride, int n) {
    double total = 0;
    for (int start = 0; start < n; start += SUM_BLOCK) {
      total +=
          reduceBlock(Combine.SUM, a, off + start * stride, stride, Math.min(SUM_BLOCK, n - start));
    }
    return total;
  }

  private static float reduceBlock(Combine combine, float[] a, int off, int stride, int n) {
    int i = 0;
    float result = (float) combine.identity;
    if (stride == 1 && n >= 4 * FS.length()) {
      FloatVector id = FloatVector.broadcast(FS, (float) combine.identity);
      FloatVector acc0 = id;
      FloatVector acc1 = id;
      FloatVector acc2 = id;
      FloatVector acc3 = id;
      int step = 4 * FS.length();
      int bound = n - n % step;
      for (; i < bound; i += step) {
        acc0 = combine.apply(acc0, FloatVector.fromArray(FS, a, off + i));
        acc1 = combine.apply(acc1, FloatVector.fromArray(FS, a, off + i + FS.length()));
        acc2 = combine.apply(acc2, FloatVector.fromArray(FS, a, off + i + 2 * FS.length()));
        acc3 = combine.apply(acc3, FloatVector.fromArray(FS, a, off + i + 3 * FS.length()));
      }
      FloatVector acc = combine.apply(combine.apply(acc0, acc1), combine.apply(acc2, acc3));
      result = acc.reduceLanes(combine.lanes());
    }
    for (; i < n; i++) {
      result = combine.apply(result, a[off + i * stride]);
    }
    return result;
  }

  /**
   * {@code o[j] = combine(o[j], a[off + r·len + j])} for each row r of a contiguous block, in
   * order.
   */
  static void combineRows(Combine combine, float[] o, float[] a, int off, int numel, int len) {
    for (int r = off; r < off + numel; r += len) {
      combineRow(combine, o, 0, a, r, len);
    }
  }

  private static void combineRow(Combine combine, float[] o, int oo, float[] a, int ao, int n) {
    int i = 0;
    int bound = FS.loopBound(n);
    for (; i < bound; i += FS.length()) {
      combine
          .apply(FloatVector.fromArray(FS, o, oo + i), FloatVector.fromArray(FS, a, ao + i))
          .intoArray(o, oo + i);
    }
    for (; i < n; i++) {
      o[oo + i] = combine.apply(o[oo + i], a[ao + i]);
    }
  }

  /** The sum of one double row, SIMD with four accumulators when contiguous. */
  static double sumRow(double[] a, int off, int stride, int n) {
    int i = 0;
    double result = 0;
    if (stride == 1 && n >= 4 * DS.length()) {
      DoubleVector acc0 = DoubleVector.zero(DS);
      DoubleVector acc1 = acc0;
      DoubleVector acc2 = acc0;
      DoubleVector acc3 = acc0;
      int step = 4 * DS.length();
      int bound = n - n % step;
      for (; i < bound; i += step) {
        acc0 = acc0.add(DoubleVector.fromArray(DS, a, off + i));
        acc1 = acc1.add(DoubleVector.fromArray(DS, a, off + i + DS.length()));
        acc2 = acc2.add(DoubleVector.fromArray(DS, a, off + i + 2 * DS.length()));
        acc3 = acc3.add(DoubleVector.fromArray(DS, a, off + i + 3 * DS.length()));
      }
      result = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
    }
    for (; i < n; i++) {
      result += a[off + i * stride];
    }
    return result;
  }

  /**
   * Sum of all elements of a contiguous float array, in fixed chunks whose partial sums are added
   * in order: the same bits on any thread count.
   */
  static double sumContiguous(float[] a, int off, int n) {
    int chunk = StridedLoop.PARALLEL_GRAIN;
    int chunks = Parallel.chunkCount(n, chunk);
    double[] partial = new double[chunks];
    Parallel.forEachChunk(
        chunks,
        c -> {
          int s = c * chunk;
          partial[c] = sumBlocks(a, off + s, 1, Math.min(chunk, n - s));
        });
    double total = 0;
    for (double p : partial) {
      total += p;
    }
    return total;
  }

  /**
   * Index of the max (or min) along the last dim of each row of a strided view: {@code values} and
   * {@code indices} are contiguous outputs with one element per row. NaN counts as the extreme, as
   * in PyTorch; ties take the first index.
   */
  static void argExtreme(boolean max, NDArray in, int dim, NDArray values, NDArray indices) {
    int rank = in.shape.length;
    int len = in.shape[dim];
    int stride = in.strides[dim];
    int[] outerShape = new int[rank];
    int[] outerStrides = new int[rank];
    for (int d = 0; d < rank; d++) {
      outerShape[d] = d == dim ? 1 : in.shape[d];
      outerStrides[d] = d == dim ? 0 : in.strides[d];
    }
    int[] valueStrides = Shapes.contiguousStrides(outerShape);
    StridedLoop loop =
        StridedLoop.of(outerShape, new int[] {in.offset, 0}, outerStrides, valueStrides);
    int is = loop.innerStrides[0];
    int vs = loop.innerStrides[1];
    int[] idx = (int[]) indices.data;
    loop.run(
        (off, n) -> {
          for (int r = 0; r < n; r++) {
            int base = off[0] + r * is;
            int best = 0;
            double bestValue = Storage.get(in.data, base);
            for (int k = 1; k < len && bestValue == bestValue; k++) {
              double v = Storage.get(in.data, base + k * stride);
              if (max ? (v > bestValue || v != v) : (v < bestValue || v != v)) {
                best = k;
                bestValue = v;
              }
            }
            int o = off[1] + r * vs;
            idx[o] = best;
            if (values != null) {
              Storage.set(values.data, o, bestValue);
            }
          }
        });
  }
}
