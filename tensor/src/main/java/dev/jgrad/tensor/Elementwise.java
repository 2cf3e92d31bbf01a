package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise operations: first the ops as NDArray sees them (dtype promotion, numpy broadcasting,
 * the checks of the in-place forms), then their kernels.
 *
 * <p>Each kernel dispatches once on the storage type: FLOAT32 and FLOAT64 take the same fast paths
 * (small contiguous work as one flat row, a bias row repeated over a batch, SIMD rows when every
 * operand is contiguous (stride 1) or a broadcast scalar (stride 0)); INT32 and mixed storage take
 * a correct scalar path. The float and double forms of a row kernel are twins: change both.
 */
final class Elementwise {
  static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

  private Elementwise() {}

  // ================================================================== ops

  /**
   * {@code op(a, b)} broadcast, computed in the promoted dtype; integers divide (and raise to a
   * power) in FLOAT32, like PyTorch; comparisons give INT32.
   */
  static NDArray binary(BinaryOp op, NDArray a, NDArray b) {
    int[] s = Shapes.broadcast(op.opName, a.shape, b.shape);
    DType compute = DType.promote(a.dtype, b.dtype);
    if ((op == BinaryOp.DIV || op == BinaryOp.POW) && compute == DType.INT32) {
      compute = DType.FLOAT32; // true division, like PyTorch
    }
    // the result is checked first, so a huge operand is refused under this op's name, not to's
    Shapes.checkAllocation(op.opName, s, compute.byteSize());
    NDArray x = a.to(compute);
    NDArray y = b.to(compute);
    x = Arrays.equals(x.shape, s) ? x : x.expand(s);
    y = Arrays.equals(y.shape, s) ? y : y.expand(s);
    NDArray out = Creation.empty(op.opName, op.isComparison() ? DType.INT32 : compute, s);
    binaryInto(op, out, x, y);
    return out;
  }

  /** A 0-d array of {@code a}'s dtype holding {@code value}; FLOAT32 for a fraction and an int. */
  static NDArray scalarLike(NDArray a, double value) {
    DType dt = a.dtype == DType.INT32 && value != Math.rint(value) ? DType.FLOAT32 : a.dtype;
    return Creation.full("scalar", dt, value, new int[0]);
  }

  /**
   * {@code dst = op(dst, other)} in place, {@code other} broadcast to dst's shape and converted to
   * its dtype; {@code name} is the public op for errors.
   */
  static NDArray binaryInPlace(BinaryOp op, String name, NDArray dst, NDArray other) {
    dst.checkWritable(name);
    int[] s = Shapes.broadcast(name, dst.shape, other.shape);
    if (!Arrays.equals(s, dst.shape)) {
      throw new IllegalArgumentException(
          String.format(
              "%s: shape %s cannot be broadcast into the destination's shape %s",
              name, Shapes.toString(other.shape), Shapes.toString(dst.shape)));
    }
    if (dst.dtype == DType.INT32 && other.dtype.isFloatingPoint()) {
      throw new IllegalArgumentException(
          name + ": a " + other.dtype + " result cannot be stored in an int32 array");
    }
    if (dst.dtype == DType.INT32 && op == BinaryOp.DIV) { // div is true division, as in binary()
      throw new IllegalArgumentException(
          name + ": true division gives float32, which cannot be stored in an int32 array");
    }
    NDArray y = other.to(dst.dtype);
    if (y.data == dst.data && (y.offset != dst.offset || !Arrays.equals(y.strides, dst.strides))) {
      y = y.clone(); // overlapping views: read from a copy
    }
    binaryInto(op, dst, dst, y.expand(dst.shape));
    return dst;
  }

  /** {@code dst += alpha·other}: one pass when alpha is 1, else other is scaled first. */
  static NDArray addInPlace(String name, NDArray dst, NDArray other, double alpha) {
    NDArray term = alpha == 1 ? other : binary(BinaryOp.MUL, other, scalarLike(other, alpha));
    return binaryInPlace(BinaryOp.ADD, name, dst, term);
  }

