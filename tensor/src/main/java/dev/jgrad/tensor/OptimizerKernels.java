package dev.jgrad.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The parameter updates of the common optimizers, each one pass over the parameter in place with no
 * temporaries (FLOAT32, contiguous). The equations are PyTorch's; {@code dev.jgrad.optim} calls
 * these and composes NDArray ops for other dtypes or layouts.
 *
 * <pre>{@code
 * // p ← p − lr·(g + wd·p), with momentum buffer buf
 * OptimizerKernels.sgd(p, g, buf, 0.1, 0.9, 0, 0, false, step == 1);
 * }</pre>
 */
public final class OptimizerKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private OptimizerKernels() {}

  /**
   * True when the fused kernels apply: FLOAT32, contiguous, the same shape, no offset surprises.
   */
  public static boolean supports(NDArray... arrays) {
    for (NDArray a : arrays) {
      if (a != null
          && (a.dtype != DType.FLOAT32
              || !a.isContiguous()
              || !java.util.Arrays.equals(a.shape, arrays[0].shape))) {
        return false;
      }
    }
    return true;
  }

  private static float[] f(NDArray a) {
    return (float[]) a.data;
  }

  /**
   * SGD: d = g + wd·p; with momentum, buf = d on the first step, else momentum·buf + (1 −
   * dampening)·d, and d = nesterov ? d + momentum·buf : buf; then p −= lr·d.
   */
  public static void sgd(
      NDArray p,
      NDArray g,
      NDArray buf,
      double lr,
      double momentum,
      double dampening,
      double weightDecay,
      boolean nesterov,
      boolean firstStep) {
    float[] pv = f(p);
    float[] gv = f(g);
    float[] bv = buf == null ? null : f(buf);
    int po = p.offset;
    int go = g.offset;
    int bo = buf == null ? 0 : buf.offset;
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
   * v; p −= (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + eps).
   */
  public static void adam(
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
    float[] pv = f(p);
    float[] gv = f(g);
    float[] mv = f(m);
    float[] vv = f(v);
    float[] xv = vmax == null ? null : f(vmax);
    int po = p.offset;
    int go = g.offset;
    int mo = m.offset;
    int vo = v.offset;
    int xo = vmax == null ? 0 : vmax.offset;
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2 = 1 - Math.pow(beta2, step);
    float stepSize = (float) (lr / bc1);
    float invSqrtBc2 = (float) (1 / Math.sqrt(bc2));
    float b1 = (float) beta1;
    float b2 = (float) beta2;
    float fe = (float) eps;
    float decay = decoupled ? (float) (1 - lr * weightDecay) : 1f;
    float wd = decoupled ? 0f : (float) weightDecay;
    float omb1 = 1 - b1;
    float omb2 = 1 - b2;
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
   * pass ({@code gradAvg} and {@code buf} may be null).
   */
  public static void rmsprop(
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
    float[] pv = f(p);
    float[] gv = f(g);
    float[] sv = f(squareAvg);
    float[] av = gradAvg == null ? null : f(gradAvg);
    float[] bv = buf == null ? null : f(buf);
    float a = (float) alpha;
    float oma = (float) (1 - alpha);
    float wd = (float) weightDecay;
    float fe = (float) eps;
    float flr = (float) lr;
    float mom = (float) momentum;
    int n = p.numel();
    for (int i = 0; i < n; i++) {
      float grad = gv[g.offset + i] + pv[p.offset + i] * wd;
      float sq = sv[squareAvg.offset + i] * a + grad * oma * grad;
      sv[squareAvg.offset + i] = sq;
      float avg;
      if (av != null) {
        float ga = av[gradAvg.offset + i] * a + grad * oma;
        av[gradAvg.offset + i] = ga;
        avg = (float) Math.sqrt(sq - ga * ga) + fe;
      } else {
        avg = (float) Math.sqrt(sq) + fe;
      }
      if (bv != null) {
        float b = bv[buf.offset + i] * mom + grad / avg;
        bv[buf.offset + i] = b;
        pv[p.offset + i] -= flr * b;
      } else {
        pv[p.offset + i] -= flr * (grad / avg);
      }
    }
  }

  /** Adagrad: g ← g + wd·p; s += g²; p −= clr·g/(√s + eps). One scalar pass. */
  public static void adagrad(
      NDArray p, NDArray g, NDArray sum, double clr, double weightDecay, double eps) {
    float[] pv = f(p);
    float[] gv = f(g);
    float[] sv = f(sum);
    float wd = (float) weightDecay;
    float fe = (float) eps;
    float lr = (float) clr;
    int n = p.numel();
    for (int i = 0; i < n; i++) {
      float grad = gv[g.offset + i] + pv[p.offset + i] * wd;
      float s = sv[sum.offset + i] + grad * grad;
      sv[sum.offset + i] = s;
      pv[p.offset + i] -= lr * (grad / ((float) Math.sqrt(s) + fe));
    }
  }
}
