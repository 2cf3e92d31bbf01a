package dev.jgrad.autograd;

import dev.jgrad.autograd.Graph.Saves;
import dev.jgrad.tensor.Attended;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;

/**
 * Scaled dot-product attention, {@code Y = P·V} with {@code P = softmax(S)} and {@code S =
 * scale·Q·Kᵀ + mask}, forward in one fused kernel that also returns P. With the incoming gradient
 * G, the gradients are (the softmax's Jacobian applied row by row):
 *
 * <pre>
 * dV = Pᵀ·G      dP = G·Vᵀ      dS = P ⊙ (dP − rowsum(dP ⊙ P))
 * dQ = scale·dS·K                dK = scale·dSᵀ·Q
 * </pre>
 *
 * First-order backward (grad mode off) evaluates these on arrays from the saved P, as PyTorch's
 * math path does, computing dS once for the three inputs. When a graph of the gradient is wanted
 * ({@code createGraph}), the same formulas run as Tensor ops on P recomputed from Q and K with
 * Tensor ops, so they are differentiable again. The mask is a constant: no gradient reaches it.
 */
final class AttentionRules {
  private AttentionRules() {}

  static Tensor scaledDotProductAttention(
      Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, double scale) {
    if (q == null || k == null || v == null) {
      throw new IllegalArgumentException("scaledDotProductAttention: q, k and v must not be null");
    }
    NDArray m = mask == null ? null : mask.data();
    Attended a = NDArray.scaledDotProductAttention(q.data(), k.data(), v.data(), m, causal, scale);
    if (!GradMode.isEnabled() || !(q.requiresGrad() || k.requiresGrad() || v.requiresGrad())) {
      return new Tensor(a.output());
    }
    Gradients d = new Gradients(q, k, v, m, causal, scale, a.probabilities());
    return Graph.record(
        "ScaledDotProductAttention",
        a.output(),
        Saves.INPUTS,
        q,
        k,
        v,
        (g, y) -> d.of(0, g),
        (g, y) -> d.of(1, g),
        (g, y) -> d.of(2, g));
  }

  /** The three gradients of one recorded attention, sharing dS in first-order backward. */
  private static final class Gradients {
    final Tensor q;
    final Tensor k;
    final Tensor v;
    final NDArray mask;
    final boolean causal;
    final double scale;
    final NDArray p;
    NDArray lastG;
    NDArray lastDs;

    Gradients(Tensor q, Tensor k, Tensor v, NDArray mask, boolean causal, double scale, NDArray p) {
      this.q = q;
      this.k = k;
      this.v = v;
      this.mask = mask;
      this.causal = causal;
      this.scale = scale;
      this.p = p;
    }

    /** The gradient of input {@code which} (0 q, 1 k, 2 v). */
    Tensor of(int which, Tensor g) {
      if (!GradMode.isEnabled()) {
        return new Tensor(fromSaved(which, g.data()));
      }
      return composed(which, g);
    }

    /** The formulas on arrays, from the saved probabilities. */
    private NDArray fromSaved(int which, NDArray g) {
      if (which == 2) {
        return p.transpose(-2, -1).matmul(g); // Pᵀ·G
      }
      if (lastG != g) {
        NDArray dp = g.matmul(v.data().transpose(-2, -1)); // G·Vᵀ
        NDArray dot = dp.mul(p).sum(-1, true);
        lastDs = dp.subInPlace(dot).mulInPlace(p).mulInPlace(scale);
        lastG = g;
      }
      return which == 0 ? lastDs.matmul(k.data()) : lastDs.transpose(-2, -1).matmul(q.data());
    }

    /** The same formulas as Tensor ops on P recomputed from q and k: differentiable again. */
    private Tensor composed(int which, Tensor g) {
      Tensor s = q.matmul(k.transpose(-2, -1)).mul(scale);
      if (causal) {
        int l = q.shape(-2);
        int n = k.shape(-2);
        s =
            s.maskedFill(
                Graph.constant(NDArray.ones(DType.INT32, l, n).triu(1)), Double.NEGATIVE_INFINITY);
      } else if (mask != null) {
        s =
            mask.dtype().isFloatingPoint()
                ? s.add(Graph.constant(mask.to(q.dtype())))
                : s.maskedFill(Graph.constant(mask.eq(0)), Double.NEGATIVE_INFINITY);
      }
      Tensor pt = s.softmax(-1);
      if (which == 2) {
        return pt.transpose(-2, -1).matmul(g);
      }
      Tensor dp = g.matmul(v.transpose(-2, -1));
      Tensor ds = pt.mul(dp.sub(dp.mul(pt).sum(-1, true))).mul(scale);
      return which == 0 ? ds.matmul(k) : ds.transpose(-2, -1).matmul(q);
    }
  }
}
