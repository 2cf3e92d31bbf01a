package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;
import dev.jgrad.tensor.kernel.VectorMath;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Scaled dot-product attention, a block of query rows at a time: for batch b and rows i of q,
 *
 * <pre>
 * s_ij = scale·⟨q_i, k_j⟩ (+ mask_ij, or −∞ where an INT32 mask is 0, or −∞ for j &gt; i if causal)
 * p_ij = exp(s_ij − max_j s_ij) / Σ_j exp(s_ij − max_j s_ij)        out_i = Σ_j p_ij·v_j
 * </pre>
 *
 * A block of up to 64 rows gets its scores from one GEMM written straight into its rows of the
 * probabilities [.., L, S] (the one array of that size; PyTorch's math path keeps it too), each row
 * is masked and softmaxed in place while the block is in cache, and a second GEMM multiplies the
 * block by V. Causal blocks compute only the columns up to their last row (the top-left triangle,
 * as PyTorch, also when L ≠ S; the rest of the row is zero): about half the work of the full
 * product, and no mask array is made. A mask is read through broadcast strides, never expanded into
 * memory; q, k and v are read through their strides (views are not copied). A row whose every score
 * is −∞ gives NaN, as softmax does.
 *
 * <p>Blocks are split over threads in fixed ranges that depend only on the sizes, and every product
 * is small enough for the serial GEMM kernel, so 1 and N threads give the same bits. FLOAT32
 * softmax rows use {@link VectorMath#exp}; FLOAT64 rows {@link Math#exp}.
 */
final class Attention {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;

  private Attention() {}

  static Attended scaledDotProductAttention(
      NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal, double scale) {
    String op = "scaledDotProductAttention";
    int[] scores = checkShapes(op, q, k, v, mask, causal, scale);
    int rank = scores.length;
    int[] batch = Arrays.copyOf(scores, rank - 2);
    int l = scores[rank - 2];
    int s = scores[rank - 1];
    int e = q.shape[q.rank() - 1];
    int ev = v.shape[v.rank() - 1];
    NDArray qs = q.expand(with(batch, l, e)); // views: batch dims of stride 0 where broadcast
    NDArray ks = k.expand(with(batch, s, e));
    NDArray vs = v.expand(with(batch, s, ev));
    NDArray ms = null;
    if (mask != null) {
      ms = (mask.dtype.isFloatingPoint() ? mask.to(q.dtype) : mask).expand(scores);
    }
    NDArray out = Creation.empty(op, q.dtype, with(batch, l, ev));
    NDArray p = Creation.empty(op, q.dtype, scores);
    int batches = Shapes.numel(batch);
    // blocks of rows small enough that each product stays on the serial GEMM kernel
    long perRow = (long) Math.max(1, s) * Math.max(1, Math.max(e, ev));
    int blockRows = (int) Math.max(1, Math.min(BLOCK_ROWS, SERIAL_GEMM_MAX / perRow));
    int blocksPerBatch = (l + blockRows - 1) / blockRows;
    Blocks b =
        new Blocks(
            l,
            s,
            e,
            ev,
            blockRows,
            causal,
            scale,
            qs,
            ks,
            vs,
            ms,
            offsets(qs, batch),
            offsets(ks, batch),
            offsets(vs, batch),
            ms == null ? null : offsets(ms, batch),
            p,
            out);
    long work = (long) blockRows * perRow * 2;
    int grain = (int) Math.max(1, StridedLoop.PARALLEL_GRAIN * 16L / work);
    Parallel.forEachRange(
        batches * blocksPerBatch,
        grain,
        (from, to) -> {
          for (int item = from; item < to; item++) {
            int batchIndex = item / blocksPerBatch;
            int i0 = (item % blocksPerBatch) * blockRows;
            block(b, batchIndex, i0, Math.min(l, i0 + blockRows));
          }
        });
    return new Attended(out, p);
  }

  /** Rows per block: a [64, S] block of scores stays in cache between its two products. */
  private static final int BLOCK_ROWS = 64;

  /** Products below this many multiply-adds run on the serial GEMM kernel (Sgemm's threshold). */
  private static final long SERIAL_GEMM_MAX = 1L << 24;

  /** Sizes, operands and where each batch's matrices start, read by the block loop. */
  private record Blocks(
      int l,
      int s,
      int e,
      int ev,
      int blockRows,
      boolean causal,
      double scale,
      NDArray q,
      NDArray k,
      NDArray v,
      NDArray mask,
      int[] qOff,
      int[] kOff,
      int[] vOff,
      int[] mOff,
      NDArray p,
      NDArray out) {}

  /**
   * Rows [i0, i1) of one batch: their scores by one GEMM into the probabilities' rows (a causal
   * block only up to column i1 − 1), each row's softmax in place, then out = P·V by one more GEMM
   * over the same columns.
   */
  private static void block(Blocks b, int batch, int i0, int i1) {
    int n = i1 - i0;
    int s = b.s;
    int r = b.q.rank();
    int cols = b.causal ? Math.min(s, i1) : s;
    int pOff = (batch * b.l + i0) * s;
    int oOff = (batch * b.l + i0) * b.ev;
    StridedMatrix scores = new StridedMatrix(b.p.data, pOff, n, cols, s, 1);
    StridedMatrix out = new StridedMatrix(b.out.data, oOff, n, b.ev, b.ev, 1);
    if (b.e == 0) { // scores of empty vectors
      fill(scores, 0);
    } else if (cols > 0) {
      StridedMatrix qb =
          new StridedMatrix(
              b.q.data,
              b.qOff[batch] + i0 * b.q.strides[r - 2],
              n,
              b.e,
              b.q.strides[r - 2],
              b.q.strides[r - 1]);
      StridedMatrix kt = // Kᵀ [E, cols], read through strides
          new StridedMatrix(
              b.k.data, b.kOff[batch], b.e, cols, b.k.strides[r - 1], b.k.strides[r - 2]);
      MatMul.gemm(b.scale, qb, kt, 0, scores);
    }
    int mr = b.mask == null ? 0 : b.mask.strides[r - 2];
    int mc = b.mask == null ? 0 : b.mask.strides[r - 1];
    for (int i = i0; i < i1; i++) {
      int end = b.causal ? Math.min(s, i + 1) : s;
      int row = pOff + (i - i0) * s;
      int mo = b.mOff == null ? 0 : b.mOff[batch] + i * mr;
      if (b.p.dtype == DType.FLOAT32) {
        softmaxRow((float[]) b.p.data, row, end, s, b.mask == null ? null : b.mask.data, mo, mc);
      } else {
        softmaxRow((double[]) b.p.data, row, end, s, b.mask == null ? null : b.mask.data, mo, mc);
      }
    }
    if (cols == 0 || b.ev == 0) {
      fill(out, 0);
      return;
    }
    StridedMatrix vb =
        new StridedMatrix(
            b.v.data, b.vOff[batch], cols, b.ev, b.v.strides[r - 2], b.v.strides[r - 1]);
    MatMul.gemm(1, scores, vb, 0, out);
  }

  private static void fill(StridedMatrix m, double value) {
    for (int i = 0; i < m.rows(); i++) {
      int from = m.offset() + i * m.rowStride();
      if (m.isFloat()) {
        Arrays.fill(m.floats(), from, from + m.cols(), (float) value);
      } else {
        Arrays.fill(m.doubles(), from, from + m.cols(), value);
      }
    }
  }

  /**
   * One FLOAT32 row of scores in place: the mask (added, or −∞ where an INT32 mask is 0), the
   * stable softmax over the first {@code end} columns ({@link VectorMath#exp} of s − max), zeros
   * after them; NaN when every score is −∞.
   */
  private static void softmaxRow(float[] p, int row, int end, int s, Object mask, int mo, int mc) {
    if (mask instanceof float[] m) {
      for (int j = 0; j < end; j++) {
        p[row + j] += m[mo + j * mc];
      }
    } else if (mask instanceof int[] m) {
      for (int j = 0; j < end; j++) {
        if (m[mo + j * mc] == 0) {
          p[row + j] = Float.NEGATIVE_INFINITY;
        }
      }
    }
    int bound = FS.loopBound(end);
    int j = 0;
    FloatVector vmax = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
    for (; j < bound; j += FS.length()) {
      vmax = vmax.max(FloatVector.fromArray(FS, p, row + j));
    }
    float max = vmax.reduceLanes(VectorOperators.MAX);
    for (; j < end; j++) {
      max = Math.max(max, p[row + j]);
    }
    Arrays.fill(p, row + end, row + s, 0f);
    if (end == 0) {
      return;
    }
    if (max == Float.NEGATIVE_INFINITY) { // every position hidden: softmax's 0/0
      Arrays.fill(p, row, row + s, Float.NaN);
      return;
    }
    VectorMath.exp(p, row, 1f, -max, p, row, end);
    FloatVector acc = FloatVector.zero(FS);
    for (j = 0; j < bound; j += FS.length()) {
      acc = acc.add(FloatVector.fromArray(FS, p, row + j));
    }
    double sum = VectorMath.sumLanes(acc);
    for (; j < end; j++) {
      sum += p[row + j];
    }
    float inv = (float) (1 / sum);
    for (j = 0; j < bound; j += FS.length()) {
      FloatVector.fromArray(FS, p, row + j).mul(inv).intoArray(p, row + j);
    }
    for (; j < end; j++) {
      p[row + j] *= inv;
    }
  }

  /** The FLOAT64 twin of {@link #softmaxRow(float[], int, int, int, Object, int, int)}. */
  private static void softmaxRow(double[] p, int row, int end, int s, Object mask, int mo, int mc) {
    if (mask instanceof double[] m) {
      for (int j = 0; j < end; j++) {
        p[row + j] += m[mo + j * mc];
      }
    } else if (mask instanceof int[] m) {
      for (int j = 0; j < end; j++) {
        if (m[mo + j * mc] == 0) {
          p[row + j] = Double.NEGATIVE_INFINITY;
        }
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < end; j++) {
      max = Math.max(max, p[row + j]);
    }
    Arrays.fill(p, row + end, row + s, 0);
    if (end == 0) {
      return;
    }
    if (max == Double.NEGATIVE_INFINITY) {
      Arrays.fill(p, row, row + s, Double.NaN);
      return;
    }
    double sum = 0;
    for (int j = 0; j < end; j++) {
      double x = Math.exp(p[row + j] - max);
      p[row + j] = x;
      sum += x;
    }
    double inv = 1 / sum;
    for (int j = 0; j < end; j++) {
      p[row + j] *= inv;
    }
  }

  /** The scores' shape [.., L, S] after checking everything the kernel relies on. */
  static int[] checkShapes(
      String op, NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal, double scale) {
    if (q == null || k == null || v == null) {
      throw new IllegalArgumentException(op + ": q, k and v must not be null");
    }
    String shapes =
        String.format(
            "q %s, k %s, v %s",
            Shapes.toString(q.shape), Shapes.toString(k.shape), Shapes.toString(v.shape));
    if (q.rank() < 2 || k.rank() < 2 || v.rank() < 2) {
      throw new IllegalArgumentException(
          op
              + ": q, k and v need at least 2 dims ([.., L, E], [.., S, E], [.., S, Ev]), got "
              + shapes);
    }
    if (!q.dtype.isFloatingPoint() || q.dtype != k.dtype || q.dtype != v.dtype) {
      throw new IllegalArgumentException(
          String.format(
              "%s: q, k and v must share one floating dtype, got %s, %s, %s",
              op, q.dtype, k.dtype, v.dtype));
    }
    if (q.shape[q.rank() - 1] != k.shape[k.rank() - 1]) {
      throw new IllegalArgumentException(
          op + ": q and k must have the same embedding size E (last dim), got " + shapes);
    }
    if (k.shape[k.rank() - 2] != v.shape[v.rank() - 2]) {
      throw new IllegalArgumentException(
          op + ": k and v must have the same sequence length S (dim -2), got " + shapes);
    }
    if (!Double.isFinite(scale)) {
      throw new IllegalArgumentException(op + ": scale must be finite, got " + scale);
    }
    int[] batch;
    try {
      batch = Shapes.broadcast(op, batchOf(q), Shapes.broadcast(op, batchOf(k), batchOf(v)));
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException(
          op + ": the batch dims of q, k and v do not broadcast, got " + shapes);
    }
    int[] scores = with(batch, q.shape[q.rank() - 2], k.shape[k.rank() - 2]);
    if (mask != null) {
      if (causal) {
        throw new IllegalArgumentException(
            op
                + ": give either a mask or causal, not both (mask "
                + Shapes.toString(mask.shape)
                + ")");
      }
      if (!broadcastsTo(mask.shape, scores)) {
        throw new IllegalArgumentException(
            String.format(
                "%s: mask %s does not broadcast to the scores' shape %s ([.., L, S]) of %s",
                op, Shapes.toString(mask.shape), Shapes.toString(scores), shapes));
      }
    }
    return scores;
  }

  private static int[] batchOf(NDArray a) {
    return Arrays.copyOf(a.shape, a.rank() - 2);
  }

  private static int[] with(int[] batch, int rows, int cols) {
    int[] out = Arrays.copyOf(batch, batch.length + 2);
    out[batch.length] = rows;
    out[batch.length + 1] = cols;
    return out;
  }

  private static boolean broadcastsTo(int[] shape, int[] target) {
    if (shape.length > target.length) {
      return false;
    }
    int lead = target.length - shape.length;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] != 1 && shape[i] != target[lead + i]) {
        return false;
      }
    }
    return true;
  }

  /** Where each batch's matrix starts, the batch index unravelled over the batch dims. */
  private static int[] offsets(NDArray a, int[] batch) {
    int count = Shapes.numel(batch);
    int[] out = new int[count];
    for (int b = 0; b < count; b++) {
      int rest = b;
      int off = a.offset;
      for (int d = batch.length - 1; d >= 0; d--) {
        off += (rest % batch[d]) * a.strides[d];
        rest /= batch[d];
      }
      out[b] = off;
    }
    return out;
  }
}
