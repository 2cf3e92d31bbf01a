package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reductions: first the ops as NDArray sees them (which dims, the result's shape, the composites
 * mean, var, norm and logsumexp), then their kernels.
 *
 * <p>A reduction over any set of dims is an accumulation into an output that is broadcast (stride
 * 0) along the reduced dims: rows whose output stride is 0 are SIMD reductions, rows whose output
 * and input are both contiguous are SIMD elementwise combines (column sums). Two layouts skip the
 * planning: a whole contiguous array summed in fixed chunks (the same bits on any thread count),
 * and leading dims reduced (a bias gradient) as whole rows combined in order. FLOAT32 and FLOAT64
 * take the same paths; the float and double kernels are twins (change both). FLOAT32 sums of more
 * than {@value #SUM_BLOCK} elements are cascaded through double; FLOAT64 needs no cascade.
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

    DoubleVector apply(DoubleVector acc, DoubleVector v) {
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
  }

  private Reductions() {}

  // ================================================================== ops

  /**
   * Which dims {@code dims} names (every dim when it is empty); {@code op} names the public op in
   * errors.
   *
   * @throws IndexOutOfBoundsException when a dim is out of range
   * @throws IllegalArgumentException when a dim appears twice
   */
  static boolean[] reducedDims(String op, NDArray a, int[] dims) {
    int rank = a.rank();
    boolean[] reduced = new boolean[rank];
    if (dims.length == 0) {
      Arrays.fill(reduced, true);
      return reduced;
    }
    for (int dim : dims) {
      int d = Shapes.normalizeDim(op, dim, rank);
      if (rank == 0) {
        continue;
      }
      if (reduced[d]) {
        throw new IllegalArgumentException(
            op + ": dim " + d + " appears twice in " + Arrays.toString(dims));
      }
      reduced[d] = true;
    }
    return reduced;
  }

  /** The number of elements each result element combines. */
  static int reducedCount(String op, NDArray a, int[] dims) {
    boolean[] reduced = reducedDims(op, a, dims);
    int count = 1;
    for (int d = 0; d < a.rank(); d++) {
      count *= reduced[d] ? a.shape[d] : 1;
    }
    return count;
  }

  /** {@code a}'s shape without the reduced dims. */
  private static int[] dropReduced(NDArray a, boolean[] reduced) {
    int n = 0;
    for (boolean r : reduced) {
      n += r ? 0 : 1;
    }
    int[] s = new int[n];
    int k = 0;
    for (int d = 0; d < a.rank(); d++) {
      if (!reduced[d]) {
        s[k++] = a.shape[d];
      }
    }
    return s;
  }

  /** The reduction of {@code a} over {@code dims} (all when empty) with {@code combine}. */
  static NDArray reduce(String op, Combine combine, NDArray a, int[] dims, boolean keepDim) {
    boolean[] reduced = reducedDims(op, a, dims);
    int[] keep = a.shape.clone();
    int count = 1;
    for (int d = 0; d < a.rank(); d++) {
      if (reduced[d]) {
        count *= a.shape[d];
        keep[d] = 1;
      }
    }
    if (count == 0 && (combine == Combine.MAX || combine == Combine.MIN)) {
      throw new IllegalArgumentException(
          op + ": cannot reduce over a zero-size dim of shape " + Shapes.toString(a.shape));
    }
    NDArray acc = Creation.full(op, a.dtype, combine.identity, keep);
    reduceInto(combine, acc, a, reduced);
    return keepDim ? acc : acc.reshape(dropReduced(a, reduced));
  }

  /** The mean over dims: the sum divided by the count it combines (INT32 in FLOAT32). */
  static NDArray mean(String op, NDArray a, int[] dims, boolean keepDim) {
    NDArray x = a.dtype == DType.INT32 ? a.to(DType.FLOAT32) : a;
    int n = reducedCount(op, x, dims);
    return reduce(op, Combine.SUM, x, dims, keepDim).div(n);
  }

  /** Σ(x − mean)² / (N − correction) over dims. */
  static NDArray var(String op, NDArray a, int[] dims, int correction, boolean keepDim) {
    NDArray x = a.dtype == DType.INT32 ? a.to(DType.FLOAT32) : a;
    int n = reducedCount(op, x, dims);
    NDArray centered = x.sub(mean(op, x, dims, true));
    return reduce(op, Combine.SUM, centered.square(), dims, keepDim).div((double) n - correction);
  }

  /** (Σ|x|ᵖ)^(1/p) over dims, with the limits p = ±∞ (max, min of |x|) and p = 0 (count ≠ 0). */
  static NDArray norm(NDArray a, double p, int[] dims, boolean keepDim) {
    String op = "norm";
    NDArray x = a.dtype == DType.INT32 ? a.to(DType.FLOAT32) : a;
    reducedDims(op, x, dims);
    if (p == 2) {
      return reduce(op, Combine.SUM, x.square(), dims, keepDim).sqrt();
    }
    if (p == 1) {
      return reduce(op, Combine.SUM, x.abs(), dims, keepDim);
    }
    if (p == Double.POSITIVE_INFINITY) {
      return reduce(op, Combine.MAX, x.abs(), dims, keepDim);
    }
    if (p == Double.NEGATIVE_INFINITY) {
      return reduce(op, Combine.MIN, x.abs(), dims, keepDim);
    }
    if (p == 0) {
      return reduce(op, Combine.SUM, x.ne(0).to(x.dtype), dims, keepDim);
    }
    return reduce(op, Combine.SUM, x.abs().pow(p), dims, keepDim).pow(1.0 / p);
  }

  /** log Σ exp(x) over dims, shifted by the max m (0 where m is infinite) so no exp overflows. */
  static NDArray logsumexp(NDArray a, int[] dims, boolean keepDim) {
    String op = "logsumexp";
    NDArray x = a.dtype == DType.INT32 ? a.to(DType.FLOAT32) : a;
    boolean[] reduced = reducedDims(op, x, dims);
    NDArray m = reduce(op, Combine.MAX, x, dims, true);
    m = m.maskedFill(m.abs().eq(Double.POSITIVE_INFINITY), 0);
    NDArray out = reduce(op, Combine.SUM, x.sub(m).exp(), dims, true).log().add(m);
    return keepDim ? out : out.reshape(dropReduced(x, reduced));
  }

  /** The sum over the dims that broadcasting added to or stretched in {@code target}. */
  static NDArray sumTo(NDArray a, int[] target) {
    if (Arrays.equals(a.shape, target)) {
      return a;
    }
    int[] s = Shapes.broadcast("sumTo", target, a.shape);
    if (!Arrays.equals(s, a.shape)) {
      throw new IllegalArgumentException(
          String.format(
              "sumTo: shape %s cannot be reduced to %s",
              Shapes.toString(a.shape), Shapes.toString(target)));
    }
    int rank = a.rank();
    int lead = rank - target.length;
    int[] dims = new int[rank];
    int count = 0;
    for (int d = 0; d < rank; d++) {
      if (d < lead || (target[d - lead] == 1 && a.shape[d] != 1)) {
        dims[count++] = d;
      }
    }
    if (count == 0) {
      return a.reshape(target);
    }
    return reduce("sumTo", Combine.SUM, a, Arrays.copyOf(dims, count), true).reshape(target);
  }

  /**
   * The max (or min) along one dim and its first index; values are left out unless asked for (an
   * argmax needs only the indices).
   */
  static ValuesAndIndices extreme(
      String op, boolean max, NDArray a, int dim, boolean keepDim, boolean withValues) {
    NDArray x = a.rank() == 0 ? a.reshape(1) : a;
    int d = Shapes.normalizeDim(op, dim, x.rank());
    if (x.shape[d] == 0) {
      throw new IllegalArgumentException(
          op + ": cannot reduce over dim " + d + " of size 0 in shape " + Shapes.toString(a.shape));
    }
    int[] keep = x.shape.clone();
    keep[d] = 1;
    NDArray values = withValues ? Creation.empty(op, a.dtype, keep) : null;
    NDArray indices = Creation.empty(op, DType.INT32, keep);
    argExtreme(max, x, d, values, indices);
    if (!keepDim || a.rank() == 0) {
      int[] s = a.rank() == 0 ? new int[0] : Views.remove(keep, d);
      indices = indices.reshape(s);
      values = values == null ? null : values.reshape(s);
    }
    return new ValuesAndIndices(values, indices);
  }

  /** The flat index of the first max (or min) of the whole array, as a 0-d INT32 array. */
  static NDArray argExtremeAll(String op, boolean max, NDArray a) {
    if (a.numel() == 0) {
      throw new IllegalArgumentException(
          op + ": cannot reduce an empty array of shape " + Shapes.toString(a.shape));
    }
    return extreme(op, max, a.flatten(), 0, false, false).indices();
  }

  // ================================================================== kernels

  /**
   * Reduces {@code in} into {@code acc}: a new contiguous array of in's shape with the reduced dims
   * of size 1, holding the identity. The one dispatch on the storage type for the whole family:
   * each branch runs its dtype's kernels only.
   */
  private static void reduceInto(Combine combine, NDArray acc, NDArray in, boolean[] reduced) {
    boolean contiguous = in.isContiguous();
    boolean all = acc.numel() == 1;
    int prefix = reducedPrefix(reduced);
    Object o = acc.data;
    Object x = in.data;
    if (o instanceof float[] && x instanceof float[]) {
      float[] of = (float[]) o;
      float[] xf = (float[]) x;
      if (contiguous && all && combine == Combine.SUM) {
        of[0] = (float) sumContiguous(xf, in.offset, in.numel());
      } else if (contiguous && prefix > 0) {
        // Leading dims reduced (a bias gradient: [batch, n] -> [n]): whole rows combined in
        // order, the same order the strided loop takes, without planning it.
        combineRows(combine, of, xf, in.offset, in.numel(), acc.numel());
      } else {
        accumulate(combine, accumulator(acc, in, reduced), in, of, xf);
      }
    } else if (o instanceof double[] && x instanceof double[]) {
      double[] od = (double[]) o;
      double[] xd = (double[]) x;
      if (contiguous && all && combine == Combine.SUM) {
        od[0] = sumContiguous(xd, in.offset, in.numel());
      } else if (contiguous && prefix > 0) {
        combineRows(combine, od, xd, in.offset, in.numel(), acc.numel());
      } else {
        accumulate(combine, accumulator(acc, in, reduced), in, od, xd);
      }
    } else {
      accumulateScalar(combine, accumulator(acc, in, reduced), in);
    }
  }

  /** {@code acc} seen in {@code in}'s shape, with stride 0 along the reduced dims. */
  private static NDArray accumulator(NDArray acc, NDArray in, boolean[] reduced) {
    int[] strides = new int[in.rank()];
    for (int d = 0; d < in.rank(); d++) {
      strides[d] = reduced[d] ? 0 : acc.strides[d];
    }
    return new NDArray(acc.dtype, acc.data, in.shape, strides, 0);
  }

  /** The number of leading dims when exactly those are reduced (and some dim is kept), else 0. */
  private static int reducedPrefix(boolean[] reduced) {
    int p = 0;
    while (p < reduced.length && reduced[p]) {
      p++;
    }
    for (int d = p; d < reduced.length; d++) {
      if (reduced[d]) {
        return 0;
      }
    }
    return p == reduced.length ? 0 : p;
  }

  /**
   * Accumulates {@code in} into {@code acc} with {@code combine}; {@code acc} holds the identity
   * (or earlier partial results) and is a view of {@code in}'s shape with stride 0 on the reduced
   * dims. Runs on the calling thread: rows may share outputs.
   */
  private static void accumulate(Combine combine, NDArray acc, NDArray in, float[] o, float[] x) {
    StridedLoop loop = plan(acc, in);
    int os = loop.innerStrides[0];
    int is = loop.innerStrides[1];
    loop.run(
        (off, n) -> {
          if (os == 0) {
            o[off[0]] = combine.apply(o[off[0]], reduceRow(combine, x, off[1], is, n));
          } else if (os == 1 && is == 1) {
            combineRow(combine, o, off[0], x, off[1], n);
          } else {
            for (int i = 0; i < n; i++) {
              int k = off[0] + i * os;
              o[k] = combine.apply(o[k], x[off[1] + i * is]);
            }
          }
        });
  }

  /** The FLOAT64 twin of the float {@code accumulate}. */
  private static void accumulate(Combine combine, NDArray acc, NDArray in, double[] o, double[] x) {
    StridedLoop loop = plan(acc, in);
    int os = loop.innerStrides[0];
    int is = loop.innerStrides[1];
    loop.run(
        (off, n) -> {
          if (os == 0) {
            o[off[0]] = combine.apply(o[off[0]], reduceRow(combine, x, off[1], is, n));
          } else if (os == 1 && is == 1) {
            combineRow(combine, o, off[0], x, off[1], n);
          } else {
            for (int i = 0; i < n; i++) {
              int k = off[0] + i * os;
              o[k] = combine.apply(o[k], x[off[1] + i * is]);
            }
          }
        });
  }

  /** {@code accumulate} for INT32, element by element in double. */
  private static void accumulateScalar(Combine combine, NDArray acc, NDArray in) {
    StridedLoop loop = plan(acc, in);
    int os = loop.innerStrides[0];
    int is = loop.innerStrides[1];
    Object o = acc.data;
    Object x = in.data;
    loop.run(
        (off, n) -> {
          for (int i = 0; i < n; i++) {
            int k = off[0] + i * os;
            Storage.set(o, k, combine.apply(Storage.get(o, k), Storage.get(x, off[1] + i * is)));
          }
        });
  }

  private static StridedLoop plan(NDArray acc, NDArray in) {
    return StridedLoop.of(in.shape, new int[] {acc.offset, in.offset}, acc.strides, in.strides);
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
      // lane by lane, in order: reduceLanes leaves the order to the JIT tier (see sumLanes)
      float[] lanes = new float[FS.length()];
      acc.intoArray(lanes, 0);
      result = lanes[0];
      for (int k = 1; k < lanes.length; k++) {
        result = combine.apply(result, lanes[k]);
      }
    }
    for (; i < n; i++) {
      result = combine.apply(result, a[off + i * stride]);
    }
    return result;
  }

  /**
   * The FLOAT64 twin of the float {@code reduceRow}: the same four accumulators, no cascade (double
   * partial sums need none).
   */
  static double reduceRow(Combine combine, double[] a, int off, int stride, int n) {
    int i = 0;
    double result = combine.identity;
    if (stride == 1 && n >= 4 * DS.length()) {
      DoubleVector id = DoubleVector.broadcast(DS, combine.identity);
      DoubleVector acc0 = id;
      DoubleVector acc1 = id;
      DoubleVector acc2 = id;
      DoubleVector acc3 = id;
      int step = 4 * DS.length();
      int bound = n - n % step;
      for (; i < bound; i += step) {
        acc0 = combine.apply(acc0, DoubleVector.fromArray(DS, a, off + i));
        acc1 = combine.apply(acc1, DoubleVector.fromArray(DS, a, off + i + DS.length()));
        acc2 = combine.apply(acc2, DoubleVector.fromArray(DS, a, off + i + 2 * DS.length()));
        acc3 = combine.apply(acc3, DoubleVector.fromArray(DS, a, off + i + 3 * DS.length()));
      }
      DoubleVector acc = combine.apply(combine.apply(acc0, acc1), combine.apply(acc2, acc3));
      double[] lanes = new double[DS.length()];
      acc.intoArray(lanes, 0);
      result = lanes[0];
      for (int k = 1; k < lanes.length; k++) {
        result = combine.apply(result, lanes[k]);
      }
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

  /** The FLOAT64 twin of the float {@code combineRows}. */
  static void combineRows(Combine combine, double[] o, double[] a, int off, int numel, int len) {
    for (int r = off; r < off + numel; r += len) {
      combineRow(combine, o, 0, a, r, len);
    }
  }

  private static void combineRow(Combine combine, float[] o, int oo, float[] a, int ao, int n) {
    int i = 0;
    int bound = FS.loopBound(n);
    if (combine == Combine.SUM) { // a bias's gradient: a SIMD loop of its own, since the loop
      // below merges the four combines' vectors in one variable, which C2 boxes (6% of a GPT step);
      // a plain o[i] += a[i] loop is not vectorised (3.5× slower on [2048, 384] rows)
      for (; i < bound; i += FS.length()) {
        FloatVector.fromArray(FS, o, oo + i)
            .add(FloatVector.fromArray(FS, a, ao + i))
            .intoArray(o, oo + i);
      }
      for (; i < n; i++) {
        o[oo + i] += a[ao + i];
      }
      return;
    }
    for (; i < bound; i += FS.length()) {
      combine
          .apply(FloatVector.fromArray(FS, o, oo + i), FloatVector.fromArray(FS, a, ao + i))
          .intoArray(o, oo + i);
    }
    for (; i < n; i++) {
      o[oo + i] = combine.apply(o[oo + i], a[ao + i]);
    }
  }

  private static void combineRow(Combine combine, double[] o, int oo, double[] a, int ao, int n) {
    int i = 0;
    int bound = DS.loopBound(n);
    for (; i < bound; i += DS.length()) {
      combine
          .apply(DoubleVector.fromArray(DS, o, oo + i), DoubleVector.fromArray(DS, a, ao + i))
          .intoArray(o, oo + i);
    }
    for (; i < n; i++) {
      o[oo + i] = combine.apply(o[oo + i], a[ao + i]);
    }
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

  /** The FLOAT64 twin of the float {@code sumContiguous}. */
  static double sumContiguous(double[] a, int off, int n) {
    int chunk = StridedLoop.PARALLEL_GRAIN;
    int chunks = Parallel.chunkCount(n, chunk);
    double[] partial = new double[chunks];
    Parallel.forEachChunk(
        chunks,
        c -> {
          int s = c * chunk;
          partial[c] = reduceRow(Combine.SUM, a, off + s, 1, Math.min(chunk, n - s));
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