  /**
   * PyTorch's {@code addcmul_} (combine MUL) and {@code addcdiv_} (combine DIV): {@code dst +=
   * value·combine(t1, t2)}.
   */
  static NDArray addcInPlace(
      String name, BinaryOp combine, NDArray dst, NDArray t1, NDArray t2, double value) {
    // a mismatch, or a product too large, names this op, not its mul or div
    Shapes.checkAllocation(name, Shapes.broadcast(name, t1.shape, t2.shape), Double.BYTES);
    return addInPlace(name, dst, binary(combine, t1, t2), value);
  }

  /** {@code op(a)}; integers go to FLOAT32 unless the op maps integers to integers. */
  static NDArray unary(UnaryOp op, NDArray a) {
    Shapes.checkAllocation(op.opName, a.shape, Float.BYTES); // before a.to's copy
    NDArray x = a.dtype == DType.INT32 && !op.keepsIntegers() ? a.to(DType.FLOAT32) : a;
    NDArray out = Creation.empty(op.opName, x.dtype, x.shape);
    unaryInto(op, out, x);
    return out;
  }

  /** Every element limited to [lo, hi]; a NaN bound means no bound on that side. */
  static NDArray clamp(String op, NDArray a, double lo, double hi) {
    if (lo > hi) {
      throw new IllegalArgumentException(op + ": min " + lo + " is greater than max " + hi);
    }
    NDArray out = Creation.empty(op, a.dtype, a.shape);
    clampInto(out, a, lo, hi);
    return out;
  }

