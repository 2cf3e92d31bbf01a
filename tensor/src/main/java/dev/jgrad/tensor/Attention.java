package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;
import dev.jgrad.tensor.kernel.VectorMath;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Scaled dot-product attention in one pass per query row: for batch b and row i of q,
 *
 * <pre>
 * s_j = scale·⟨q_i, k_j⟩ (+ mask_ij, or −∞ where an INT32 mask is 0, or −∞ for j &gt; i if causal)
 * p_j = exp(s_j − max s) / Σ exp(s − max s)        out_i = Σ_j p_j·v_j
 * </pre>
 *
 * Each row's scores live in a scratch row of length S and go straight into the probabilities [..,
 * L, S] (the one array of that size; PyTorch's math path also keeps it). A causal row i computes
 * only its i + 1 first columns (the top-left triangle, as PyTorch, also when L ≠ S) and leaves
 * zeros after them: no mask array is made. A mask is read through broadcast strides, never expanded
 * into memory. A row whose every score is −∞ gives NaN, as softmax does.
 *
 * <p>q, k and v are read with their last dim contiguous (copied first if it is not); rows are
 * independent and split into fixed ranges that depend only on the sizes, so 1 and N threads give
 * the same bits. FLOAT32 rows take SIMD dot products and {@link VectorMath#exp}; FLOAT64 rows the
 * scalar twin.
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
    NDArray qs = rowMajor(q.expand(with(batch, l, e)));
    NDArray ks = rowMajor(k.expand(with(batch, s, e)));
    NDArray vs = rowMajor(v.expand(with(batch, s, ev)));
    NDArray ms = null;
    if (mask != null) {
      ms = (mask.dtype.isFloatingPoint() ? mask.to(q.dtype) : mask).expand(scores);
    }
    NDArray out = Creation.empty(op, q.dtype, with(batch, l, ev));
    NDArray probabilities = Creation.empty(op, q.dtype, scores);
    int batches = Shapes.numel(batch);
    Rows rows =
        new Rows(
            l,
            s,
            e,
            ev,
            causal,
            scale,
            offsets(qs, batch),
            qs.strides[rank - 2],
            offsets(ks, batch),
            ks.strides[rank - 2],
            offsets(vs, batch),
            vs.strides[rank - 2],
            ms == null ? null : offsets(ms, batch),
            ms == null ? 0 : ms.strides[rank - 2],
            ms == null ? 0 : ms.strides[rank - 1]);
    long work = (long) Math.max(1, s) * (e + ev + 4);
    int grain = (int) Math.max(1, StridedLoop.PARALLEL_GRAIN / work);
    if (q.dtype == DType.FLOAT32) {
      float[] qd = (float[]) qs.data;
      float[] kd = (float[]) ks.data;
      float[] vd = (float[]) vs.data;
      float[] od = (float[]) out.data;
      float[] pd = (float[]) probabilities.data;
      float[] mf = ms != null && ms.dtype == DType.FLOAT32 ? (float[]) ms.data : null;
      int[] mi = ms != null && ms.dtype == DType.INT32 ? (int[]) ms.data : null;
      Parallel.forEachRange(
          batches * l,
          grain,
          (from, to) -> {
            float[] scratch = new float[Math.max(1, s)];
            for (int r = from; r < to; r++) {
              rowFloat(rows, r / l, r % l, qd, kd, vd, mf, mi, scratch, pd, od);
            }
          });
    } else {
      double[] qd = (double[]) qs.data;
      double[] kd = (double[]) ks.data;
      double[] vd = (double[]) vs.data;
      double[] od = (double[]) out.data;
      double[] pd = (double[]) probabilities.data;
      double[] mf = ms != null && ms.dtype == DType.FLOAT64 ? (double[]) ms.data : null;
      int[] mi = ms != null && ms.dtype == DType.INT32 ? (int[]) ms.data : null;
      Parallel.forEachRange(
          batches * l,
          grain,
          (from, to) -> {
            for (int r = from; r < to; r++) {
              rowDouble(rows, r / l, r % l, qd, kd, vd, mf, mi, pd, od);
            }
          });
    }
    return new Attended(out, probabilities);
  }

  /** Sizes, flags and where each batch's matrices start, read by the row loops. */
  private record Rows(
      int l,
      int s,
      int e,
      int ev,
      boolean causal,
      double scale,
      int[] qOff,
      int qRow,
      int[] kOff,
      int kRow,
      int[] vOff,
      int vRow,
      int[] mOff,
      int mRow,
      int mCol) {}

  /** One FLOAT32 row: scores into {@code scratch}, the stable softmax into p, then out = p·v. */
  private static void rowFloat(
      Rows rs,
      int b,
      int i,
      float[] q,
      float[] k,
      float[] v,
      float[] maskF,
      int[] maskI,
      float[] scratch,
      float[] p,
      float[] out) {
    int s = rs.s;
    int e = rs.e;
    int ev = rs.ev;
    int end = rs.causal ? Math.min(s, i + 1) : s;
    int qo = rs.qOff[b] + i * rs.qRow;
    int ko = rs.kOff[b];
    int kRow = rs.kRow;
    float scale = (float) rs.scale;
    int bound = FS.loopBound(e);
    float max = Float.NEGATIVE_INFINITY;
    int mo = rs.mOff == null ? 0 : rs.mOff[b] + i * rs.mRow;
    int mCol = rs.mCol;
    for (int j = 0; j < end; j++) {
      int kj = ko + j * kRow;
      FloatVector acc = FloatVector.zero(FS);
      int c = 0;
      for (; c < bound; c += FS.length()) {
        acc = FloatVector.fromArray(FS, q, qo + c).fma(FloatVector.fromArray(FS, k, kj + c), acc);
      }
      float dot = acc.reduceLanes(VectorOperators.ADD);
      for (; c < e; c++) {
        dot = Math.fma(q[qo + c], k[kj + c], dot);
      }
      float score = dot * scale;
      if (maskF != null) {
        score += maskF[mo + j * mCol];
      } else if (maskI != null && maskI[mo + j * mCol] == 0) {
        score = Float.NEGATIVE_INFINITY;
      }
      scratch[j] = score;
      max = Math.max(max, score);
    }
    int po = (b * rs.l + i) * s;
    int oo = (b * rs.l + i) * ev;
    if (end == 0) {
      Arrays.fill(out, oo, oo + ev, 0f); // an empty softmax: nothing to attend
      return;
    }
    if (max == Float.NEGATIVE_INFINITY) { // every position hidden: softmax's 0/0
      Arrays.fill(p, po, po + s, Float.NaN);
      Arrays.fill(out, oo, oo + ev, Float.NaN);
      return;
    }
    VectorMath.exp(scratch, 0, 1f, -max, p, po, end);
    double sum = 0;
    for (int j = 0; j < end; j++) {
      sum += p[po + j];
    }
    float inv = (float) (1 / sum);
    for (int j = 0; j < end; j++) {
      p[po + j] *= inv;
    }
    Arrays.fill(p, po + end, po + s, 0f);
    // out_i = Σ_j p_j·v_j, one axpy per key row
    int vo = rs.vOff[b];
    int vRow = rs.vRow;
    int vbound = FS.loopBound(ev);
    Arrays.fill(out, oo, oo + ev, 0f);
    for (int j = 0; j < end; j++) {
      float pj = p[po + j];
      if (pj == 0f) {
        continue;
      }
      int vj = vo + j * vRow;
      FloatVector w = FloatVector.broadcast(FS, pj);
      int c = 0;
      for (; c < vbound; c += FS.length()) {
        w.fma(FloatVector.fromArray(FS, v, vj + c), FloatVector.fromArray(FS, out, oo + c))
            .intoArray(out, oo + c);
      }
      for (; c < ev; c++) {
        out[oo + c] = Math.fma(pj, v[vj + c], out[oo + c]);
      }
    }
  }

  /** The FLOAT64 twin of {@link #rowFloat}, scalar; the probabilities row is the scratch. */
  private static void rowDouble(
      Rows rs,
      int b,
      int i,
      double[] q,
      double[] k,
      double[] v,
      double[] maskF,
      int[] maskI,
      double[] p,
      double[] out) {
    int s = rs.s;
    int e = rs.e;
    int ev = rs.ev;
    int end = rs.causal ? Math.min(s, i + 1) : s;
    int qo = rs.qOff[b] + i * rs.qRow;
    int ko = rs.kOff[b];
    int po = (b * rs.l + i) * s;
    int oo = (b * rs.l + i) * ev;
    int mo = rs.mOff == null ? 0 : rs.mOff[b] + i * rs.mRow;
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < end; j++) {
      int kj = ko + j * rs.kRow;
      double dot = 0;
      for (int c = 0; c < e; c++) {
        dot = Math.fma(q[qo + c], k[kj + c], dot);
      }
      double score = dot * rs.scale;
      if (maskF != null) {
        score += maskF[mo + j * rs.mCol];
      } else if (maskI != null && maskI[mo + j * rs.mCol] == 0) {
        score = Double.NEGATIVE_INFINITY;
      }
      p[po + j] = score;
      max = Math.max(max, score);
    }
    if (end == 0) {
      Arrays.fill(out, oo, oo + ev, 0);
      return;
    }
    if (max == Double.NEGATIVE_INFINITY) {
      Arrays.fill(p, po, po + s, Double.NaN);
      Arrays.fill(out, oo, oo + ev, Double.NaN);
      return;
    }
    double sum = 0;
    for (int j = 0; j < end; j++) {
      double x = Math.exp(p[po + j] - max);
      p[po + j] = x;
      sum += x;
    }
    double inv = 1 / sum;
    for (int j = 0; j < end; j++) {
      p[po + j] *= inv;
    }
    Arrays.fill(p, po + end, po + s, 0);
    Arrays.fill(out, oo, oo + ev, 0);
    int vo = rs.vOff[b];
    for (int j = 0; j < end; j++) {
      double pj = p[po + j];
      int vj = vo + j * rs.vRow;
      for (int c = 0; c < ev; c++) {
        out[oo + c] = Math.fma(pj, v[vj + c], out[oo + c]);
      }
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

  /** The array if its rows are contiguous (last stride 1), else a contiguous copy. */
  private static NDArray rowMajor(NDArray a) {
    int n = a.rank();
    return a.shape[n - 1] <= 1 || a.strides[n - 1] == 1 ? a : a.contiguous();
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
