package dev.jgrad.optim;

import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.kernel.Dense;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The parameter updates of the common optimizers, each one pass over a dense FLOAT32 parameter in
 * place with no temporaries. The equations are PyTorch's and are written out in each optimizer's
 * Javadoc; the optimizers call these when {@link #applies} and compose NDArray ops otherwise
 * (FLOAT64, strided views).
 *
 * <p>Scalar factors (1 − β, bias corrections, step sizes, 1 − dampening) are computed in double and
 * rounded to float once, as PyTorch does: forming 1 − β in float arithmetic would give 1 − 0.999f =
 * 9.99987·10⁻⁴ instead of 10⁻³ and scale every Adam step by 1 + 6.4·10⁻⁶.
 *
 * <p>SGD and Adam run a SIMD loop and then the same operations on the scalar tail, in the same
 * order, so every element gets the same bits whatever its position. None of the loops uses a fused
 * multiply-add, so the results are the same in every JIT tier.
 *
 * <pre>{@code
 * // p ← p − lr·(g + wd·p), with momentum buffer buf
 * if (UpdateKernels.applies(p, g, buf)) UpdateKernels.sgd(p, g, buf, 0.1, 0.9, 0, 0, false, first);
 * }</pre>
 */
final class UpdateKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private UpdateKernels() {}

  /**
   * True when the fused updates apply: every non-null array is FLOAT32, contiguous and of the
   * parameter's (the first array's) shape.
   */
  static boolean applies(NDArray... arrays) {
    return Dense.floats(arrays);
  }

  /**
   * SGD: d = g + wd·p; with momentum, buf = d on the first step, else momentum·buf + (1 −
   * dampening)·d, and d = nesterov ? d + momentum·buf : buf; then p −= lr·d. {@code buf} is null
   * without momentum.
   */
  static void sgd(
      NDArray p,
      NDArray g,
      NDArray buf,
      double lr,
      double momentum,
      double dampening,
      double weightDecay,
      boolean nesterov,
      boolean firstStep) {
    float[] pv = Dense.array(p);
    float[] gv = Dense.array(g);
    float[] bv = buf == null ? null : Dense.array(buf);
    int po = p.offset();
    int go = g.offset();
    int bo = buf == null ? 0 : buf.offset();
    float flr = (float) lr;
    float mom = (float) momentum;
    float damp = (float) (1 - dampening);
    float wd = (float) weightDecay;
    int n = p.numel();
    int i = 0;
    int bound = S.loopBound(n);
    for (; i < bound; i += S.length()) { // the same operations as the scalar loop below
      FloatVector pvec = FloatVector.fromArray(S, pv, po + i);
      FloatVector d = FloatVector.fromArray(S, gv, go + i).add(pvec.mul(wd));
      if (bv != null) {
        FloatVector b =
            firstStep ? d : FloatVector.fromArray(S, bv, bo + i).mul(mom).add(d.mul(damp));
        b.intoArray(bv, bo + i);
        d = nesterov ? d.add(b.mul(mom)) : b;
      }
      pvec.sub(d.mul(flr)).intoArray(pv, po + i);
    }
    for (; i < n; i++) {
      float d = gv[go + i] + pv[po + i] * wd;
      if (bv != null) {
        float b = firstStep ? d : bv[bo + i] * mom + d * damp;
        bv[bo + i] = b;
        d = nesterov ? d + b * mom : b;
      }
      pv[po + i] = pv[po + i] - d * flr;
    }
  }

  /**
   * Adam / AdamW at step t (from 1): with decoupled weight decay p ← p·(1 − lr·wd) first, else g ←
   * g + wd·p; m = β₁m + (1 − β₁)g; v = β₂v + (1 − β₂)g²; with amsgrad vmax = max(vmax, v) replaces
   * v; p −= (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + eps). {@code vmax} is null without amsgrad.
   */
  static void adam(
      NDArray p,
      NDArray g,
      NDArray m,
      NDArray v,
      NDArray vmax,
      double lr,
      double beta1,
      double beta2,
      double eps,
      double weightDecay,
      boolean decoupled,
      long step) {
    float[] pv = Dense.array(p);
    float[] gv = Dense.array(g);
    float[] mv = Dense.array(m);
    float[] vv = Dense.array(v);
    float[] xv = vmax == null ? null : Dense.array(vmax);
    int po = p.offset();
    int go = g.offset();
    int mo = m.offset();
    int vo = v.offset();
    int xo = vmax == null ? 0 : vmax.offset();
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2 = 1 - Math.pow(beta2, step);
    float stepSize = (float) (lr / bc1);
    float invSqrtBc2 = (float) (1 / Math.sqrt(bc2));
    float b1 = (float) beta1;
    float b2 = (float) beta2;
    float fe = (float) eps;
    float decay = decoupled ? (float) (1 - lr * weightDecay) : 1f;
    float wd = decoupled ? 0f : (float) weightDecay;
    float omb1 = (float) (1 - beta1); // in double, then rounded once, as PyTorch does
    float omb2 = (float) (1 - beta2);
    int n = p.numel();
    int i = 0;
    int bound = S.loopBound(n);
    for (; i < bound; i += S.length()) { // the same operations as the scalar loop below
      FloatVector param = FloatVector.fromArray(S, pv, po + i).mul(decay);
      FloatVector grad = FloatVector.fromArray(S, gv, go + i).add(param.mul(wd));
      FloatVector mi = FloatVector.fromArray(S, mv, mo + i).mul(b1).add(grad.mul(omb1));
      FloatVector vi = FloatVector.fromArray(S, vv, vo + i).mul(b2).add(grad.mul(omb2).mul(grad));
      mi.intoArray(mv, mo + i);
      vi.intoArray(vv, vo + i);
      if (xv != null) {
        vi = FloatVector.fromArray(S, xv, xo + i).max(vi);
        vi.intoArray(xv, xo + i);
      }
      FloatVector denom = vi.sqrt().mul(invSqrtBc2).add(fe);
      param.sub(mi.mul(stepSize).div(denom)).intoArray(pv, po + i);
    }
    for (; i < n; i++) {
      float param = pv[po + i] * decay;
      float grad = gv[go + i] + param * wd;
      float mi = mv[mo + i] * b1 + grad * omb1;
      float vi = vv[vo + i] * b2 + grad * omb2 * grad;
      mv[mo + i] = mi;
      vv[vo + i] = vi;
      if (xv != null) {
        vi = Math.max(xv[xo + i], vi);
        xv[xo + i] = vi;
      }
      float denom = (float) Math.sqrt(vi) * invSqrtBc2 + fe;
      pv[po + i] = param - mi * stepSize / denom;
    }
  }

  /**
   * RMSprop: g ← g + wd·p; s = α·s + (1 − α)·g²; centered: ḡ = α·ḡ + (1 − α)·g and a = √(s − ḡ²) +
   * eps, else a = √s + eps; with momentum b = μ·b + g/a and p −= lr·b, else p −= lr·g/a. One scalar
   * pass ({@code gradAvg} is null unless centered, {@code buf} null without momentum).
   */
  static void rmsprop(
      NDArray p,
      NDArray g,
      NDArray squareAvg,
      NDArray gradAvg,
      NDArray buf,
      double lr,
      double alpha,
      double eps,
      double weightDecay,
      double momentum) {
    float[] pv = Dense.array(p);
    float[] gv = Dense.array(g);
    float[] sv = Dense.array(squareAvg);
    float[] av = gradAvg == null ? null : Dense.array(gradAvg);
    float[] bv = buf == null ? null : Dense.array(buf);
    int po = p.offset();
    int go = g.offset();
    int so = squareAvg.offset();
    int ao = gradAvg == null ? 0 : gradAvg.offset();
    int bo = buf == null ? 0 : buf.offset();
    float a = (float) alpha;
    float oma = (float) (1 - alpha);
    float wd = (float) weightDecay;
    float fe = (float) eps;
    float flr = (float) lr;
    float mom = (float) momentum;
    int n = p.numel();
    for (int i = 0; i < n; i++) {
      float grad = gv[go + i] + pv[po + i] * wd;
      float sq = sv[so + i] * a + grad * oma * grad;
      sv[so + i] = sq;
      float avg;
      if (av != null) {
        float ga = av[ao + i] * a + grad * oma;
        av[ao + i] = ga;
        avg = (float) Math.sqrt(sq - ga * ga) + fe;
      } else {
        avg = (float) Math.sqrt(sq) + fe;
      }
      if (bv != null) {
        float b = bv[bo + i] * mom + grad / avg;
        bv[bo + i] = b;
        pv[po + i] -= flr * b;
      } else {
        pv[po + i] -= flr * (grad / avg);
      }
    }
  }

  /** Adagrad: g ← g + wd·p; s += g²; p −= clr·g/(√s + eps). One scalar pass. */
  static void adagrad(
      NDArray p, NDArray g, NDArray sum, double clr, double weightDecay, double eps) {
    float[] pv = Dense.array(p);
    float[] gv = Dense.array(g);
    float[] sv = Dense.array(sum);
    int po = p.offset();
    int go = g.offset();
    int so = sum.offset();
    float wd = (float) weightDecay;
    float fe = (float) eps;
    float lr = (float) clr;
    int n = p.numel();
    for (int i = 0; i < n; i++) {
      float grad = gv[go + i] + pv[po + i] * wd;
      float s = sv[so + i] + grad * grad;
      sv[so + i] = s;
      pv[po + i] -= lr * (grad / ((float) Math.sqrt(s) + fe));
    }
  }
}