  /** {@code cond != 0 ? a : b}, the three broadcast together, in the dtype of a and b promoted. */
  static NDArray where(NDArray cond, NDArray a, NDArray b) {
    int[] s = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape, a.shape), b.shape);
    DType dt = DType.promote(a.dtype, b.dtype);
    NDArray out = Creation.empty("where", dt, s);
    whereInto(out, cond.expand(s), a.to(dt).expand(s), b.to(dt).expand(s));
    return out;
  }

  /** A copy of {@code a} with {@code value} where the mask (broadcast to a's shape) is non-zero. */
  static NDArray maskedFill(NDArray a, NDArray mask, double value) {
    int[] s = Shapes.broadcast("maskedFill", a.shape, mask.shape);
    if (!Arrays.equals(s, a.shape)) {
      throw new IllegalArgumentException(
          String.format(
              "maskedFill: mask of shape %s does not broadcast to the array's shape %s",
              Shapes.toString(mask.shape), Shapes.toString(a.shape)));
    }
    NDArray out = Creation.empty("maskedFill", a.dtype, a.shape);
    NDArray fill = Creation.full("maskedFill", a.dtype, value, new int[0]);
    whereInto(out, mask.expand(a.shape), fill.expand(a.shape), a);
    return out;
  }

  /** {@code dst = src} in place, src broadcast to dst's shape and converted to its dtype. */
  static NDArray copyFrom(NDArray dst, NDArray src) {
    dst.checkWritable("copyFrom");
    int[] s = Shapes.broadcast("copyFrom", dst.shape, src.shape);
    if (!Arrays.equals(s, dst.shape)) {
      throw new IllegalArgumentException(
          String.format(
              "copyFrom: shape %s cannot be broadcast into the destination's shape %s",
              Shapes.toString(src.shape), Shapes.toString(dst.shape)));
    }
    NDArray y = src.data == dst.data && src != dst ? src.clone() : src;
    copy(dst, y.expand(dst.shape));
    return dst;
  }

  /**
   * True when a and b have one shape and every pair is equal (infinities of one sign included), or
   * two NaNs, or finite with {@code |a − b| ≤ atol + rtol·|b|}: an infinity is close only to
   * itself, however large the tolerance.
   */
  static boolean allClose(NDArray a, NDArray b, double rtol, double atol) {
    if (!Arrays.equals(a.shape, b.shape)) {
      return false;
    }
    double[] x = a.toDoubleArray();
    double[] y = b.toDoubleArray();
    for (int i = 0; i < x.length; i++) {
      boolean close =
          x[i] == y[i]
              || (Double.isNaN(x[i]) && Double.isNaN(y[i]))
              || (Double.isFinite(y[i]) && Math.abs(x[i] - y[i]) <= atol + rtol * Math.abs(y[i]));
      if (!close) {
        return false;
      }
    }
    return true;
  }

  // ================================================================== binary kernels

  /** {@code out = op(a, b)} with a, b and out of one shape (a, b may be broadcast views). */
  static void binaryInto(BinaryOp op, NDArray out, NDArray a, NDArray b) {
    Object c = out.data;
    Object x = a.data;
    Object y = b.data;
    if (op.isComparison()) {
      compareInto(op, out, a, b);
    } else if (c instanceof float[] && x instanceof float[] && y instanceof float[]) {
      binaryFloat(op, out, a, b);
    } else if (c instanceof double[] && x instanceof double[] && y instanceof double[]) {
      binaryDouble(op, out, a, b);
    } else {
      StridedLoop loop = plan(out, a, b);
      int[] s = loop.innerStrides;
      loop.runParallel(
          (o, n) -> {
            for (int i = 0; i < n; i++) {
              double v = op.apply(Storage.get(x, o[1] + i * s[1]), Storage.get(y, o[2] + i * s[2]));
              Storage.set(c, o[0] + i * s[0], v);
            }
          });
    }
  }

  private static StridedLoop plan(NDArray out, NDArray a, NDArray b) {
    return StridedLoop.of(
        out.shape, new int[] {out.offset, a.offset, b.offset}, out.strides, a.strides, b.strides);
  }

  private static void binaryFloat(BinaryOp op, NDArray out, NDArray a, NDArray b) {
    float[] c = (float[]) out.data;
    float[] x = (float[]) a.data;
    float[] y = (float[]) b.data;
    if (smallContiguous(out)) { // one row, no loop planning (it dominates tiny ops otherwise)
      int as = flatStride(a, out);
      int bs = flatStride(b, out);
      if (as >= 0 && bs >= 0) {
        binaryRow(op, c, out.offset, 1, x, a.offset, as, y, b.offset, bs, out.numel());
        return;
      }
      if (as == 1 && isRowBroadcast(b)) {
        int len = out.shape[out.rank() - 1];
        binaryRows(op, c, out.offset, x, a.offset, y, b.offset, out.numel(), len);
        return;
      }
    }
    StridedLoop loop = plan(out, a, b);
    int cs = loop.innerStrides[0];
    int as = loop.innerStrides[1];
    int bs = loop.innerStrides[2];
    loop.runParallel((o, n) -> binaryRow(op, c, o[0], cs, x, o[1], as, y, o[2], bs, n));
  }

  /** The FLOAT64 twin of {@link #binaryFloat}. */
  private static void binaryDouble(BinaryOp op, NDArray out, NDArray a, NDArray b) {
    double[] c = (double[]) out.data;
    double[] x = (double[]) a.data;
    double[] y = (double[]) b.data;
    if (smallContiguous(out)) {
      int as = flatStride(a, out);
      int bs = flatStride(b, out);
      if (as >= 0 && bs >= 0) {
        binaryRow(op, c, out.offset, 1, x, a.offset, as, y, b.offset, bs, out.numel());
        return;
      }
      if (as == 1 && isRowBroadcast(b)) {
        int len = out.shape[out.rank() - 1];
        binaryRows(op, c, out.offset, x, a.offset, y, b.offset, out.numel(), len);
        return;
      }
    }
    StridedLoop loop = plan(out, a, b);
    int cs = loop.innerStrides[0];
    int as = loop.innerStrides[1];
    int bs = loop.innerStrides[2];
    loop.runParallel((o, n) -> binaryRow(op, c, o[0], cs, x, o[1], as, y, o[2], bs, n));
  }

  /** {@code out = op(a, b) ? 1 : 0} into INT32, with direct loops over float and double inputs. */
  private static void compareInto(BinaryOp op, NDArray out, NDArray a, NDArray b) {
    StridedLoop loop = plan(out, a, b);
    int cs = loop.innerStrides[0];
    int as = loop.innerStrides[1];
    int bs = loop.innerStrides[2];
    Object c = out.data;
    Object x = a.data;
    Object y = b.data;
    if (c instanceof int[] && x instanceof float[] && y instanceof float[]) {
      int[] ci = (int[]) c;
      float[] xf = (float[]) x;
      float[] yf = (float[]) y;
      loop.runParallel(
          (o, n) -> {
            for (int i = 0; i < n; i++) {
              ci[o[0] + i * cs] = op.apply(xf[o[1] + i * as], yf[o[2] + i * bs]) != 0 ? 1 : 0;
            }
          });
    } else if (c instanceof int[] && x instanceof double[] && y instanceof double[]) {
      int[] ci = (int[]) c;
      double[] xd = (double[]) x;
      double[] yd = (double[]) y;
      loop.runParallel(
          (o, n) -> {
            for (int i = 0; i < n; i++) {
              ci[o[0] + i * cs] = op.apply(xd[o[1] + i * as], yd[o[2] + i * bs]) != 0 ? 1 : 0;
            }
          });
    } else {
      loop.runParallel(
          (o, n) -> {
            for (int i = 0; i < n; i++) {
              double v = op.apply(Storage.get(x, o[1] + i * as), Storage.get(y, o[2] + i * bs));
              Storage.set(c, o[0] + i * cs, v);
            }
          });
    }
  }

  /**
   * {@code c = op(a, b)} where a and c are contiguous and b is one row of {@code len} repeated (a
   * bias added to every row of a batch). Rows shorter than a vector are handled as one flat row
   * against b repeated: a loop per 5-float row cost ten times more.
   */
  static void binaryRows(
      BinaryOp op, float[] c, int co, float[] a, int ao, float[] b, int bo, int numel, int len) {
    if (len >= FS.length()) {
      for (int r = 0; r < numel; r += len) {
        binaryRow(op, c, co + r, 1, a, ao + r, 1, b, bo, 1, len);
      }
      return;
    }
    if (op == BinaryOp.POW) {
      for (int r = 0; r < numel; r += len) {
        for (int j = 0; j < len; j++) {
          c[co + r + j] = op.apply(a[ao + r + j], b[bo + j]);
        }
      }
      return;
    }
    // b tiled to a period that is a whole number of rows and of vectors: a[i] pairs with
    // tile[i mod period], so the flat loop runs in full vectors.
    int period = len * FS.length();
    float[] tile = new float[period];
    for (int t = 0; t < period; t++) {
      tile[t] = b[bo + t % len];
    }
    int i = 0;
    for (; i + period <= numel; i += period) {
      op.applyContiguous(c, co + i, a, ao + i, 1, tile, 0, 1, period);
    }
    op.applyContiguous(c, co + i, a, ao + i, 1, tile, 0, 1, numel - i);
  }

  /**
   * The FLOAT64 twin of {@link #binaryRows(BinaryOp, float[], int, float[], int, float[], int, int,
   * int)}.
   */
  static void binaryRows(
      BinaryOp op, double[] c, int co, double[] a, int ao, double[] b, int bo, int numel, int len) {
    if (len >= DS.length()) {
      for (int r = 0; r < numel; r += len) {
        binaryRow(op, c, co + r, 1, a, ao + r, 1, b, bo, 1, len);
      }
      return;
    }
    if (op == BinaryOp.POW) {
      for (int r = 0; r < numel; r += len) {
        for (int j = 0; j < len; j++) {
          c[co + r + j] = op.apply(a[ao + r + j], b[bo + j]);
        }
      }
      return;
    }
    int period = len * DS.length();
    double[] tile = new double[period];
    for (int t = 0; t < period; t++) {
      tile[t] = b[bo + t % len];
    }
    int i = 0;
    for (; i + period <= numel; i += period) {
      for (int v = 0; v < period; v += DS.length()) {
        op.apply(DoubleVector.fromArray(DS, a, ao + i + v), DoubleVector.fromArray(DS, tile, v))
            .intoArray(c, co + i + v);
      }
    }
    for (int t = 0; i < numel; i++, t++) {
      c[co + i] = op.apply(a[ao + i], tile[t]);
    }
  }

  /**
   * {@code c[co + i·cs] = op(a[ao + i·as], b[bo + i·bs])} for {@code i < n}: SIMD when c is
   * contiguous and each input is contiguous or a broadcast scalar, one fill when both are scalars.
   */
  static void binaryRow(
      BinaryOp op,
      float[] c,
      int co,
      int cs,
      float[] a,
      int ao,
      int as,
      float[] b,
      int bo,
      int bs,
      int n) {
    int i = 0;
    if (as == 0 && bs == 0 && cs == 1) { // both broadcast: one value (a mean's gradient)
      Arrays.fill(c, co, co + n, op.apply(a[ao], b[bo]));
      return;
    }
    if (cs == 1 && (as | 1) == 1 && (bs | 1) == 1 && op != BinaryOp.POW) {
      op.applyContiguous(c, co, a, ao, as, b, bo, bs, n);
      return;
    }
    for (; i < n; i++) {
      c[co + i * cs] = op.apply(a[ao + i * as], b[bo + i * bs]);
    }
  }

  /** The FLOAT64 twin of the float {@code binaryRow}. */
  static void binaryRow(
      BinaryOp op,
      double[] c,
      int co,
      int cs,
      double[] a,
      int ao,
      int as,
      double[] b,
      int bo,
      int bs,
      int n) {
    int i = 0;
    if (as == 0 && bs == 0 && cs == 1) {
      Arrays.fill(c, co, co + n, op.apply(a[ao], b[bo]));
      return;
    }
    if (cs == 1 && (as | 1) == 1 && (bs | 1) == 1 && n >= DS.length() && op != BinaryOp.POW) {
      int bound = DS.loopBound(n);
      if (as == 1 && bs == 1) {
        for (; i < bound; i += DS.length()) {
          op.apply(DoubleVector.fromArray(DS, a, ao + i), DoubleVector.fromArray(DS, b, bo + i))
              .intoArray(c, co + i);
        }
      } else if (as == 1) {
        DoubleVector vb = DoubleVector.broadcast(DS, b[bo]);
        for (; i < bound; i += DS.length()) {
          op.apply(DoubleVector.fromArray(DS, a, ao + i), vb).intoArray(c, co + i);
        }
      } else if (bs == 1) {
        DoubleVector va = DoubleVector.broadcast(DS, a[ao]);
        for (; i < bound; i += DS.length()) {
          op.apply(va, DoubleVector.fromArray(DS, b, bo + i)).intoArray(c, co + i);
        }
      }
    }
    for (; i < n; i++) {
      c[co + i * cs] = op.apply(a[ao + i * as], b[bo + i * bs]);
    }
  }

  /** Contiguous and below the parallel grain: handled as one row on the calling thread. */
  private static boolean smallContiguous(NDArray out) {
    int n = out.numel();
    return n > 0 && n < 2 * StridedLoop.PARALLEL_GRAIN && out.isContiguous();
  }

  /**
   * The stride of {@code a} seen as one flat row shaped like the contiguous {@code out}: 1 when it
   * is contiguous with out's shape, 0 when it is a single broadcast element, else −1.
   */
  private static int flatStride(NDArray a, NDArray out) {
    if (a.numel() == out.numel() && a.isContiguous()) {
      return 1;
    }
    for (int st : a.strides) {
      if (st != 0) {
        return a.numel() == 1 ? 0 : -1;
      }
    }
    return 0; // every dim broadcast: one element
  }

  /** A contiguous row repeated along every leading dim (stride 1 last, 0 elsewhere). */
  private static boolean isRowBroadcast(NDArray b) {
    int last = b.rank() - 1;
    if (last < 1 || b.strides[last] != 1) {
      return false;
    }
    for (int d = 0; d < last; d++) {
      if (b.strides[d] != 0) {
        return false;
      }
    }
    return true;
  }

  // ================================================================== unary kernels

  /** {@code out = op(a)} with a and out of one shape. */
  static void unaryInto(UnaryOp op, NDArray out, NDArray a) {
    Object c = out.data;
    Object x = a.data;
    if (c instanceof float[] && x instanceof float[]) {
      unaryFloat(op, out, a);
    } else if (c instanceof double[] && x instanceof double[]) {
      unaryDouble(op, out, a);
    } else {
      StridedLoop loop =
          StridedLoop.of(out.shape, new int[] {out.offset, a.offset}, out.strides, a.strides);
      int cs = loop.innerStrides[0];
      int as = loop.innerStrides[1];
      loop.runParallel(
          (o, n) -> {
            for (int i = 0; i < n; i++) {
              Storage.set(c, o[0] + i * cs, op.apply(Storage.get(x, o[1] + i * as)));
            }
          });
    }
  }

  private static void unaryFloat(UnaryOp op, NDArray out, NDArray a) {
    float[] c = (float[]) out.data;
    float[] x = (float[]) a.data;
    if (smallContiguous(out) && a.isContiguous()) {
      unaryRow(op, c, out.offset, 1, x, a.offset, 1, out.numel());
      return;
    }
    StridedLoop loop =
        StridedLoop.of(out.shape, new int[] {out.offset, a.offset}, out.strides, a.strides);
    int cs = loop.innerStrides[0];
    int as = loop.innerStrides[1];
    loop.runParallel((o, n) -> unaryRow(op, c, o[0], cs, x, o[1], as, n));
  }

  /** The FLOAT64 twin of {@link #unaryFloat}. */
  private static void unaryDouble(UnaryOp op, NDArray out, NDArray a) {
    double[] c = (double[]) out.data;
    double[] x = (double[]) a.data;
    if (smallContiguous(out) && a.isContiguous()) {
      unaryRow(op, c, out.offset, 1, x, a.offset, 1, out.numel());
      return;
    }
    StridedLoop loop =
        StridedLoop.of(out.shape, new int[] {out.offset, a.offset}, out.strides, a.strides);
    int cs = loop.innerStrides[0];
    int as = loop.innerStrides[1];
    loop.runParallel((o, n) -> unaryRow(op, c, o[0], cs, x, o[1], as, n));
  }

  static void unaryRow(UnaryOp op, float[] c, int co, int cs, float[] a, int ao, int as, int n) {
    if (cs == 1 && as == 1) {
      op.applyContiguous(c, co, a, ao, n);
      return;
    }
    for (int i = 0; i < n; i++) {
      c[co + i * cs] = op.applyFloat(a[ao + i * as]);
    }
  }

  /** The FLOAT64 twin of the float {@code unaryRow}. */
  static void unaryRow(UnaryOp op, double[] c, int co, int cs, double[] a, int ao, int as, int n) {
    if (cs == 1 && as == 1) {
      op.applyContiguous(c, co, a, ao, n);
      return;
    }
    for (int i = 0; i < n; i++) {
      c[co + i * cs] = op.apply(a[ao + i * as]);
    }
  }

  // ================================================================== other kernels

  /** {@code out = clamp(a, lo, hi)}; either bound may be NaN to mean "none". */
  static void clampInto(NDArray out, NDArray a, double lo, double hi) {
    StridedLoop loop =
        StridedLoop.of(out.shape, new int[] {out.offset, a.offset}, out.strides, a.strides);
    int cs = loop.innerStrides[0];
    int as = loop.innerStrides[1];
    Object c = out.data;
    Object x = a.data;
    loop.runParallel(
        (o, n) -> {
          for (int i = 0; i < n; i++) {
            double v = Storage.get(x, o[1] + i * as);
            if (v < lo) {
              v = lo;
            }
            if (v > hi) {
              v = hi;
            }
            Storage.set(c, o[0] + i * cs, v);
          }
        });
  }

  /** {@code out = cond != 0 ? a : b}, all four of one shape. */
  static void whereInto(NDArray out, NDArray cond, NDArray a, NDArray b) {
    StridedLoop loop =
        StridedLoop.of(
            out.shape,
            new int[] {out.offset, cond.offset, a.offset, b.offset},
            out.strides,
            cond.strides,
            a.strides,
            b.strides);
    int[] s = loop.innerStrides;
    loop.runParallel(
        (o, n) -> {
          for (int i = 0; i < n; i++) {
            boolean take = Storage.get(cond.data, o[1] + i * s[1]) != 0;
            double v =
                take ? Storage.get(a.data, o[2] + i * s[2]) : Storage.get(b.data, o[3] + i * s[3]);
            Storage.set(out.data, o[0] + i * s[0], v);
          }
        });
  }

  /** Copies {@code src} into {@code dst} (same shape), converting the dtype if they differ. */
  static void copy(NDArray dst, NDArray src) {
    if (dst.numel() == 0) {
      return; // an empty view may carry an offset past its storage
    }
    if (dst.data.getClass() == src.data.getClass()
        && smallContiguous(dst)
        && src.isContiguous()
        && Arrays.equals(dst.shape, src.shape)) {
      System.arraycopy(src.data, src.offset, dst.data, dst.offset, dst.numel());
      return;
    }
    StridedLoop loop =
        StridedLoop.of(dst.shape, new int[] {dst.offset, src.offset}, dst.strides, src.strides);
    int ds = loop.innerStrides[0];
    int ss = loop.innerStrides[1];
    Object d = dst.data;
    Object s = src.data;
    boolean sameType = d.getClass() == s.getClass();
    loop.runParallel(
        (o, n) -> {
          if (sameType && ds == 1 && ss == 1) {
            System.arraycopy(s, o[1], d, o[0], n);
          } else if (d instanceof float[] && s instanceof float[]) {
            float[] df = (float[]) d;
            float[] sf = (float[]) s;
            for (int i = 0; i < n; i++) {
              df[o[0] + i * ds] = sf[o[1] + i * ss];
            }
          } else if (d instanceof double[] && s instanceof double[]) {
            double[] dd = (double[]) d;
            double[] sd = (double[]) s;
            for (int i = 0; i < n; i++) {
              dd[o[0] + i * ds] = sd[o[1] + i * ss];
            }
          } else if (d instanceof float[] && s instanceof int[]) {
            float[] df = (float[]) d;
            int[] si = (int[]) s;
            for (int i = 0; i < n; i++) {
              df[o[0] + i * ds] = si[o[1] + i * ss];
            }
          } else if (d instanceof double[] && s instanceof float[]) {
            double[] dd = (double[]) d;
            float[] sf = (float[]) s;
            for (int i = 0; i < n; i++) {
              dd[o[0] + i * ds] = sf[o[1] + i * ss];
            }
          } else {
            for (int i = 0; i < n; i++) {
              Storage.set(d, o[0] + i * ds, Storage.get(s, o[1] + i * ss));
            }
          }
        });
  }

  /** Sets every element of {@code dst} to {@code value}. */
  static void fill(NDArray dst, double value) {
    if (smallContiguous(dst)) {
      int from = dst.offset;
      int to = from + dst.numel();
      if (dst.data instanceof float[]) {
        Arrays.fill((float[]) dst.data, from, to, (float) value);
        return;
      }
      if (dst.data instanceof double[]) {
        Arrays.fill((double[]) dst.data, from, to, value);
        return;
      }
    }
    StridedLoop loop = StridedLoop.of(dst.shape, new int[] {dst.offset}, dst.strides);
    int ds = loop.innerStrides[0];
    Object d = dst.data;
    loop.runParallel(
        (o, n) -> {
          if (ds == 1 && d instanceof float[]) {
            Arrays.fill((float[]) d, o[0], o[0] + n, (float) value);
          } else if (ds == 1 && d instanceof double[]) {
            Arrays.fill((double[]) d, o[0], o[0] + n, value);
          } else {
            for (int i = 0; i < n; i++) {
              Storage.set(d, o[0] + i * ds, value);
            }
          }
        });
  }
}
