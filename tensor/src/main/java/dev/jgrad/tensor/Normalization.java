package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Normalisation of the rows formed by the trailing {@code normalizedShape} dims, each row visited
 * once while it is in cache:
 *
 * <ul>
 *   <li>layer norm: {@code y = (x − μ) / √(σ² + ε) · w + b}, with μ and σ² the row's mean and
 *       biased variance (Ba, Kiros and Hinton, 2016);
 *   <li>RMS norm: {@code y = x / √(mean(x²) + ε) · w} (Zhang and Sennrich, 2019).
 * </ul>
 *
 * The weight w and bias b have the normalized shape, or are null (1 and 0). FLOAT32 rows take SIMD
 * loops; FLOAT64 rows the scalar twins. Rows are independent, so threads split them in fixed ranges
 * and the bits do not depend on the thread count.
 */
final class Normalization {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;

  private Normalization() {}

  static NDArray layerNorm(
      NDArray x, int[] normalizedShape, NDArray weight, NDArray bias, double eps) {
    return normalize("layerNorm", true, x, normalizedShape, weight, bias, eps);
  }

  static NDArray rmsNorm(NDArray x, int[] normalizedShape, NDArray weight, double eps) {
    return normalize("rmsNorm", false, x, normalizedShape, weight, null, eps);
  }

