package dev.jgrad.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise kernels. Each row of a {@link StridedLoop} takes the SIMD path when the output is
 * contiguous and each input is contiguous (stride 1) or a broadcast scalar (stride 0); any other
 * view takes a correct scalar path.
 */
final class Elementwise {
  static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

  private Elementwise() {}

  /** {@code out = op(a, b)} with a, b and out of one shape (a, b may be broadcast views). */
  static void binary(BinaryOp op, NDArray out, NDArray a, NDArray b) {
    if (!op.isComparison() && smallContiguous(out) && out.data instanceof float[]) {
      // Small contiguous work: one row, no loop planning (it dominates tiny ops otherwise).
      int as = flatStride(a, out);
      int bs = flatStride(b, out);
      if (as >= 0 && bs >= 0 && a.data instanceof float[] && b.data instanceof float[]) {
        binaryRow(
            op,
            (float[]) out.data,
            out.offset,
            1,
            (float[]) a.data,
            a.offset,
            as,
            (float[]) b.data,
            b.offset,
            bs,
            out.numel());
        return;
      }
      if (as == 1 && isRowBroadcast(b) && a.data instanceof float[] && b.data instanceof float[]) {
        binaryRows(
            op,
            (float[]) out.data,
            out.offset,
            (float[]) a.data,
            a.offset,
            (float[]) b.data,
            b.offset,
            out.numel(),
            out.shape[out.rank() - 1]);
        return;
      }
    }
    StridedLoop loop =
        StridedLoop.of(
            out.shape,
            new int[] {out.offset, a.offset, b.offset},
            out.strides,
            a.strides,
            b.strides);
    int cs = loop.innerStrides[0];
    int as = loop.innerStrides[1];
    int bs = loop.innerStrides[2];
    Object c = out.data;
    Object x = a.data;
    Object y = b.data;
    if (!op.isComparison()
        && c instanceof float[]
        && x instanceof float[]
        && y instanceof float[]) {
      loop.runParallel(
          (o, n) ->
              binaryRow(
                  op, (float[]) c, o[0], cs, (float[]) x, o[1], as, (float[]) y, o[2], bs, n));
    } else if (!op.isComparison()
        && c instanceof double[]
        && x instanceof double[]
        && y instanceof double[]) {
      loop.runParallel(
          (o, n) ->
              binaryRow(
                  op, (double[]) c, o[0], cs, (double[]) x, o[1], as, (double[]) y, o[2], bs, n));
    } else if (op.isComparison()
        && c instanceof int[]
        && x instanceof float[]
        && y instanceof float[]) {
      int[] ci = (int[]) c;
      float[] xf = (float[]) x;
      float[] yf = (float[]) y;
      loop.runParallel(
          (o, n) -> {
            for (int i = 0; i < n; i++) {
              ci[o[0] + i * cs] = op.apply(xf[o[1] + i * as], yf[o[2] + i * bs]) != 0 ? 1 : 0;
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
      for (int v = 0; v < period; v += FS.length()) {
        op.apply(FloatVector.fromArray(FS, a, ao + i + v), FloatVector.fromArray(FS, tile, v))
            .intoArray(c, co + i + v);
      }
    }
    for (int t = 0; i < numel; i++, t++) {
      c[co + i] = op.apply(a[ao + i], tile[t]);
    }
  }

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
      java.util.Arrays.fill(c, co, co + n, op.apply(a[ao], b[bo]));
      return;
    }
    if (cs == 1 && (as | 1) == 1 && (bs | 1) == 1 && n >= FS.length() && op != BinaryOp.POW) {
      // Three separate loops, no vector chosen by a branch: merging a broadcast and a loaded
      // vector (or null) in one variable made JDK 25's C2 emit code that stopped the VM.
      int bound = FS.loopBound(n);
      if (as == 1 && bs == 1) {
        for (; i < bound; i += FS.length()) {
          op.apply(FloatVector.fromArray(FS, a, ao + i), FloatVector.fromArray(FS, b, bo + i))
              .intoArray(c, co + i);
        }
      } else if (as == 1) {
        FloatVector vb = FloatVector.broadcast(FS, b[bo]);
        for (; i < bound; i += FS.length()) {
          op.apply(FloatVector.fromArray(FS, a, ao + i), vb).intoArray(c, co + i);
        }
      } else if (bs == 1) {
        FloatVector va = FloatVector.broadcast(FS, a[ao]);
        for (; i < bound; i += FS.length()) {
          op.apply(va, FloatVector.fromArray(FS, b, bo + i)).intoArray(c, co + i);
        }
      }
    }
    for (; i < n; i++) {
      c[co + i * cs] = op.apply(a[ao + i * as], b[bo + i * bs]);
    }
  }

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

  /** {@code out = op(a)} with a and out of one shape. */
  static void unary(UnaryOp op, NDArray out, NDArray a) {
    if (smallContiguous(out)
        && a.isContiguous()
        && out.data instanceof float[]
        && a.data instanceof float[]) {
      unaryRow(op, (float[]) out.data, out.offset, 1, (float[]) a.data, a.offset, 1, out.numel());
      return;
    }
    StridedLoop loop =
        StridedLoop.of(out.shape, new int[] {out.offset, a.offset}, out.strides, a.strides);
    int cs = loop.innerStrides[0];
    int as = loop.innerStrides[1];
    Object c = out.data;
    Object x = a.data;
    if (c instanceof float[] && x instanceof float[]) {
      loop.runParallel((o, n) -> unaryRow(op, (float[]) c, o[0], cs, (float[]) x, o[1], as, n));
    } else {
      loop.runParallel(
          (o, n) -> {
            for (int i = 0; i < n; i++) {
              Storage.set(c, o[0] + i * cs, op.apply(Storage.get(x, o[1] + i * as)));
            }
          });
    }
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

  /** {@code out = clamp(a, lo, hi)}; either bound may be NaN to mean "none". */
  static void clamp(NDArray out, NDArray a, double lo, double hi) {
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
  static void where(NDArray out, NDArray cond, NDArray a, NDArray b) {
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
        && java.util.Arrays.equals(dst.shape, src.shape)) {
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
          } else if (d instanceof float[] && s instanceof int[]) {
            float[] df = (float[]) d;
            int[] si = (int[]) s;
            for (int i = 0; i < n; i++) {
              df[o[0] + i * ds] = si[o[1] + i * ss];
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
        java.util.Arrays.fill((float[]) dst.data, from, to, (float) value);
        return;
      }
      if (dst.data instanceof double[]) {
        java.util.Arrays.fill((double[]) dst.data, from, to, value);
        return;
      }
    }
    StridedLoop loop = StridedLoop.of(dst.shape, new int[] {dst.offset}, dst.strides);
    int ds = loop.innerStrides[0];
    Object d = dst.data;
    loop.runParallel(
        (o, n) -> {
          if (ds == 1 && d instanceof float[]) {
            java.util.Arrays.fill((float[]) d, o[0], o[0] + n, (float) value);
          } else if (ds == 1 && d instanceof double[]) {
            java.util.Arrays.fill((double[]) d, o[0], o[0] + n, value);
          } else {
            for (int i = 0; i < n; i++) {
              Storage.set(d, o[0] + i * ds, value);
            }
          }
        });
  }
}
