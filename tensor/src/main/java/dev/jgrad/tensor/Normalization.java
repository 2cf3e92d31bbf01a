package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;
import dev.jgrad.tensor.kernel.VectorMath;
import jdk.incubator.vector.FloatVector;
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
 *
 * <p>Batch norm's kernels work per channel (dim 1) of an (N, C, …) array instead, over N rows of
 * the contiguous trailing values: {@link #channelMoments} (each channel's mean and biased variance,
 * channels split among threads) and {@link #channelNormalize} ({@code (x − μ_c)·r_c·γ_c + β_c},
 * rows split among threads); each channel's statistics depend on its own values only.
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
      double sum = VectorMath.sumLanes(acc);
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
    double squares = VectorMath.sumLanes(sq);
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

  // ------------------------------------------------------------------ per-channel (batch norm)

  /**
   * Per channel c (dim 1) of an (N, C, …) array, over the N·inner values of the other dims: the
   * mean μ and the biased variance σ² = Σ(x − μ)²/n, as a [2, C] array (row 0 the means, row 1 the
   * variances). Two passes per channel (the channel's values stay in cache between them): the sum,
   * then the corrected two-pass sum of squares Σd² − (Σd)²/n with d = x − μ (Chan, Golub and
   * LeVeque, 1983), whose second term cancels the rounding of μ. FLOAT32 rows are summed in float
   * lanes and the row totals in double.
   */
  static NDArray channelMoments(NDArray x) {
    String op = "channelMoments";
    checkChannels(op, x);
    int[] dims = channelDims(x);
    int batch = dims[0];
    int channels = dims[1];
    int inner = dims[2];
    NDArray out = Creation.empty(op, x.dtype, new int[] {2, channels});
    long count = (long) batch * inner;
    if (count == 0) {
      fillNaN(out);
      return out;
    }
    NDArray in = x.contiguous();
    int grain = (int) Math.max(1, StridedLoop.PARALLEL_GRAIN / count);
    if (x.dtype == DType.FLOAT32) {
      float[] xs = (float[]) in.data;
      float[] os = (float[]) out.data;
      int xo = in.offset;
      Parallel.forEachRange(
          channels,
          grain,
          (from, to) -> {
            for (int c = from; c < to; c++) {
              momentsFloat(xs, xo + c * inner, channels * inner, batch, inner, os, c, channels);
            }
          });
    } else {
      double[] xs = (double[]) in.data;
      double[] os = (double[]) out.data;
      int xo = in.offset;
      Parallel.forEachRange(
          channels,
          grain,
          (from, to) -> {
            for (int c = from; c < to; c++) {
              momentsDouble(xs, xo + c * inner, channels * inner, batch, inner, os, c, channels);
            }
          });
    }
    return out;
  }

  /**
   * Per channel c (dim 1) of an (N, C, …) array: {@code y = (x − mean[c]) · (invstd[c]·weight[c]) +
   * bias[c]}, the normalisation of batch norm, one SIMD pass over each contiguous row of a channel.
   * mean, invstd, weight and bias are [C]; weight and bias may be null (1 and 0).
   */
  static NDArray channelNormalize(
      NDArray x, NDArray mean, NDArray invstd, NDArray weight, NDArray bias) {
    String op = "channelNormalize";
    checkChannels(op, x);
    int[] dims = channelDims(x);
    int batch = dims[0];
    int channels = dims[1];
    int inner = dims[2];
    checkPerChannel(op, "mean", mean, x, false);
    checkPerChannel(op, "invstd", invstd, x, false);
    checkPerChannel(op, "weight", weight, x, true);
    checkPerChannel(op, "bias", bias, x, true);
    NDArray out = Creation.empty(op, x.dtype, x.shape);
    if (out.numel() == 0) {
      return out;
    }
    NDArray in = x.contiguous();
    NDArray scale = invstd.to(x.dtype);
    if (weight != null) {
      scale = scale.mul(weight.to(x.dtype));
    }
    scale = scale.contiguous();
    NDArray m = mean.to(x.dtype).contiguous();
    NDArray b = bias == null ? Creation.full(op, x.dtype, 0, new int[] {channels}) : bias;
    b = b.to(x.dtype).contiguous();
    int rows = batch * channels;
    int grain = Math.max(1, StridedLoop.PARALLEL_GRAIN / inner);
    if (x.dtype == DType.FLOAT32) {
      float[] xs = (float[]) in.data;
      float[] ys = (float[]) out.data;
      float[] ms = (float[]) m.data;
      float[] ss = (float[]) scale.data;
      float[] bs = (float[]) b.data;
      int xo = in.offset;
      int mo = m.offset;
      int so = scale.offset;
      int bo = b.offset;
      Parallel.forEachRange(
          rows,
          grain,
          (from, to) -> {
            for (int r = from; r < to; r++) {
              int c = r % channels;
              affineFloat(
                  xs, xo + r * inner, ys, r * inner, inner, ms[mo + c], ss[so + c], bs[bo + c]);
            }
          });
    } else {
      double[] xs = (double[]) in.data;
      double[] ys = (double[]) out.data;
      double[] ms = (double[]) m.data;
      double[] ss = (double[]) scale.data;
      double[] bs = (double[]) b.data;
      int xo = in.offset;
      int mo = m.offset;
      int so = scale.offset;
      int bo = b.offset;
      Parallel.forEachRange(
          rows,
          grain,
          (from, to) -> {
            for (int r = from; r < to; r++) {
              int c = r % channels;
              double mc = ms[mo + c];
              double sc = ss[so + c];
              double bc = bs[bo + c];
              for (int i = r * inner, end = i + inner; i < end; i++) {
                ys[i] = (xs[xo + i] - mc) * sc + bc;
              }
            }
          });
    }
    return out;
  }

  private static void checkChannels(String op, NDArray x) {
    if (x.rank() < 2) {
      throw new IllegalArgumentException(
          op + ": expects an input of shape (N, C, ...), got shape " + Shapes.toString(x.shape));
    }
    if (!x.dtype.isFloatingPoint()) {
      throw new IllegalArgumentException(
          op + ": expects a floating-point input, got " + x.dtype + " " + Shapes.toString(x.shape));
    }
  }

  /** (N, C, inner) of an (N, C, …) shape: inner is the product of the dims after the channel. */
  private static int[] channelDims(NDArray x) {
    int inner = 1;
    for (int d = 2; d < x.rank(); d++) {
      inner *= x.shape[d];
    }
    return new int[] {x.shape[0], x.shape[1], inner};
  }

  private static void checkPerChannel(
      String op, String name, NDArray p, NDArray x, boolean optional) {
    if (p == null && optional) {
      return;
    }
    if (p == null) {
      throw new IllegalArgumentException(op + ": " + name + " must not be null");
    }
    if (p.rank() != 1 || p.shape[0] != x.shape[1]) {
      throw new IllegalArgumentException(
          String.format(
              "%s: %s of shape %s does not match the %d channels of the input of shape %s",
              op, name, Shapes.toString(p.shape), x.shape[1], Shapes.toString(x.shape)));
    }
    if (!p.dtype.isFloatingPoint()) {
      throw new IllegalArgumentException(
          op
              + ": "
              + name
              + " must be floating-point, got "
              + p.dtype
              + " "
              + Shapes.toString(p.shape));
    }
  }

  private static void fillNaN(NDArray out) {
    if (out.data instanceof float[] f) {
      java.util.Arrays.fill(f, Float.NaN);
    } else {
      java.util.Arrays.fill((double[]) out.data, Double.NaN);
    }
  }

  /**
   * The mean and biased variance of one FLOAT32 channel: {@code batch} rows of {@code inner}
   * values, {@code stride} apart from {@code start}; written to out[c] and out[channels + c].
   */
  private static void momentsFloat(
      float[] x, int start, int stride, int batch, int inner, float[] out, int c, int channels) {
    int bound = FS.loopBound(inner);
    double sum = 0;
    for (int n = 0, row = start; n < batch; n++, row += stride) {
      FloatVector acc = FloatVector.zero(FS);
      int i = 0;
      for (; i < bound; i += FS.length()) {
        acc = acc.add(FloatVector.fromArray(FS, x, row + i));
      }
      double rowSum = VectorMath.sumLanes(acc);
      for (; i < inner; i++) {
        rowSum += x[row + i];
      }
      sum += rowSum;
    }
    double count = (double) batch * inner;
    float mean = (float) (sum / count);
    FloatVector vmean = FloatVector.broadcast(FS, mean);
    double squares = 0;
    double deviations = 0;
    for (int n = 0, row = start; n < batch; n++, row += stride) {
      FloatVector sq = FloatVector.zero(FS);
      FloatVector dev = FloatVector.zero(FS);
      int i = 0;
      for (; i < bound; i += FS.length()) {
        FloatVector d = FloatVector.fromArray(FS, x, row + i).sub(vmean);
        sq = d.fma(d, sq);
        dev = dev.add(d);
      }
      double rowSquares = VectorMath.sumLanes(sq);
      double rowDeviations = VectorMath.sumLanes(dev);
      for (; i < inner; i++) {
        double d = x[row + i] - mean;
        rowSquares += d * d;
        rowDeviations += d;
      }
      squares += rowSquares;
      deviations += rowDeviations;
    }
    out[c] = mean;
    out[channels + c] = (float) Math.max(0, (squares - deviations * deviations / count) / count);
  }

  /** The FLOAT64 twin of {@link #momentsFloat}, scalar. */
  private static void momentsDouble(
      double[] x, int start, int stride, int batch, int inner, double[] out, int c, int channels) {
    double sum = 0;
    for (int n = 0, row = start; n < batch; n++, row += stride) {
      for (int i = 0; i < inner; i++) {
        sum += x[row + i];
      }
    }
    double count = (double) batch * inner;
    double mean = sum / count;
    double squares = 0;
    double deviations = 0;
    for (int n = 0, row = start; n < batch; n++, row += stride) {
      for (int i = 0; i < inner; i++) {
        double d = x[row + i] - mean;
        squares += d * d;
        deviations += d;
      }
    }
    out[c] = mean;
    out[channels + c] = Math.max(0, (squares - deviations * deviations / count) / count);
  }

  /** y = (x − m)·s + b over one FLOAT32 row of n values, in SIMD lanes with a scalar tail. */
  private static void affineFloat(
      float[] x, int xo, float[] y, int yo, int n, float m, float s, float b) {
    FloatVector vm = FloatVector.broadcast(FS, m);
    FloatVector vs = FloatVector.broadcast(FS, s);
    FloatVector vb = FloatVector.broadcast(FS, b);
    int i = 0;
    for (int bound = FS.loopBound(n); i < bound; i += FS.length()) {
      FloatVector.fromArray(FS, x, xo + i).sub(vm).fma(vs, vb).intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      y[yo + i] = Math.fma(x[xo + i] - m, s, b);
    }
  }
}
