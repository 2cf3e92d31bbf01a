package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * 2-D pooling over the last two dims of an (N, C, H, W) or (C, H, W) array, with PyTorch's window
 * geometry, and the adjoints of the averaging poolings.
 *
 * <p>Along one spatial dim of size {@code in}, output position o of a pooling with kernel k, stride
 * s, padding p and dilation d looks at the taps {@code o·s − p + j·d}, j = 0 … k − 1; taps outside
 * [0, in) are padding. The output size is ⌊(in + 2p − d(k − 1) − 1) / s⌋ + 1 (⌈…⌉ in ceil mode,
 * dropping a last window that would start in the right padding). An adaptive pooling to {@code out}
 * positions averages [⌊o·in/out⌋, ⌈(o + 1)·in/out⌉).
 *
 * <p>Every output position of every (n, c) plane depends on that plane alone, so planes are split
 * over threads in fixed ranges and the result is the same on any number of threads. Averages sum
 * window rows with {@link Reductions#reduceRow} when long, inline when short. The FLOAT32 maximum
 * puts output columns in SIMD lanes, since windows (2×2, 3×3) are too short to vectorise; FLOAT64
 * and rows narrower than a vector take the scalar scan.
 */
final class Pooling {
  /**
   * At most 8 lanes: output rows of pooled feature maps are short (14 columns for 28 × 28 maps),
   * and a row narrower than a vector goes scalar.
   */
  private static final VectorSpecies<Float> FS =
      FloatVector.SPECIES_PREFERRED.vectorBitSize() > 256
          ? FloatVector.SPECIES_256
          : FloatVector.SPECIES_PREFERRED;

  private Pooling() {}

  // ------------------------------------------------------------------ op level: geometry

  /**
   * The windows of a pooling along one spatial dim, as half-open input ranges {@code [start[o],
   * end[o])} already clipped to the input, and {@code count[o]}, the number of positions an average
   * divides by.
   */
  record Windows(int in, int[] start, int[] end, int[] count) {
    int out() {
      return start.length;
    }
  }

  /** The spatial sizes of an input: {H, W} after checking that it is (C, H, W) or (N, C, H, W). */
  private static int[] spatial(String op, NDArray x) {
    if (x.rank() != 3 && x.rank() != 4) {
      throw new IllegalArgumentException(
          op
              + ": expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape "
              + Shapes.toString(x.shape));
    }
    int h = x.shape[x.rank() - 2];
    int w = x.shape[x.rank() - 1];
    if (h == 0 || w == 0) {
      throw new IllegalArgumentException(
          op + ": the input of shape " + Shapes.toString(x.shape) + " has an empty plane");
    }
    return new int[] {h, w};
  }

  /**
   * A 1- or 2-element size argument as {h, w}, each at least {@code min}; errors name the op, the
   * argument and the shape of the array pooled.
   */
  static int[] pair(String op, String what, int[] v, int min, int[] shape) {
    if (v == null || v.length < 1 || v.length > 2) {
      throw new IllegalArgumentException(
          String.format(
              "%s: %s must have 1 or 2 values, got %s (input of shape %s)",
              op, what, Arrays.toString(v), Shapes.toString(shape)));
    }
    int[] hw = v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
    if (hw[0] < min || hw[1] < min) {
      throw new IllegalArgumentException(
          String.format(
              "%s: %s must be %s, got %s (input of shape %s)",
              op,
              what,
              min > 0 ? "positive" : "non-negative",
              Arrays.toString(v),
              Shapes.toString(shape)));
    }
    return hw;
  }

  /** PyTorch's pooling output size (see the class comment); at most 0 when nothing fits. */
  static long outputSize(int in, int k, int s, int p, int d, boolean ceilMode) {
    long span = (long) in + 2L * p - (long) d * (k - 1) - 1;
    long out = Math.floorDiv(span + (ceilMode ? s - 1 : 0), s) + 1;
    if (ceilMode && out > 0 && (out - 1) * s >= (long) in + p) {
      out--; // the last window would start in the right padding
    }
    return out;
  }

  /** Checks padding ≤ kernel / 2 and that an output fits; returns {outH, outW}. */
  private static int[] outputSizes(
      String op, int[] shape, int[] in, int[] k, int[] s, int[] p, int[] d, boolean ceilMode) {
    if (p[0] > k[0] / 2 || p[1] > k[1] / 2) {
      throw new IllegalArgumentException(
          String.format(
              "%s: padding %s must be at most half of the kernel size %s (input of shape %s)",
              op, Arrays.toString(p), Arrays.toString(k), Shapes.toString(shape)));
    }
    long oh = outputSize(in[0], k[0], s[0], p[0], d[0], ceilMode);
    long ow = outputSize(in[1], k[1], s[1], p[1], d[1], ceilMode);
    if (oh < 1 || ow < 1) {
      throw new IllegalArgumentException(
          String.format(
              "%s: kernel size %s with dilation %s is larger than the input of shape %s padded by"
                  + " %s (output size [%d, %d])",
              op,
              Arrays.toString(k),
              Arrays.toString(d),
              Shapes.toString(shape),
              Arrays.toString(p),
              oh,
              ow));
    }
    // out − 1 ≤ (in + 2p − d(k − 1) − 1) / s ≤ in as p ≤ k / 2: an output is never larger than the
    // input plus one, so it fits an int
    return new int[] {(int) oh, (int) ow};
  }

  /** The windows of an averaging pooling (no dilation) with PyTorch's divisors. */
  static Windows averageWindows(int in, int out, int k, int s, int p, boolean countIncludePad) {
    int[] start = new int[out];
    int[] end = new int[out];
    int[] count = new int[out];
    for (int o = 0; o < out; o++) {
      int from = o * s - p;
      int to = (int) Math.min((long) from + k, (long) in + p); // the window, padding included
      int padded = to - from;
      start[o] = Math.max(from, 0);
      end[o] = Math.min(to, in);
      count[o] = countIncludePad ? padded : end[o] - start[o];
    }
    return new Windows(in, start, end, count);
  }

  /** The windows of an adaptive average: [⌊o·in/out⌋, ⌈(o + 1)·in/out⌉). */
  static Windows adaptiveWindows(int in, int out) {
    int[] start = new int[out];
    int[] end = new int[out];
    int[] count = new int[out];
    for (int o = 0; o < out; o++) {
      start[o] = (int) ((long) o * in / out);
      end[o] = (int) (((long) (o + 1) * in + out - 1) / out);
      count[o] = end[o] - start[o];
    }
    return new Windows(in, start, end, count);
  }

  /** The shape of x with its last two sizes replaced. */
  private static int[] withPlane(int[] shape, int h, int w) {
    int[] s = shape.clone();
    s[s.length - 2] = h;
    s[s.length - 1] = w;
    return s;
  }

  /** The input as a contiguous floating-point array (INT32 is pooled in FLOAT32). */
  private static NDArray floating(NDArray x) {
    return (x.dtype == DType.INT32 ? x.to(DType.FLOAT32) : x).contiguous();
  }

  // ------------------------------------------------------------------ op level: the operations

  static ValuesAndIndices maxPool2d(
      NDArray x, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
    String op = "maxPool2d";
    int[] in = spatial(op, x);
    int[] k = pair(op, "kernel size", kernelSize, 1, x.shape);
    int[] s = stride == null || stride.length == 0 ? k : pair(op, "stride", stride, 1, x.shape);
    int[] p = pair(op, "padding", padding, 0, x.shape);
    int[] d = pair(op, "dilation", dilation, 1, x.shape);
    int[] out = outputSizes(op, x.shape, in, k, s, p, d, ceilMode);
    for (int dim = 0; dim < 2; dim++) {
      for (int o = 0; o < out[dim]; o++) {
        int from = o * s[dim] - p[dim];
        int first = firstTap(from, d[dim]);
        if (first >= k[dim] || from + first * d[dim] >= in[dim]) {
          throw new IllegalArgumentException(
              String.format(
                  "%s: the window at output %s %d of the input of shape %s holds only padding"
                      + " (kernel size %s, padding %s, dilation %s)",
                  op,
                  dim == 0 ? "row" : "column",
                  o,
                  Shapes.toString(x.shape),
                  Arrays.toString(k),
                  Arrays.toString(p),
                  Arrays.toString(d)));
        }
      }
    }
    NDArray a = floating(x);
    int[] outShape = withPlane(x.shape, out[0], out[1]);
    NDArray values = Creation.empty(op, a.dtype, outShape);
    NDArray indices = Creation.empty(op, DType.INT32, outShape);
    int planes = Shapes.numel(x.shape) / (in[0] * in[1]);
    MaxGeometry g =
        new MaxGeometry(
            in[0], in[1], out[0], out[1], k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1]);
    // a window holds at most min(k, in) taps per dim, however large the (padded) kernel
    long taps = (long) Math.min(k[0], in[0]) * Math.min(k[1], in[1]);
    int grain = planeGrain((long) out[0] * out[1] * taps);
    int[] idx = (int[]) indices.data;
    if (a.data instanceof float[] && isPairwise(g)) {
      float[] xs = (float[]) a.data;
      float[] ys = (float[]) values.data;
      Parallel.forEachRange(
          planes, grain, (from, to) -> maxFloatPairs(xs, a.offset, ys, idx, g, from, to));
    } else if (a.data instanceof float[] && lanesPay(g)) {
      float[] xs = (float[]) a.data;
      float[] ys = (float[]) values.data;
      Parallel.forEachRange(
          planes, grain, (from, to) -> maxFloatLanes(xs, a.offset, ys, idx, g, from, to));
    } else if (a.data instanceof float[]) {
      float[] xs = (float[]) a.data;
      float[] ys = (float[]) values.data;
      Parallel.forEachRange(
          planes, grain, (from, to) -> maxFloat(xs, a.offset, ys, idx, g, from, to));
    } else {
      double[] xs = (double[]) a.data;
      double[] ys = (double[]) values.data;
      Parallel.forEachRange(
          planes, grain, (from, to) -> maxDouble(xs, a.offset, ys, idx, g, from, to));
    }
    return new ValuesAndIndices(values, indices);
  }

  static NDArray avgPool2d(
      NDArray x,
      int[] kernelSize,
      int[] stride,
      int[] padding,
      boolean ceilMode,
      boolean countIncludePad) {
    String op = "avgPool2d";
    Windows[] w =
        averageGeometry(
            op, x.shape, spatial(op, x), kernelSize, stride, padding, ceilMode, countIncludePad);
    NDArray a = floating(x);
    return windowMeans(op, a, w[0], w[1]);
  }

  static NDArray avgPool2dAdjoint(
      NDArray y,
      int inH,
      int inW,
      int[] kernelSize,
      int[] stride,
      int[] padding,
      boolean ceilMode,
      boolean countIncludePad) {
    String op = "avgPool2dAdjoint";
    int[] in = adjointInput(op, y, inH, inW);
    Windows[] w =
        averageGeometry(
            op,
            withPlane(y.shape, in[0], in[1]),
            in,
            kernelSize,
            stride,
            padding,
            ceilMode,
            countIncludePad);
    checkOutputPlane(op, y, w, in);
    return windowMeansAdjoint(op, floating(y), w[0], w[1]);
  }

  static NDArray adaptiveAvgPool2d(NDArray x, int outH, int outW) {
    String op = "adaptiveAvgPool2d";
    int[] in = spatial(op, x);
    checkOutputSize(op, outH, outW);
    checkResult(op, withPlane(x.shape, outH, outW));
    return windowMeans(op, floating(x), adaptiveWindows(in[0], outH), adaptiveWindows(in[1], outW));
  }

  static NDArray adaptiveAvgPool2dAdjoint(NDArray y, int inH, int inW) {
    String op = "adaptiveAvgPool2dAdjoint";
    int[] in = adjointInput(op, y, inH, inW);
    int[] out = spatialOrEmpty(op, y);
    if (out[0] < 1 || out[1] < 1) {
      throw new IllegalArgumentException(
          String.format(
              "%s: an array of shape %s is not an adaptive pooling's output, whose planes are"
                  + " never empty",
              op, Shapes.toString(y.shape)));
    }
    Windows[] w = {adaptiveWindows(in[0], out[0]), adaptiveWindows(in[1], out[1])};
    return windowMeansAdjoint(op, floating(y), w[0], w[1]);
  }

  /**
   * Refuses a result, or one plane of it, that no array can hold, before any window is built (their
   * index arrays are as long as the plane's sides).
   */
  private static void checkResult(String op, int[] shape) {
    int r = shape.length;
    Shapes.checkAllocation(op, new int[] {shape[r - 2], shape[r - 1]}, Double.BYTES);
    Shapes.checkAllocation(op, shape, Float.BYTES);
  }

  private static void checkOutputSize(String op, int outH, int outW) {
    if (outH < 1 || outW < 1) {
      throw new IllegalArgumentException(
          String.format("%s: output size must be positive, got [%d, %d]", op, outH, outW));
    }
  }

  private static Windows[] averageGeometry(
      String op,
      int[] shape,
      int[] in,
      int[] kernelSize,
      int[] stride,
      int[] padding,
      boolean ceilMode,
      boolean countIncludePad) {
    int[] k = pair(op, "kernel size", kernelSize, 1, shape);
    int[] s = stride == null || stride.length == 0 ? k : pair(op, "stride", stride, 1, shape);
    int[] p = pair(op, "padding", padding, 0, shape);
    int[] out = outputSizes(op, shape, in, k, s, p, new int[] {1, 1}, ceilMode);
    return new Windows[] {
      averageWindows(in[0], out[0], k[0], s[0], p[0], countIncludePad),
      averageWindows(in[1], out[1], k[1], s[1], p[1], countIncludePad)
    };
  }

  /** The sizes {inH, inW} an adjoint maps back to, after checking y's rank and them. */
  private static int[] adjointInput(String op, NDArray y, int inH, int inW) {
    spatialOrEmpty(op, y);
    if (inH < 1 || inW < 1) {
      throw new IllegalArgumentException(
          String.format("%s: input size must be positive, got [%d, %d]", op, inH, inW));
    }
    checkResult(op, withPlane(y.shape, inH, inW));
    return new int[] {inH, inW};
  }

  private static int[] spatialOrEmpty(String op, NDArray y) {
    if (y.rank() != 3 && y.rank() != 4) {
      throw new IllegalArgumentException(
          op
              + ": expected a 3-D (C, H, W) or 4-D (N, C, H, W) array, got shape "
              + Shapes.toString(y.shape));
    }
    return new int[] {y.shape[y.rank() - 2], y.shape[y.rank() - 1]};
  }

  private static void checkOutputPlane(String op, NDArray y, Windows[] w, int[] in) {
    if (y.shape[y.rank() - 2] != w[0].out() || y.shape[y.rank() - 1] != w[1].out()) {
      throw new IllegalArgumentException(
          String.format(
              "%s: an array of shape %s is not the output of pooling a [%d, %d] plane, which"
                  + " gives [%d, %d]",
              op, Shapes.toString(y.shape), in[0], in[1], w[0].out(), w[1].out()));
    }
  }

  /** Planes per parallel range: about {@link StridedLoop#PARALLEL_GRAIN} operations each. */
  private static int planeGrain(long workPerPlane) {
    return (int) Math.max(1, StridedLoop.PARALLEL_GRAIN / Math.max(1, workPerPlane));
  }

  /** The first tap j ≥ 0 with {@code from + j·d ≥ 0}. */
  private static int firstTap(int from, int d) {
    return from >= 0 ? 0 : (-from + d - 1) / d;
  }

  /** One past the last tap j < k with {@code from + j·d < in}. */
  private static int endTap(int from, int d, int k, int in) {
    return from >= in ? 0 : Math.min(k, (in - from + d - 1) / d);
  }

  // ------------------------------------------------------------------ kernels: maximum

  /** The geometry of a max pooling, unpacked into fields the kernels copy into locals. */
  record MaxGeometry(
      int inH,
      int inW,
      int outH,
      int outW,
      int kH,
      int kW,
      int sH,
      int sW,
      int pH,
      int pW,
      int dH,
      int dW) {}

  /**
   * For each window the largest value and its index in the plane (h·W + w). The first of equal
   * maxima wins; a NaN wins over everything (the last NaN), as in PyTorch.
   */
  private static void maxFloat(
      float[] x, int xo, float[] y, int[] idx, MaxGeometry g, int from, int to) {
    int inH = g.inH(), inW = g.inW(), outH = g.outH(), outW = g.outW();
    int sH = g.sH(), sW = g.sW(), pH = g.pH(), pW = g.pW(), dH = g.dH(), dW = g.dW();
    int[] kw0 = new int[outW];
    int[] kw1 = new int[outW];
    for (int ow = 0; ow < outW; ow++) {
      kw0[ow] = firstTap(ow * sW - pW, dW);
      kw1[ow] = endTap(ow * sW - pW, dW, g.kW(), inW);
    }
    for (int plane = from; plane < to; plane++) {
      int xp = xo + plane * inH * inW;
      int yp = plane * outH * outW;
      for (int oh = 0; oh < outH; oh++) {
        int h0 = oh * sH - pH;
        int kh0 = firstTap(h0, dH);
        int kh1 = endTap(h0, dH, g.kH(), inH);
        for (int ow = 0; ow < outW; ow++) {
          maxWindowFloat(
              x,
              xp,
              inW,
              h0,
              kh0,
              kh1,
              dH,
              ow * sW - pW,
              kw0[ow],
              kw1[ow],
              dW,
              y,
              idx,
              yp + oh * outW + ow);
        }
      }
    }
  }

  /**
   * One window of {@link #maxFloat}: taps (h0 + kh·dH, w0 + kw·dW) for kh in [kh0, kh1) and kw in
   * [kw0, kw1), in row-major order; the maximum goes to y[out], its plane index to idx[out].
   */
  private static void maxWindowFloat(
      float[] x,
      int xp,
      int inW,
      int h0,
      int kh0,
      int kh1,
      int dH,
      int w0,
      int kw0,
      int kw1,
      int dW,
      float[] y,
      int[] idx,
      int out) {
    int at = (h0 + kh0 * dH) * inW + w0 + kw0 * dW;
    float best = Float.NEGATIVE_INFINITY;
    for (int kh = kh0; kh < kh1; kh++) {
      int row = (h0 + kh * dH) * inW + w0;
      for (int kw = kw0; kw < kw1; kw++) {
        int i = row + kw * dW;
        float v = x[xp + i];
        if (v > best || v != v) {
          best = v;
          at = i;
        }
      }
    }
    y[out] = best;
    idx[out] = at;
  }

  /**
   * Whether the pooling is the CNN's 2 × 2 window at stride 2, unpadded and undilated, with every
   * window whole (an odd last row or column is dropped, as in floor mode), on planes whose indices
   * are exact in float lanes.
   */
  private static boolean isPairwise(MaxGeometry g) {
    return g.kH() == 2
        && g.kW() == 2
        && g.sH() == 2
        && g.sW() == 2
        && g.pH() == 0
        && g.pW() == 0
        && g.dH() == 1
        && g.dW() == 1
        && g.outH() == g.inH() / 2
        && g.outW() == g.inW() / 2
        && (long) g.inH() * g.inW() < (1 << 24);
  }

  /**
   * {@link #maxFloat} for 2 × 2 windows at stride 2 ({@link #isPairwise}), in SIMD lanes. The
   * window (a b / c d) is reduced as its taps come in row-major order: pick(a, b) in the top row,
   * pick(c, d) in the bottom row, then pick(top, bottom), where pick(u, v) keeps u unless v > u or
   * v is NaN. As every tap of the first operand precedes every tap of the second, this is the same
   * left fold as {@link #maxFloat}: the first of equal maxima, the last NaN. Lane l of a block
   * starting at column j holds column j + l as a and column j + l + 1 as b (a load shifted by one),
   * so the even lanes hold whole windows (the odd lanes straddle two and are dropped); the two rows
   * are first copied into scratch rows one vector longer, so every load stays inside them. Indices
   * ride in float lanes, exact as {@link #maxPool2d} only comes here for planes below 2²⁴. A scalar
   * maximum's branches mispredict on every other tap, which is what the lanes avoid.
   */
  private static void maxFloatPairs(
      float[] x, int xo, float[] y, int[] idx, MaxGeometry g, int from, int to) {
    int inH = g.inH(), inW = g.inW(), outH = g.outH(), outW = g.outW();
    int lanes = FS.length();
    int width = 2 * outW; // the columns the windows cover
    int padded = (width + lanes - 1) / lanes * lanes;
    float[] upper = new float[padded + lanes];
    float[] lower = new float[padded + lanes];
    float[] bestValue = new float[padded];
    float[] bestAt = new float[padded];
    float[] steps = new float[lanes];
    for (int l = 0; l < lanes; l++) {
      steps[l] = l;
    }
    for (int plane = from; plane < to; plane++) {
      int xp = xo + plane * inH * inW;
      int yp = plane * outH * outW;
      for (int oh = 0; oh < outH; oh++) {
        int top = 2 * oh * inW; // the plane index of column 0 of the window's top row
        System.arraycopy(x, xp + top, upper, 0, width);
        System.arraycopy(x, xp + top + inW, lower, 0, width);
        for (int j = 0; j < width; j += lanes) {
          FloatVector a = FloatVector.fromArray(FS, upper, j);
          FloatVector b = FloatVector.fromArray(FS, upper, j + 1);
          FloatVector c = FloatVector.fromArray(FS, lower, j);
          FloatVector d = FloatVector.fromArray(FS, lower, j + 1);
          FloatVector at = FloatVector.fromArray(FS, steps, 0).add((float) (top + j));
          VectorMask<Float> right =
              b.compare(VectorOperators.GT, a).or(b.compare(VectorOperators.NE, b));
          FloatVector up = a.blend(b, right);
          FloatVector upAt = at.blend(at.add(1f), right);
          VectorMask<Float> rightBelow =
              d.compare(VectorOperators.GT, c).or(d.compare(VectorOperators.NE, d));
          FloatVector low = c.blend(d, rightBelow);
          FloatVector lowAt = at.add((float) inW).blend(at.add((float) (inW + 1)), rightBelow);
          VectorMask<Float> below =
              low.compare(VectorOperators.GT, up).or(low.compare(VectorOperators.NE, low));
          up.blend(low, below).intoArray(bestValue, j);
          upAt.blend(lowAt, below).intoArray(bestAt, j);
        }
        int yo = yp + oh * outW;
        for (int ow = 0; ow < outW; ow++) {
          y[yo + ow] = bestValue[2 * ow];
          idx[yo + ow] = (int) bestAt[2 * ow];
        }
      }
    }
  }

  /** The first output column whose window lies inside the input (no left padding). */
  private static int interiorFrom(int s, int p) {
    return (p + s - 1) / s;
  }

  /** One past the last output column whose window lies inside the input (no right padding). */
  private static int interiorTo(int in, int out, int k, int s, int p, int d) {
    int lastStart = in - 1 + p - (k - 1) * d; // the largest ow·s allowed
    return lastStart < 0 ? 0 : Math.min(out, lastStart / s + 1);
  }

  /**
   * Whether {@link #maxFloatLanes} applies: at least one vector of interior columns, and plane
   * indices exact in float lanes (below 2²⁴).
   */
  private static boolean lanesPay(MaxGeometry g) {
    int interior =
        interiorTo(g.inW(), g.outW(), g.kW(), g.sW(), g.pW(), g.dW())
            - interiorFrom(g.sW(), g.pW());
    return interior >= FS.length() && (long) g.inH() * g.inW() < (1 << 24);
  }

  /**
   * {@link #maxFloat} with the interior columns (where a window row lies inside the input) in SIMD
   * lanes, one output column per lane, and the edge columns scalar. Lane l of a block starting at
   * column o reads tap column (o + l)·s + c: for stride s > 1 each input row is first split into
   * its s phases (columns r, r + s, r + 2s, …), so that every tap is a contiguous run of one phase.
   * The indices ride in float lanes (exact below 2²⁴) and are blended by the values' mask; each
   * lane sees the taps in row-major order, so ties and NaN resolve exactly as in {@link #maxFloat}.
   */
  private static void maxFloatLanes(
      float[] x, int xo, float[] y, int[] idx, MaxGeometry g, int from, int to) {
    int inH = g.inH(), inW = g.inW(), outH = g.outH(), outW = g.outW(), kW = g.kW();
    int sH = g.sH(), sW = g.sW(), pH = g.pH(), pW = g.pW(), dH = g.dH(), dW = g.dW();
    int lanes = FS.length();
    int lo = interiorFrom(sW, pW);
    int hi = interiorTo(inW, outW, kW, sW, pW, dW);
    int phaseLen = (inW + sW - 1) / sW;
    float[] phases = sW == 1 ? null : new float[inH * sW * phaseLen];
    int[] tapPhase =
        new int[kW]; // tap kw at column ow·s + c lies in phase c mod s, at ow + c div s
    int[] tapShift = new int[kW];
    for (int kw = 0; kw < kW; kw++) {
      int c = kw * dW - pW;
      tapPhase[kw] = Math.floorMod(c, sW);
      tapShift[kw] = Math.floorDiv(c, sW);
    }
    float[] steps = new float[lanes]; // lane l's column offset: l·s
    for (int l = 0; l < lanes; l++) {
      steps[l] = l * sW;
    }
    float[] rowAt = new float[outW];
    int[] kw0 = new int[outW];
    int[] kw1 = new int[outW];
    for (int ow = 0; ow < outW; ow++) {
      kw0[ow] = firstTap(ow * sW - pW, dW);
      kw1[ow] = endTap(ow * sW - pW, dW, kW, inW);
    }
    for (int plane = from; plane < to; plane++) {
      int xp = xo + plane * inH * inW;
      int yp = plane * outH * outW;
      float[] src = x;
      int srcBase = xp;
      if (sW > 1) {
        splitPhases(x, xp, inH, inW, sW, phases);
        src = phases;
        srcBase = 0;
      }
      for (int oh = 0; oh < outH; oh++) {
        int h0 = oh * sH - pH;
        int kh0 = firstTap(h0, dH);
        int kh1 = endTap(h0, dH, g.kH(), inH);
        int yRow = yp + oh * outW;
        // The interior: y's row holds the running maxima, rowAt their indices; every tap sweeps
        // the row in vector blocks, the last block overlapping the one before it (a tap applied
        // twice changes nothing).
        for (int ow = lo; ow < hi; ow++) {
          y[yRow + ow] = Float.NEGATIVE_INFINITY;
          rowAt[ow] = (h0 + kh0 * dH) * inW + ow * sW - pW;
        }
        for (int kh = kh0; kh < kh1; kh++) {
          int h = h0 + kh * dH;
          for (int kw = 0; kw < kW; kw++) {
            int tapBase = srcBase + (h * sW + tapPhase[kw]) * phaseLen + tapShift[kw];
            int tapIndex = h * inW + kw * dW - pW; // the plane index of the tap at ow = 0
            for (int block = lo; block < hi; block += lanes) {
              int o = Math.min(block, hi - lanes);
              FloatVector v = FloatVector.fromArray(FS, src, tapBase + o);
              FloatVector best = FloatVector.fromArray(FS, y, yRow + o);
              VectorMask<Float> take =
                  v.compare(VectorOperators.GT, best).or(v.compare(VectorOperators.NE, v));
              best.blend(v, take).intoArray(y, yRow + o);
              FloatVector tap =
                  FloatVector.fromArray(FS, steps, 0).add((float) (tapIndex + o * sW));
              FloatVector.fromArray(FS, rowAt, o).blend(tap, take).intoArray(rowAt, o);
            }
          }
        }
        for (int ow = 0; ow < outW; ow++) {
          if (ow < lo || ow >= hi) { // the edges, where windows reach into the padding
            maxWindowFloat(
                x,
                xp,
                inW,
                h0,
                kh0,
                kh1,
                dH,
                ow * sW - pW,
                kw0[ow],
                kw1[ow],
                dW,
                y,
                idx,
                yRow + ow);
          } else {
            idx[yRow + ow] = (int) rowAt[ow];
          }
        }
      }
    }
  }

  /**
   * Splits each row of an inH × inW plane into its s phases: phase r of row h, the columns r, r +
   * s, r + 2s, …, goes to {@code phases[(h·s + r)·⌈W/s⌉ …]}.
   */
  private static void splitPhases(float[] x, int xp, int inH, int inW, int s, float[] phases) {
    int phaseLen = (inW + s - 1) / s;
    for (int h = 0; h < inH; h++) {
      for (int r = 0; r < s; r++) {
        int to = (h * s + r) * phaseLen;
        int from = xp + h * inW + r;
        int count = (inW - r + s - 1) / s;
        for (int j = 0; j < count; j++) {
          phases[to + j] = x[from + j * s];
        }
      }
    }
  }

  /** {@link #maxFloat} in double precision. */
  private static void maxDouble(
      double[] x, int xo, double[] y, int[] idx, MaxGeometry g, int from, int to) {
    int inH = g.inH(), inW = g.inW(), outH = g.outH(), outW = g.outW();
    int sH = g.sH(), sW = g.sW(), pH = g.pH(), pW = g.pW(), dH = g.dH(), dW = g.dW();
    int[] kw0 = new int[outW];
    int[] kw1 = new int[outW];
    for (int ow = 0; ow < outW; ow++) {
      kw0[ow] = firstTap(ow * sW - pW, dW);
      kw1[ow] = endTap(ow * sW - pW, dW, g.kW(), inW);
    }
    for (int plane = from; plane < to; plane++) {
      int xp = xo + plane * inH * inW;
      int yp = plane * outH * outW;
      for (int oh = 0; oh < outH; oh++) {
        int h0 = oh * sH - pH;
        int kh0 = firstTap(h0, dH);
        int kh1 = endTap(h0, dH, g.kH(), inH);
        for (int ow = 0; ow < outW; ow++) {
          int w0 = ow * sW - pW;
          int at = (h0 + kh0 * dH) * inW + w0 + kw0[ow] * dW;
          double best = Double.NEGATIVE_INFINITY;
          for (int kh = kh0; kh < kh1; kh++) {
            int row = (h0 + kh * dH) * inW + w0;
            for (int kw = kw0[ow]; kw < kw1[ow]; kw++) {
              int i = row + kw * dW;
              double v = x[xp + i];
              if (v > best || v != v) {
                best = v;
                at = i;
              }
            }
          }
          y[yp + oh * outW + ow] = best;
          idx[yp + oh * outW + ow] = at;
        }
      }
    }
  }

  // ------------------------------------------------------------------ kernels: window means

  /**
   * y[oh, ow] = Σ x over rows [hs, he) and columns [ws, we) of the window, divided by its count:
   * the averaging poolings. Window rows are summed by {@link #rowSum} (SIMD when at least a vector
   * long); a window spanning whole rows is one sum over the contiguous block.
   */
  private static NDArray windowMeans(String op, NDArray x, Windows wh, Windows ww) {
    int inH = wh.in(), inW = ww.in(), outH = wh.out(), outW = ww.out();
    NDArray y = Creation.empty(op, x.dtype, withPlane(x.shape, outH, outW));
    int planes = Shapes.numel(x.shape) / (inH * inW);
    int grain = planeGrain((long) inH * inW + (long) outH * outW);
    if (x.data instanceof float[]) {
      float[] xs = (float[]) x.data;
      float[] ys = (float[]) y.data;
      int xo = x.offset;
      Parallel.forEachRange(
          planes,
          grain,
          (from, to) -> {
            for (int plane = from; plane < to; plane++) {
              int xp = xo + plane * inH * inW;
              int yp = plane * outH * outW;
              for (int oh = 0; oh < outH; oh++) {
                int hs = wh.start()[oh], he = wh.end()[oh];
                for (int ow = 0; ow < outW; ow++) {
                  int ws = ww.start()[ow], we = ww.end()[ow];
                  double count = (double) wh.count()[oh] * ww.count()[ow];
                  if (ws == 0 && we == inW) { // whole rows: one contiguous block
                    ys[yp + oh * outW + ow] =
                        (float) (rowSum(xs, xp + hs * inW, (he - hs) * inW) / count);
                  } else {
                    ys[yp + oh * outW + ow] = meanWindowFloat(xs, xp, inW, hs, he, ws, we, count);
                  }
                }
              }
            }
          });
    } else {
      double[] xs = (double[]) x.data;
      double[] ys = (double[]) y.data;
      int xo = x.offset;
      Parallel.forEachRange(
          planes,
          grain,
          (from, to) -> {
            for (int plane = from; plane < to; plane++) {
              int xp = xo + plane * inH * inW;
              int yp = plane * outH * outW;
              for (int oh = 0; oh < outH; oh++) {
                int hs = wh.start()[oh], he = wh.end()[oh];
                for (int ow = 0; ow < outW; ow++) {
                  int ws = ww.start()[ow], we = ww.end()[ow];
                  double sum = 0;
                  for (int h = hs; h < he; h++) {
                    sum +=
                        Reductions.reduceRow(
                            Reductions.Combine.SUM, xs, xp + h * inW + ws, 1, we - ws);
                  }
                  ys[yp + oh * outW + ow] = sum / ((double) wh.count()[oh] * ww.count()[ow]);
                }
              }
            }
          });
    }
    return y;
  }

  /** One window of {@link #windowMeans} in FLOAT32: rows [hs, he), columns [ws, we), ÷ count. */
  private static float meanWindowFloat(
      float[] xs, int xp, int inW, int hs, int he, int ws, int we, double count) {
    double sum = 0;
    for (int h = hs; h < he; h++) {
      sum += rowSum(xs, xp + h * inW + ws, we - ws);
    }
    return (float) (sum / count);
  }

  /** Σ of n floats from {@code at}: short window rows inline, long ones in SIMD lanes. */
  private static double rowSum(float[] xs, int at, int n) {
    if (n >= FS.length()) {
      return Reductions.reduceRow(Reductions.Combine.SUM, xs, at, 1, n);
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += xs[at + i];
    }
    return sum;
  }

  /**
   * The adjoint of {@link #windowMeans}: x[h, w] = Σ over the windows holding (h, w) of y[oh, ow]
   * divided by that window's count. Windows are visited in order, so overlapping ones add up the
   * same way on any thread.
   */
  private static NDArray windowMeansAdjoint(String op, NDArray y, Windows wh, Windows ww) {
    int inH = wh.in(), inW = ww.in(), outH = wh.out(), outW = ww.out();
    NDArray x = Creation.empty(op, y.dtype, withPlane(y.shape, inH, inW));
    int planes = inH * inW == 0 ? 0 : Shapes.numel(x.shape) / (inH * inW);
    int grain = planeGrain((long) inH * inW + (long) outH * outW);
    if (y.data instanceof float[]) {
      float[] ys = (float[]) y.data;
      float[] xs = (float[]) x.data;
      int yo = y.offset;
      Parallel.forEachRange(
          planes,
          grain,
          (from, to) -> {
            for (int plane = from; plane < to; plane++) {
              int xp = plane * inH * inW;
              int yp = yo + plane * outH * outW;
              for (int oh = 0; oh < outH; oh++) {
                int hs = wh.start()[oh], he = wh.end()[oh];
                for (int ow = 0; ow < outW; ow++) {
                  int ws = ww.start()[ow], we = ww.end()[ow];
                  float share =
                      (float)
                          (ys[yp + oh * outW + ow] / ((double) wh.count()[oh] * ww.count()[ow]));
                  for (int h = hs; h < he; h++) {
                    int row = xp + h * inW;
                    for (int w = ws; w < we; w++) {
                      xs[row + w] += share;
                    }
                  }
                }
              }
            }
          });
    } else {
      double[] ys = (double[]) y.data;
      double[] xs = (double[]) x.data;
      int yo = y.offset;
      Parallel.forEachRange(
          planes,
          grain,
          (from, to) -> {
            for (int plane = from; plane < to; plane++) {
              int xp = plane * inH * inW;
              int yp = yo + plane * outH * outW;
              for (int oh = 0; oh < outH; oh++) {
                int hs = wh.start()[oh], he = wh.end()[oh];
                for (int ow = 0; ow < outW; ow++) {
                  int ws = ww.start()[ow], we = ww.end()[ow];
                  double share =
                      ys[yp + oh * outW + ow] / ((double) wh.count()[oh] * ww.count()[ow]);
                  for (int h = hs; h < he; h++) {
                    int row = xp + h * inW;
                    for (int w = ws; w < we; w++) {
                      xs[row + w] += share;
                    }
                  }
                }
              }
            }
          });
    }
    return x;
  }
}