  private static NDArray normalize(
      String op,
      boolean centre,
      NDArray x,
      int[] normalizedShape,
      NDArray weight,
      NDArray bias,
      double eps) {
    checkShapes(op, x, normalizedShape, weight, bias);
    if (!x.dtype.isFloatingPoint()) {
      throw new IllegalArgumentException(
          op + ": expects a floating-point input, got " + x.dtype + " " + Shapes.toString(x.shape));
    }
    if (!(eps >= 0)) {
      throw new IllegalArgumentException(op + ": eps must be non-negative, got " + eps);
    }
    if (weight == null && bias != null) {
      weight = Creation.full(op, x.dtype, 1, normalizedShape);
    }
    NDArray in = x.contiguous();
    int n = Shapes.numel(normalizedShape);
    int rows = n == 0 ? 0 : in.numel() / n;
    NDArray out = Creation.empty(op, x.dtype, x.shape);
    NDArray w = weight == null ? null : weight.to(x.dtype).contiguous();
    NDArray b = bias == null ? null : bias.to(x.dtype).contiguous();
    int grain = Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(n, 1));
    if (x.dtype == DType.FLOAT32) {
      float[] xs = (float[]) in.data;
      float[] ys = (float[]) out.data;
      float[] ws = w == null ? null : (float[]) w.data;
      float[] bs = b == null ? null : (float[]) b.data;
      int xo = in.offset;
      int wo = w == null ? 0 : w.offset;
      int bo = b == null ? 0 : b.offset;
      Parallel.forEachRange(
          rows,
          grain,
          (from, to) -> {
            for (int r = from; r < to; r++) {
              rowFloat(centre, xs, xo + r * n, ys, r * n, n, ws, wo, bs, bo, (float) eps);
            }
          });
    } else {
      double[] xs = (double[]) in.data;
      double[] ys = (double[]) out.data;
      double[] ws = w == null ? null : (double[]) w.data;
      double[] bs = b == null ? null : (double[]) b.data;
      int xo = in.offset;
      int wo = w == null ? 0 : w.offset;
      int bo = b == null ? 0 : b.offset;
      Parallel.forEachRange(
          rows,
          grain,
          (from, to) -> {
            for (int r = from; r < to; r++) {
              rowDouble(centre, xs, xo + r * n, ys, r * n, n, ws, wo, bs, bo, eps);
            }
          });
    }
    return out;
  }

  private static void checkShapes(
      String op, NDArray x, int[] normalizedShape, NDArray weight, NDArray bias) {
    int k = normalizedShape.length;
    boolean fits = k >= 1 && k <= x.rank();
    for (int i = 0; fits && i < k; i++) {
      fits = normalizedShape[i] == x.shape[x.rank() - k + i];
    }
    if (!fits) {
      throw new IllegalArgumentException(
          String.format(
              "%s: normalized shape %s must be the trailing dims of the input's shape %s",
              op, Shapes.toString(normalizedShape), Shapes.toString(x.shape)));
    }
    for (NDArray p : new NDArray[] {weight, bias}) {
      if (p != null && !java.util.Arrays.equals(p.shape, normalizedShape)) {
        throw new IllegalArgumentException(
            String.format(
                "%s: %s of shape %s must have the normalized shape %s",
                op,
                p == weight ? "weight" : "bias",
                Shapes.toString(p.shape),
                Shapes.toString(normalizedShape)));
      }
    }
  }

  /**
   * One FLOAT32 row: the mean (layer norm only), then the mean square about it, each summed in
   * float lanes and the lanes in double; then the affine normalisation in one more SIMD pass.
   */
  private static void rowFloat(
      boolean centre,
      float[] x,
      int xo,
      float[] y,
      int yo,
      int n,
      float[] w,
      int wo,
      float[] b,
      int bo,
      float eps) {
    int bound = FS.loopBound(n);
    float mean = 0f;
    int i;
    if (centre) {
      FloatVector acc = FloatVector.zero(FS);
      for (i = 0; i < bound; i += FS.length()) {
        acc = acc.add(FloatVector.fromArray(FS, x, xo + i));
      }
      double sum = acc.reduceLanes(VectorOperators.ADD);
      for (; i < n; i++) {
        sum += x[xo + i];
      }
      mean = (float) (sum / n);
    }
    FloatVector vmean = FloatVector.broadcast(FS, mean);
    FloatVector sq = FloatVector.zero(FS);
    for (i = 0; i < bound; i += FS.length()) {
      FloatVector d = FloatVector.fromArray(FS, x, xo + i).sub(vmean);
      sq = d.fma(d, sq);
    }
    double squares = sq.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      float d = x[xo + i] - mean;
      squares += d * d;
    }
    float rstd = (float) (1.0 / Math.sqrt(squares / n + eps));
    FloatVector vrstd = FloatVector.broadcast(FS, rstd);
    if (w != null && b != null) {
      for (i = 0; i < bound; i += FS.length()) {
        FloatVector.fromArray(FS, x, xo + i)
            .sub(vmean)
            .mul(vrstd)
            .fma(FloatVector.fromArray(FS, w, wo + i), FloatVector.fromArray(FS, b, bo + i))
            .intoArray(y, yo + i);
      }
      for (; i < n; i++) {
        y[yo + i] = Math.fma((x[xo + i] - mean) * rstd, w[wo + i], b[bo + i]);
      }
    } else if (w != null) {
      for (i = 0; i < bound; i += FS.length()) {
        FloatVector.fromArray(FS, x, xo + i)
            .sub(vmean)
            .mul(vrstd)
            .mul(FloatVector.fromArray(FS, w, wo + i))
            .intoArray(y, yo + i);
      }
      for (; i < n; i++) {
        y[yo + i] = (x[xo + i] - mean) * rstd * w[wo + i];
      }
    } else {
      for (i = 0; i < bound; i += FS.length()) {
        FloatVector.fromArray(FS, x, xo + i).sub(vmean).mul(vrstd).intoArray(y, yo + i);
      }
      for (; i < n; i++) {
        y[yo + i] = (x[xo + i] - mean) * rstd;
      }
    }
  }

  /** The FLOAT64 twin of {@link #rowFloat}, scalar. */
  private static void rowDouble(
      boolean centre,
      double[] x,
      int xo,
      double[] y,
      int yo,
      int n,
      double[] w,
      int wo,
      double[] b,
      int bo,
      double eps) {
    double mean = 0;
    if (centre) {
      for (int i = 0; i < n; i++) {
        mean += x[xo + i];
      }
      mean /= n;
    }
    double squares = 0;
    for (int i = 0; i < n; i++) {
      double d = x[xo + i] - mean;
      squares += d * d;
    }
    double rstd = 1 / Math.sqrt(squares / n + eps);
    for (int i = 0; i < n; i++) {
      double v = (x[xo + i] - mean) * rstd;
      if (w != null) {
        v *= w[wo + i];
      }
      if (b != null) {
        v += b[bo + i];
      }
      y[yo + i] = v;
    }
  }
}
