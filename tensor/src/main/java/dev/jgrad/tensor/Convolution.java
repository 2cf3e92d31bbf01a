package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Two-dimensional convolution (PyTorch's cross-correlation, NCHW) and the two other bilinear maps
 * that share its index relation. With an image x [N, C, H, W], an array y [N, O, OH, OW] on the
 * correlation side and a kernel w [O, C/groups, kh, kw], all three ops are sums of one product
 *
 * <pre>
 *   y[n, o, p, q] · w[o, c, i, j] · x[n, g·C/G + c, p·sh + i·dh − padTop, q·sw + j·dw − padLeft]
 * </pre>
 *
 * over every index but the result's (o in group g, x read as zero outside the image):
 *
 * <ul>
 *   <li>{@link #conv2d}: the sum for y, given x and w;
 *   <li>{@link #convTranspose2d}: the sum for x, given y and w (its "input" is y, its output the
 *       image); it is the adjoint of conv2d in x;
 *   <li>{@link #weightCorrelation}: the sum for w, given x and y; the adjoint of conv2d in w.
 * </ul>
 *
 * Each runs as matrix products through {@code im2col}: the patches of one group of one image are
 * unfolded into a [C/G·kh·kw, OH·OW] matrix ("cols", per-thread scratch), so that conv2d is W·cols,
 * convTranspose2d is col2im(Wᵀ·y) and the weight correlation Σₙ y·colsᵀ. FLOAT64 does this per
 * image; FLOAT32 puts images side by side up to a product about {@link #WIDE} columns wide and
 * picks the operand order in which the GEMM reads cols in place (see the kernels). Images are cut
 * into chunks that depend only on N; the weight correlation sums each chunk's images into a partial
 * of its own and adds the partials in chunk order, so 1 and N threads give the same bits.
 *
 * <p>Padding is kept as four numbers (top, bottom, left, right): PyTorch's {@code padding="same"}
 * with an even kernel pads one more after than before. Only top and left move the origin; bottom
 * and right only decide the output size.
 */
final class Convolution {
  private Convolution() {}

  /**
   * The sizes of one convolution: the image side (conv2d's input, convTranspose2d's output), the
   * correlation side (conv2d's output, convTranspose2d's input) and the kernel's geometry.
   */
  record Geometry(
      int batch,
      int groups,
      int imageChannels,
      int imageH,
      int imageW,
      int outChannels,
      int outH,
      int outW,
      int kh,
      int kw,
      int sh,
      int sw,
      int padTop,
      int padBottom,
      int padLeft,
      int padRight,
      int dh,
      int dw) {

    /** Image channels per group. */
    int cg() {
      return imageChannels / groups;
    }

    /** Correlation-side channels per group. */
    int og() {
      return outChannels / groups;
    }

    /** Rows of one group's cols matrix: C/G·kh·kw. */
    int patch() {
      return cg() * kh * kw;
    }

    /** Columns of a cols matrix: OH·OW. */
    int positions() {
      return outH * outW;
    }

    /** Multiply-adds of one of the three ops. */
    long work() {
      return (long) batch * outChannels * positions() * patch();
    }
  }

  // ------------------------------------------------------------------ op level

  /** conv2d(x [N, C, H, W], w [O, C/G, kh, kw], b [O] or null) → [N, O, OH, OW]. */
  static NDArray conv2d(
      NDArray x, NDArray w, NDArray b, int[] stride, int[] padding, int[] dilation, int groups) {
    String op = "conv2d";
    checkRank(op, "input", x, "[N, C, H, W]");
    checkRank(op, "weight", w, "[out_channels, in_channels/groups, kH, kW]");
    checkFloat(op, x, w, b);
    int[] s = pair(op, "stride", stride, 1);
    int[] d = pair(op, "dilation", dilation, 1);
    int[] pad = pads(op, padding);
    int c = x.shape[1];
    int o = w.shape[0];
    checkGroups(op, groups, c, o, x, w);
    if (w.shape[1] * groups != c) {
      throw new IllegalArgumentException(
          String.format(
              "%s: input of shape %s has %d channels, but weight of shape %s expects %d"
                  + " (in_channels/groups = %d, groups = %d)",
              op,
              Shapes.toString(x.shape),
              c,
              Shapes.toString(w.shape),
              w.shape[1] * groups,
              w.shape[1],
              groups));
    }
    checkBias(op, b, o, w);
    int oh =
        outputSize(op, "height", x, w, x.shape[2], w.shape[2], s[0], (long) pad[0] + pad[1], d[0]);
    int ow =
        outputSize(op, "width", x, w, x.shape[3], w.shape[3], s[1], (long) pad[2] + pad[3], d[1]);
    Geometry g =
        new Geometry(
            x.shape[0],
            groups,
            c,
            x.shape[2],
            x.shape[3],
            o,
            oh,
            ow,
            w.shape[2],
            w.shape[3],
            s[0],
            s[1],
            pad[0],
            pad[1],
            pad[2],
            pad[3],
            d[0],
            d[1]);
    NDArray out = NDArray.empty(x.dtype, g.batch, o, oh, ow);
    correlate(g, x, w.contiguous(), b, out);
    return out;
  }

  /**
   * convTranspose2d(y [N, C, H, W], w [C, O/G, kh, kw], b [O] or null) → [N, O, OH, OW] with OH =
   * (H − 1)·s − (padTop + padBottom) + d·(kh − 1) + outputPadding + 1.
   */
  static NDArray convTranspose2d(
      NDArray y,
      NDArray w,
      NDArray b,
      int[] stride,
      int[] padding,
      int[] outputPadding,
      int groups,
      int[] dilation) {
    String op = "convTranspose2d";
    checkRank(op, "input", y, "[N, C, H, W]");
    checkRank(op, "weight", w, "[in_channels, out_channels/groups, kH, kW]");
    checkFloat(op, y, w, b);
    int[] s = pair(op, "stride", stride, 1);
    int[] d = pair(op, "dilation", dilation, 1);
    int[] pad = pads(op, padding);
    int[] extra = pair(op, "outputPadding", outputPadding, 0);
    for (int a = 0; a < 2; a++) {
      if (extra[a] >= Math.max(s[a], d[a])) {
        throw new IllegalArgumentException(
            String.format(
                "%s: outputPadding %s must be smaller than stride %s or dilation %s",
                op, Arrays.toString(extra), Arrays.toString(s), Arrays.toString(d)));
      }
    }
    int c = y.shape[1];
    if (groups < 1 || c % groups != 0) {
      throw new IllegalArgumentException(
          String.format(
              "%s: groups = %d must be positive and divide the input's %d channels (input %s,"
                  + " weight %s)",
              op, groups, c, Shapes.toString(y.shape), Shapes.toString(w.shape)));
    }
    if (w.shape[0] != c) {
      throw new IllegalArgumentException(
          String.format(
              "%s: input of shape %s has %d channels, but weight of shape %s expects %d",
              op, Shapes.toString(y.shape), c, Shapes.toString(w.shape), w.shape[0]));
    }
    int o = w.shape[1] * groups;
    checkBias(op, b, o, w);
    int kh = w.shape[2];
    int kw = w.shape[3];
    if (kh < 1 || kw < 1) {
      throw new IllegalArgumentException(
          String.format(
              "%s: the weight %s has an empty kernel (input %s)",
              op, Shapes.toString(w.shape), Shapes.toString(y.shape)));
    }
    long fullH = (long) (y.shape[2] - 1) * s[0] + (long) d[0] * (kh - 1) + extra[0] + 1;
    long fullW = (long) (y.shape[3] - 1) * s[1] + (long) d[1] * (kw - 1) + extra[1] + 1;
    checkExtent(op, "height", fullH);
    checkExtent(op, "width", fullW);
    long outH = fullH - pad[0] - pad[1];
    long outW = fullW - pad[2] - pad[3];
    if (outH < 1 || outW < 1 || y.shape[2] < 1 || y.shape[3] < 1) {
      throw new IllegalArgumentException(
          String.format(
              "%s: input %s, weight %s, stride %s, padding %s give an empty output %dx%d",
              op,
              Shapes.toString(y.shape),
              Shapes.toString(w.shape),
              Arrays.toString(s),
              Arrays.toString(pad),
              outH,
              outW));
    }
    int oh = (int) outH;
    int ow = (int) outW;
    Geometry g =
        new Geometry(
            y.shape[0],
            groups,
            o,
            oh,
            ow,
            c,
            y.shape[2],
            y.shape[3],
            kh,
            kw,
            s[0],
            s[1],
            pad[0],
            pad[1],
            pad[2],
            pad[3],
            d[0],
            d[1]);
    NDArray out = Creation.empty("convTranspose2d", y.dtype, new int[] {g.batch, o, oh, ow});
    scatter(g, y.contiguous(), w.contiguous(), out);
    if (b != null) {
      addBias(out, b);
    }
    return out;
  }

  /**
   * The weight correlation of an image x [N, C, H, W] with y [N, O, OH', OW']: result[o, c, i, j] =
   * Σ y[n, o, p, q]·x[n, g·C/G + c, p·sh + i·dh − padTop, q·sw + j·dw − padLeft], shape [O, C/G,
   * kh, kw]. OH' and OW' may not exceed conv2d's output size for this geometry.
   */
  static NDArray weightCorrelation(
      NDArray x,
      NDArray y,
      int[] kernelSize,
      int[] stride,
      int[] padding,
      int[] dilation,
      int groups) {
    String op = "conv2dWeightCorrelation";
    checkRank(op, "input", x, "[N, C, H, W]");
    checkRank(op, "y", y, "[N, O, OH, OW]");
    checkFloat(op, x, y, null);
    int[] k = pair(op, "kernelSize", kernelSize, 1);
    int[] s = pair(op, "stride", stride, 1);
    int[] d = pair(op, "dilation", dilation, 1);
    int[] pad = pads(op, padding);
    int c = x.shape[1];
    int o = y.shape[1];
    checkGroups(op, groups, c, o, x, y);
    if (x.shape[0] != y.shape[0]) {
      throw new IllegalArgumentException(
          String.format(
              "%s: input %s and y %s have different batch sizes",
              op, Shapes.toString(x.shape), Shapes.toString(y.shape)));
    }
    int[] kernel = {o, c / groups, k[0], k[1]};
    int oh =
        outputSize(op, "height", x, null, x.shape[2], k[0], s[0], (long) pad[0] + pad[1], d[0]);
    int ow = outputSize(op, "width", x, null, x.shape[3], k[1], s[1], (long) pad[2] + pad[3], d[1]);
    if (y.shape[2] > oh || y.shape[3] > ow) {
      throw new IllegalArgumentException(
          String.format(
              "%s: y of shape %s is larger than the %dx%d positions of input %s with kernel %s,"
                  + " stride %s, padding %s, dilation %s",
              op,
              Shapes.toString(y.shape),
              oh,
              ow,
              Shapes.toString(x.shape),
              Arrays.toString(k),
              Arrays.toString(s),
              Arrays.toString(pad),
              Arrays.toString(d)));
    }
    Geometry g =
        new Geometry(
            x.shape[0],
            groups,
            c,
            x.shape[2],
            x.shape[3],
            o,
            y.shape[2],
            y.shape[3],
            k[0],
            k[1],
            s[0],
            s[1],
            pad[0],
            pad[1],
            pad[2],
            pad[3],
            d[0],
            d[1]);
    NDArray out = Creation.empty("conv2dWeightCorrelation", x.dtype, kernel);
    weights(g, x, y.contiguous(), out);
    return out;
  }

  private static void checkRank(String op, String what, NDArray a, String expected) {
    if (a == null) {
      throw new IllegalArgumentException(op + ": " + what + " must not be null");
    }
    if (a.rank() != 4) {
      throw new IllegalArgumentException(
          String.format(
              "%s: expected a 4-D %s %s, got shape %s",
              op, what, expected, Shapes.toString(a.shape)));
    }
  }

  private static void checkFloat(String op, NDArray a, NDArray b, NDArray bias) {
    if (!a.dtype.isFloatingPoint()
        || a.dtype != b.dtype
        || (bias != null && bias.dtype != a.dtype)) {
      throw new IllegalArgumentException(
          String.format(
              "%s: expected floating-point arrays of one dtype, got %s %s and %s %s%s",
              op,
              a.dtype,
              Shapes.toString(a.shape),
              b.dtype,
              Shapes.toString(b.shape),
              bias == null ? "" : " and bias " + bias.dtype + " " + Shapes.toString(bias.shape)));
    }
  }

  private static void checkGroups(String op, int groups, int c, int o, NDArray x, NDArray w) {
    if (groups < 1 || c % groups != 0 || o % groups != 0) {
      throw new IllegalArgumentException(
          String.format(
              "%s: groups = %d must be positive and divide both %d input and %d output channels"
                  + " (shapes %s and %s)",
              op, groups, c, o, Shapes.toString(x.shape), Shapes.toString(w.shape)));
    }
  }

  private static void checkBias(String op, NDArray b, int o, NDArray w) {
    if (b != null && (b.rank() != 1 || b.shape[0] != o)) {
      throw new IllegalArgumentException(
          String.format(
              "%s: bias of shape %s does not fit weight %s: expected [%d]",
              op, Shapes.toString(b.shape), Shapes.toString(w.shape), o));
    }
  }

  /** {h, w} from one number (both) or two; each at least {@code min}. */
  static int[] pair(String op, String name, int[] v, int min) {
    if (v == null || (v.length != 1 && v.length != 2)) {
      throw new IllegalArgumentException(
          String.format(
              "%s: %s must have 1 or 2 values, got %s",
              op, name, v == null ? "null" : Arrays.toString(v)));
    }
    int[] r = v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
    if (r[0] < min || r[1] < min) {
      throw new IllegalArgumentException(
          String.format(
              "%s: %s must be %s, got %s",
              op, name, min == 0 ? "non-negative" : "at least " + min, Arrays.toString(v)));
    }
    return r;
  }

  /** {top, bottom, left, right} from one number (all four), two (h, w) or four. */
  static int[] pads(String op, int[] padding) {
    if (padding == null || (padding.length != 1 && padding.length != 2 && padding.length != 4)) {
      throw new IllegalArgumentException(
          String.format(
              "%s: padding must have 1, 2 (h, w) or 4 (top, bottom, left, right) values, got %s",
              op, padding == null ? "null" : Arrays.toString(padding)));
    }
    int[] r;
    if (padding.length == 1) {
      r = new int[] {padding[0], padding[0], padding[0], padding[0]};
    } else if (padding.length == 2) {
      r = new int[] {padding[0], padding[0], padding[1], padding[1]};
    } else {
      r = padding.clone();
    }
    for (int v : r) {
      if (v < 0) {
        throw new IllegalArgumentException(
            op + ": padding must be non-negative, got " + Arrays.toString(padding));
      }
    }
    return r;
  }

  /** floor((size + pads − d·(k − 1) − 1) / s) + 1, refused when the kernel does not fit. */
  private static int outputSize(
      String op, String dim, NDArray x, NDArray w, int size, int k, int s, long pads, int d) {
    long span = (long) d * (k - 1) + 1;
    long padded = size + pads;
    if (k < 1) {
      throw new IllegalArgumentException(
          String.format(
              "%s: empty kernel (%s %d) for input %s%s",
              op,
              dim,
              k,
              Shapes.toString(x.shape),
              w == null ? "" : ", weight " + Shapes.toString(w.shape)));
    }
    if (span > padded) {
      throw new IllegalArgumentException(
          String.format(
              "%s: the kernel's %s %d (dilated: %d) is larger than the padded input's %d"
                  + " (input %s%s, padding %d in total)",
              op,
              dim,
              k,
              span,
              padded,
              Shapes.toString(x.shape),
              w == null ? "" : ", weight " + Shapes.toString(w.shape),
              pads));
    }
    checkExtent(op, dim, padded);
    return (int) ((padded - span) / s + 1);
  }

  /** The largest padded or output extent along a dim, so that index arithmetic stays in an int. */
  private static final long MAX_EXTENT = 1L << 30;

  private static void checkExtent(String op, String dim, long extent) {
    if (extent > MAX_EXTENT) {
      throw new IllegalArgumentException(
          String.format(
              "%s: the padded %s %d exceeds the supported %d", op, dim, extent, MAX_EXTENT));
    }
  }

  /** out[n, o, :, :] += b[o]. */
  private static void addBias(NDArray out, NDArray b) {
    out.addInPlace(b.reshape(b.shape[0], 1, 1));
  }

  // ------------------------------------------------------------------ kernels

  /** Images per chunk: at most 8 chunks, a number that depends only on N. */
  static int imagesPerChunk(int batch) {
    return Math.max(1, (batch + 7) / 8);
  }

  /** Below this many multiply-adds the chunks run on the calling thread. */
  private static final long PARALLEL_MIN = 1L << 21;

  private static void forEachImageChunk(Geometry g, ChunkBody body) {
    int per = imagesPerChunk(g.batch);
    int chunks = (g.batch + per - 1) / per;
    if (g.work() < PARALLEL_MIN) {
      for (int c = 0; c < chunks; c++) {
        body.run(c, c * per, Math.min(g.batch, (c + 1) * per));
      }
    } else {
      Parallel.forEachChunk(chunks, c -> body.run(c, c * per, Math.min(g.batch, (c + 1) * per)));
    }
  }

  private interface ChunkBody {
    void run(int chunk, int from, int to);
  }

  private static final ThreadLocal<double[]> DOUBLE_COLS =
      ThreadLocal.withInitial(() -> new double[0]);

  /** This thread's FLOAT64 cols scratch, at least {@code size} long. */
  private static double[] doubleCols(int size) {
    if (size > SCRATCH_KEPT) {
      return new double[size];
    }
    double[] b = DOUBLE_COLS.get();
    if (b.length < size) {
      b = new double[size];
      DOUBLE_COLS.set(b);
    }
    return b;
  }

  /**
   * Images per GEMM in the FLOAT32 kernels. A product per image is as wide as one image's OH·OW
   * positions; below {@link #WIDE} columns the packed GEMM runs short of speed, so that many of the
   * chunk's images go side by side in one [patch, images·OH·OW] cols matrix (the cols scratch kept
   * within {@link #COLS_MAX} floats). It depends only on the sizes, so the order of every sum does
   * too.
   */
  static int imagesPerProduct(Geometry g) {
    int l = Math.max(1, g.positions());
    long perImage = Math.max(1L, (long) g.patch() * l);
    long wanted = Math.max(1, WIDE / l);
    return (int)
        Math.max(1, Math.min(Math.min(wanted, imagesPerChunk(g.batch)), COLS_MAX / perImage));
  }

  /** The product width the FLOAT32 kernels batch images up to. */
  private static final int WIDE = 1024;

  /** The largest cols scratch the FLOAT32 kernels batch images into: 4 MiB. */
  private static final long COLS_MAX = 1L << 20;

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = S.length();

  private static final ThreadLocal<float[][]> FLOAT_SCRATCH =
      ThreadLocal.withInitial(() -> new float[3][0]);

  /**
   * This thread's scratch {@code which} (0: cols, 1: the correlation side, 2: a weight
   * correlation's transposed sum), at least {@code size}.
   */
  private static float[] scratch(int which, int size) {
    if (size > SCRATCH_KEPT) {
      return new float[size]; // one huge image's worth: not kept past this call
    }
    float[][] b = FLOAT_SCRATCH.get();
    if (b[which].length < size) {
      b[which] = new float[size];
    }
    return b[which];
  }

  /**
   * The largest scratch a thread keeps between calls (16 MiB); a larger one, which only an image
   * too big to batch needs, is garbage once its product is done.
   */
  private static final int SCRATCH_KEPT = 1 << 22;

  /**
   * The row length of a FLOAT32 cols matrix {@code width} columns wide: one vector longer, for the
   * vector im2col's stores past the end of a row (see {@link Im2col#im2col(Geometry, float[], int,
   * int, int, int, float[], int, int)}).
   */
  static int colsStride(int width) {
    return width + LANES;
  }

  /** out = conv2d(x, w) + b; out contiguous [N, O, OH, OW], w contiguous, b contiguous or null. */
  private static void correlate(Geometry g, NDArray x, NDArray w, NDArray b, NDArray out) {
    if (x.data instanceof float[]) {
      correlateFloats(g, x, w, b, out);
      return;
    }
    forEachImageChunk(
        g,
        (chunk, from, to) -> {
          for (int n = from; n < to; n++) {
            for (int group = 0; group < g.groups; group++) {
              StridedMatrix cols = unfold(g, x, n, group);
              MatMul.gemm(1, kernelMatrix(g, w, group), cols, 0, sideMatrix(g, out, n, group));
            }
          }
        });
    if (b != null) {
      addBias(out, b);
    }
  }

  /**
   * FLOAT32 conv2d: per group and batch of images, cols = im2col of the images side by side and
   * W·cols, written straight into out for a single image, else into scratch and copied to each
   * image's place; the bias is added to each image's rows while they are in cache.
   */
  private static void correlateFloats(Geometry g, NDArray x, NDArray w, NDArray b, NDArray out) {
    int per = imagesPerProduct(g);
    int patch = g.patch();
    int l = g.positions();
    int og = g.og();
    float[] o = (float[]) out.data;
    float[] bias = b == null ? null : (float[]) b.data;
    int bOff = b == null ? 0 : b.offset;
    int bStride = b == null ? 0 : b.strides[0];
    forEachImageChunk(
        g,
        (chunk, from, to) -> {
          for (int n0 = from; n0 < to; n0 += per) {
            int count = Math.min(per, to - n0);
            int width = count * l;
            int ld = colsStride(width);
            for (int group = 0; group < g.groups; group++) {
              float[] cols = scratch(0, patch * ld + LANES);
              for (int i = 0; i < count; i++) {
                im2col(g, x, n0 + i, group, cols, i * l, ld);
              }
              StridedMatrix colsMatrix = new StridedMatrix(cols, 0, patch, width, ld, 1);
              if (patch >= TRANSPOSED_MIN_PATCH) {
                // outᵀ = colsᵀ·Wᵀ: the GEMM reads cols in place (six positions side by side) and
                // packs only the small kernel, where W·cols packs all of cols. The result, [width,
                // og], is then transposed into out.
                float[] t = scratch(1, width * og);
                MatMul.gemm(
                    1,
                    colsMatrix.transpose(),
                    kernelMatrix(g, w, group).transpose(),
                    0,
                    new StridedMatrix(t, 0, width, og, og, 1));
                for (int i = 0; i < count; i++) {
                  int dst = out.offset + ((n0 + i) * g.outChannels + group * og) * l;
                  transposeOut(
                      t, i * l * og, l, og, o, dst, bias, bOff + group * og * bStride, bStride);
                }
                continue;
              }
              if (count == 1) {
                StridedMatrix target = sideMatrix(g, out, n0, group);
                MatMul.gemm(1, kernelMatrix(g, w, group), colsMatrix, 0, target);
                if (bias != null) {
                  for (int r = 0; r < og; r++) {
                    addScalar(
                        o, target.offset() + r * l, l, bias[bOff + (group * og + r) * bStride]);
                  }
                }
                continue;
              }
              float[] t = scratch(1, og * width);
              MatMul.gemm(
                  1,
                  kernelMatrix(g, w, group),
                  colsMatrix,
                  0,
                  new StridedMatrix(t, 0, og, width, width, 1));
              for (int i = 0; i < count; i++) {
                for (int r = 0; r < og; r++) {
                  int dst = out.offset + ((n0 + i) * g.outChannels + group * og + r) * l;
                  System.arraycopy(t, r * width + i * l, o, dst, l);
                  if (bias != null) {
                    addScalar(o, dst, l, bias[bOff + (group * og + r) * bStride]);
                  }
                }
              }
            }
          }
        });
  }

  /**
   * Kernels of at least this many taps (C/G·kh·kw) run conv2d as outᵀ = colsᵀ·Wᵀ. Measured on the
   * MNIST CNN's second layer (288 taps, 64 channels, 5 images of 14×14 per product): the GEMM 0.23
   * → 0.16 ms per product, more than the transpose into out costs.
   */
  private static final int TRANSPOSED_MIN_PATCH = 64;

  /**
   * out[dst + r·positions + l] = t[from + l·rows + r] (+ bias[r]) for l < positions, r < rows: one
   * image's block of outᵀ transposed into its place, in 16 × 16 blocks.
   */
  private static void transposeOut(
      float[] t,
      int from,
      int positions,
      int rows,
      float[] out,
      int dst,
      float[] bias,
      int bOff,
      int bStride) {
    for (int r0 = 0; r0 < rows; r0 += 16) {
      int r1 = Math.min(rows, r0 + 16);
      for (int l0 = 0; l0 < positions; l0 += 16) {
        int l1 = Math.min(positions, l0 + 16);
        for (int r = r0; r < r1; r++) {
          int o = dst + r * positions;
          if (bias == null) {
            for (int l = l0; l < l1; l++) {
              out[o + l] = t[from + l * rows + r];
            }
          } else {
            float v = bias[bOff + r * bStride];
            for (int l = l0; l < l1; l++) {
              out[o + l] = t[from + l * rows + r] + v;
            }
          }
        }
      }
    }
  }

  /** a[from … from + n − 1] += v. */
  private static void addScalar(float[] a, int from, int n, float v) {
    FloatVector vv = FloatVector.broadcast(S, v);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += LANES) {
      FloatVector.fromArray(S, a, from + i).add(vv).intoArray(a, from + i);
    }
    for (; i < n; i++) {
      a[from + i] += v;
    }
  }

  /** FLOAT64 cols [patch, positions] of one group of one image, in this thread's scratch. */
  private static StridedMatrix unfold(Geometry g, NDArray x, int n, int group) {
    int rows = g.patch();
    int cols = g.positions();
    int base = x.offset + n * x.strides[0] + group * g.cg() * x.strides[1];
    double[] dst = doubleCols(rows * cols);
    Im2col.im2col(g, (double[]) x.data, base, x.strides[1], x.strides[2], x.strides[3], dst);
    return new StridedMatrix(dst, 0, rows, cols, cols, 1);
  }

  /**
   * The FLOAT32 im2col of one group of image n into columns from {@code at} of rows {@code ld}
   * long.
   */
  private static void im2col(Geometry g, NDArray x, int n, int group, float[] dst, int at, int ld) {
    int base = x.offset + n * x.strides[0] + group * g.cg() * x.strides[1];
    Im2col.im2col(g, (float[]) x.data, base, x.strides[1], x.strides[2], x.strides[3], dst, at, ld);
  }

  /** result[o, r] = a[off + r·cols + o] for the rows × cols matrix a, in 16 × 16 blocks. */
  private static void transposeInto(float[] a, int off, int rows, int cols, StridedMatrix result) {
    float[] c = result.floats();
    int cOff = result.offset();
    int cRs = result.rowStride();
    for (int r0 = 0; r0 < rows; r0 += 16) {
      for (int o0 = 0; o0 < cols; o0 += 16) {
        for (int o = o0; o < Math.min(cols, o0 + 16); o++) {
          for (int r = r0; r < Math.min(rows, r0 + 16); r++) {
            c[cOff + o * cRs + r] = a[off + r * cols + o];
          }
        }
      }
    }
  }

  /**
   * result[o, r] (+)= Σ_l side[o, l]·cols[r, l] for a result narrower than a vector (a kernel of
   * few taps, as a first layer's 1·3·3): per row o of side, four rows of cols at a time share its
   * loads, each with a vector accumulator whose lanes are summed in a fixed order at the end.
   */
  private static void dots(
      StridedMatrix side, float[] cols, int ld, int patch, StridedMatrix result, boolean add) {
    float[] a = side.floats();
    int aOff = side.offset();
    int aRs = side.rowStride();
    int rows = side.rows();
    int n = side.cols();
    float[] c = result.floats();
    int cOff = result.offset();
    int cRs = result.rowStride();
    int bound = S.loopBound(n);
    float[] lanes = new float[4 * LANES];
    for (int o = 0; o < rows; o++) {
      int ar = aOff + o * aRs;
      int r = 0;
      for (; r + 4 <= patch; r += 4) {
        int b0 = r * ld;
        int b1 = b0 + ld;
        int b2 = b1 + ld;
        int b3 = b2 + ld;
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        for (int l = 0; l < bound; l += LANES) {
          FloatVector v = FloatVector.fromArray(S, a, ar + l);
          s0 = FloatVector.fromArray(S, cols, b0 + l).fma(v, s0);
          s1 = FloatVector.fromArray(S, cols, b1 + l).fma(v, s1);
          s2 = FloatVector.fromArray(S, cols, b2 + l).fma(v, s2);
          s3 = FloatVector.fromArray(S, cols, b3 + l).fma(v, s3);
        }
        s0.intoArray(lanes, 0);
        s1.intoArray(lanes, LANES);
        s2.intoArray(lanes, 2 * LANES);
        s3.intoArray(lanes, 3 * LANES);
        for (int k = 0; k < 4; k++) {
          int bk = (r + k) * ld;
          float sum = 0f;
          for (int i = 0; i < LANES; i++) {
            sum += lanes[k * LANES + i];
          }
          for (int l = bound; l < n; l++) {
            sum = Math.fma(a[ar + l], cols[bk + l], sum);
          }
          int at = cOff + o * cRs + r + k;
          c[at] = add ? c[at] + sum : sum;
        }
      }
      for (; r < patch; r++) {
        int b0 = r * ld;
        FloatVector s0 = FloatVector.zero(S);
        for (int l = 0; l < bound; l += LANES) {
          s0 = FloatVector.fromArray(S, cols, b0 + l).fma(FloatVector.fromArray(S, a, ar + l), s0);
        }
        s0.intoArray(lanes, 0);
        float sum = 0f;
        for (int i = 0; i < LANES; i++) {
          sum += lanes[i];
        }
        for (int l = bound; l < n; l++) {
          sum = Math.fma(a[ar + l], cols[b0 + l], sum);
        }
        int at = cOff + o * cRs + r;
        c[at] = add ? c[at] + sum : sum;
      }
    }
  }

  /**
   * Copies the [og, positions] blocks of group {@code group} of images n0 … n0 + count − 1 of a
   * contiguous [N, O, ·, ·] FLOAT32 array side by side into dst [og, count·positions].
   */
  private static void gatherSide(Geometry g, NDArray y, int n0, int count, int group, float[] dst) {
    int l = g.positions();
    int width = count * l;
    float[] src = (float[]) y.data;
    for (int i = 0; i < count; i++) {
      for (int r = 0; r < g.og(); r++) {
        int from = y.offset + ((n0 + i) * g.outChannels + group * g.og() + r) * l;
        System.arraycopy(src, from, dst, r * width + i * l, l);
      }
    }
  }

  /** The matrix [og, positions] of group {@code group} of image n of a contiguous [N, O, ·, ·]. */
  private static StridedMatrix sideMatrix(Geometry g, NDArray y, int n, int group) {
    int l = g.positions();
    return new StridedMatrix(
        y.data, y.offset + (n * g.outChannels + group * g.og()) * l, g.og(), l, l, 1);
  }

  /** Group {@code group} of a contiguous kernel [O, C/G, kh, kw] as an [og, patch] matrix. */
  private static StridedMatrix kernelMatrix(Geometry g, NDArray w, int group) {
    int p = g.patch();
    return new StridedMatrix(w.data, w.offset + group * g.og() * p, g.og(), p, p, 1);
  }

  /** out[n] += col2im(Wᵀ·y[n]) per group; y contiguous [N, C, H, W], out zeroed [N, O, OH, OW]. */
  private static void scatter(Geometry g, NDArray y, NDArray w, NDArray out) {
    int rows = g.patch();
    int l = g.positions();
    int per = imagesPerProduct(g);
    int og = g.og();
    forEachImageChunk(
        g,
        (chunk, from, to) -> {
          if (out.data instanceof float[] o) {
            for (int n0 = from; n0 < to; n0 += per) {
              int count = Math.min(per, to - n0);
              int width = count * l;
              for (int group = 0; group < g.groups; group++) {
                StridedMatrix side;
                if (count == 1) {
                  side = sideMatrix(g, y, n0, group);
                } else {
                  float[] gathered = scratch(1, og * width);
                  gatherSide(g, y, n0, count, group, gathered);
                  side = new StridedMatrix(gathered, 0, og, width, width, 1);
                }
                float[] t = scratch(0, rows * width);
                MatMul.gemm(
                    1,
                    kernelMatrix(g, w, group).transpose(),
                    side,
                    0,
                    new StridedMatrix(t, 0, rows, width, width, 1));
                for (int i = 0; i < count; i++) {
                  int base =
                      out.offset
                          + ((n0 + i) * g.imageChannels + group * g.cg()) * g.imageH * g.imageW;
                  Im2col.col2im(g, t, i * l, width, o, base);
                }
              }
            }
            return;
          }
          for (int n = from; n < to; n++) {
            for (int group = 0; group < g.groups; group++) {
              int base = out.offset + (n * g.imageChannels + group * g.cg()) * g.imageH * g.imageW;
              double[] t = doubleCols(rows * l);
              StridedMatrix tm = new StridedMatrix(t, 0, rows, l, l, 1);
              MatMul.gemm(
                  1, kernelMatrix(g, w, group).transpose(), sideMatrix(g, y, n, group), 0, tm);
              Im2col.col2im(g, t, (double[]) out.data, base);
            }
          }
        });
  }

  /**
   * out[group rows] = Σₙ y[n]·cols(x[n])ᵀ: each chunk of images sums into a partial of its own (the
   * first chunk's is out itself), then the partials are added to out in chunk order.
   */
  private static void weights(Geometry g, NDArray x, NDArray y, NDArray out) {
    if (g.batch == 0) {
      return;
    }
    int per = imagesPerChunk(g.batch);
    int chunks = (g.batch + per - 1) / per;
    int size = out.numel();
    NDArray[] partials = new NDArray[chunks];
    partials[0] = out;
    for (int c = 1; c < chunks; c++) {
      partials[c] = NDArray.zeros(out.dtype, out.shape);
    }
    int product = imagesPerProduct(g);
    int patch = g.patch();
    int l = g.positions();
    int og = g.og();
    forEachImageChunk(
        g,
        (chunk, from, to) -> {
          NDArray target = partials[chunk];
          if (x.data instanceof float[]) {
            // The transposed sums, one per group, kept across the chunk's products.
            float[] acc = patch < LANES ? null : scratch(2, g.groups * patch * og);
            for (int n0 = from; n0 < to; n0 += product) {
              int count = Math.min(product, to - n0);
              int width = count * l;
              int ld = colsStride(width);
              for (int group = 0; group < g.groups; group++) {
                float[] cols = scratch(0, patch * ld + LANES);
                for (int i = 0; i < count; i++) {
                  im2col(g, x, n0 + i, group, cols, i * l, ld);
                }
                StridedMatrix side;
                if (count == 1) {
                  side = sideMatrix(g, y, n0, group);
                } else {
                  float[] t = scratch(1, og * width);
                  gatherSide(g, y, n0, count, group, t);
                  side = new StridedMatrix(t, 0, og, width, width, 1);
                }
                StridedMatrix result = kernelMatrix(g, target, group);
                if (patch < LANES) {
                  // A kernel narrower than a vector: the GEMM would pad every tile to a vector.
                  dots(side, cols, ld, patch, result, n0 != from);
                  continue;
                }
                // resultᵀ = cols·sideᵀ: the GEMM reads cols in place and packs only side, the
                // smaller operand, where side·colsᵀ would gather all of cols through its stride.
                int accOff = group * patch * og;
                MatMul.gemm(
                    1,
                    new StridedMatrix(cols, 0, patch, width, ld, 1),
                    side.transpose(),
                    n0 == from ? 0 : 1,
                    new StridedMatrix(acc, accOff, patch, og, og, 1));
                if (n0 + count >= to) {
                  transposeInto(acc, accOff, patch, og, result);
                }
              }
            }
            return;
          }
          for (int n = from; n < to; n++) {
            for (int group = 0; group < g.groups; group++) {
              StridedMatrix cols = unfold(g, x, n, group);
              MatMul.gemm(
                  1,
                  sideMatrix(g, y, n, group),
                  cols.transpose(),
                  n == from ? 0 : 1,
                  kernelMatrix(g, target, group));
            }
          }
        });
    for (int c = 1; c < chunks; c++) {
      if (size > 0) {
        out.addInPlace(partials[c]);
      }
    }
  }
}
