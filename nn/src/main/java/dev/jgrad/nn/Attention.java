package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.util.Arrays;

/**
 * Scaled dot-product attention as a composite of Tensor ops, so every order of gradient is derived:
 * softmax(q·kᵀ·scale + mask)·v, with dropout on the probabilities. {@link F} and {@link
 * MultiheadAttention} call it.
 */
final class Attention {
  private Attention() {}

  /** The probabilities (after dropout) and the attended values. */
  record Result(Tensor probabilities, Tensor output) {}

  static Tensor scaledDotProductAttention(
      Tensor q,
      Tensor k,
      Tensor v,
      Tensor attnMask,
      double dropoutP,
      boolean isCausal,
      Double scale,
      Generator g) {
    String op = "scaledDotProductAttention";
    checkShapes(op, q, k, v, attnMask, isCausal);
    checkScalars(op, dropoutP, scale);
    if (dropoutP == 0 && (attnMask == null || !attnMask.requiresGrad())) {
      // the fused kernel: one pass per query row, backward from the saved probabilities
      double factor = scale != null ? scale : 1 / Math.sqrt(q.shape(-1));
      return Tensor.scaledDotProductAttention(q, k, v, attnMask, isCausal, factor);
    }
    return attend(op, q, k, v, attnMask, dropoutP, isCausal, scale, g).output();
  }

  private static void checkScalars(String op, double dropoutP, Double scale) {
    if (!(dropoutP >= 0 && dropoutP <= 1)) {
      throw new IllegalArgumentException(op + ": dropoutP must be in [0, 1], got " + dropoutP);
    }
    if (scale != null && !Double.isFinite(scale)) {
      throw new IllegalArgumentException(op + ": scale must be finite, got " + scale);
    }
  }

  /**
   * softmax(q·kᵀ·scale + bias)·v where the bias is −∞ at the masked positions (a zero of an INT32
   * mask, or above the diagonal when causal) or the float mask itself.
   */
  static Result attend(
      String op,
      Tensor q,
      Tensor k,
      Tensor v,
      Tensor attnMask,
      double dropoutP,
      boolean isCausal,
      Double scale,
      Generator g) {
    int[] scores = checkShapes(op, q, k, v, attnMask, isCausal);
    checkScalars(op, dropoutP, scale);
    int e = q.shape(-1);
    int l = scores[scores.length - 2];
    int s = scores[scores.length - 1];
    double factor = scale != null ? scale : 1 / Math.sqrt(e);
    // scores [.., L, S] = q [.., L, E] · kᵀ [.., E, S], read through strides
    Tensor logits = q.matmul(k.transpose(-2, -1)).mul(factor);
    if (isCausal) {
      logits = logits.maskedFill(future(l, s), Double.NEGATIVE_INFINITY);
    } else if (attnMask != null) {
      logits =
          attnMask.dtype().isFloatingPoint()
              ? logits.add(attnMask.to(q.dtype()))
              : logits.maskedFill(attnMask.eq(0), Double.NEGATIVE_INFINITY);
    }
    Tensor p = logits.softmax(-1);
    if (dropoutP > 0) {
      p = F.dropout(p, dropoutP, true, g != null ? g : Tensor.generator());
    }
    return new Result(p, p.matmul(v));
  }

  /** Ones where column j is after row i (j > i): the positions a causal query may not see. */
  static Tensor future(int l, int s) {
    return new Tensor(NDArray.ones(DType.INT32, l, s).triu(1));
  }

  /** Checks ranks, sizes, dtypes and the mask; returns the scores' shape [.., L, S]. */
  static int[] checkShapes(
      String op, Tensor q, Tensor k, Tensor v, Tensor attnMask, boolean isCausal) {
    if (q == null || k == null || v == null) {
      throw new IllegalArgumentException(op + ": q, k and v must not be null");
    }
    String shapes =
        String.format(
            "q %s, k %s, v %s",
            Arrays.toString(q.shape()), Arrays.toString(k.shape()), Arrays.toString(v.shape()));
    if (q.dim() < 2 || k.dim() < 2 || v.dim() < 2) {
      throw new IllegalArgumentException(
          op
              + ": q, k and v need at least 2 dims ([.., L, E], [.., S, E], [.., S, Ev]), got "
              + shapes);
    }
    if (!q.dtype().isFloatingPoint() || q.dtype() != k.dtype() || q.dtype() != v.dtype()) {
      throw new IllegalArgumentException(
          String.format(
              "%s: q, k and v must share one floating dtype, got %s, %s, %s",
              op, q.dtype(), k.dtype(), v.dtype()));
    }
    if (q.shape(-1) != k.shape(-1)) {
      throw new IllegalArgumentException(
          op + ": q and k must have the same embedding size E (last dim), got " + shapes);
    }
    if (k.shape(-2) != v.shape(-2)) {
      throw new IllegalArgumentException(
          op + ": k and v must have the same sequence length S (dim -2), got " + shapes);
    }
    int[] batch;
    try {
      batch = broadcast(batchOf(q), broadcast(batchOf(k), batchOf(v)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          op + ": the batch dims of q, k and v do not broadcast, got " + shapes);
    }
    int[] scores = Arrays.copyOf(batch, batch.length + 2);
    scores[batch.length] = q.shape(-2);
    scores[batch.length + 1] = k.shape(-2);
    if (attnMask != null) {
      if (isCausal) {
        throw new IllegalArgumentException(
            op
                + ": give either attnMask or isCausal, not both (mask "
                + Arrays.toString(attnMask.shape())
                + ")");
      }
      if (!broadcastsTo(attnMask.shape(), scores)) {
        throw new IllegalArgumentException(
            String.format(
                "%s: attnMask %s does not broadcast to the scores' shape %s ([.., L, S]) of %s",
                op, Arrays.toString(attnMask.shape()), Arrays.toString(scores), shapes));
      }
    }
    return scores;
  }

  private static int[] batchOf(Tensor t) {
    return Arrays.copyOf(t.shape(), t.dim() - 2);
  }

  /** numpy broadcasting of two shapes. */
  static int[] broadcast(int[] a, int[] b) {
    int n = Math.max(a.length, b.length);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int x = i < n - a.length ? 1 : a[i - (n - a.length)];
      int y = i < n - b.length ? 1 : b[i - (n - b.length)];
      if (x != y && x != 1 && y != 1) {
        throw new IllegalArgumentException(
            Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
      }
      out[i] = x == 1 ? y : x;
    }
    return out;
  }

  /** Whether {@code shape} broadcasts to {@code target} without changing it. */
  static boolean broadcastsTo(int[] shape, int[] target) {
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
}
