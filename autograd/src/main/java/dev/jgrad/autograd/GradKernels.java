package dev.jgrad.autograd;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.Parallel;
import dev.jgrad.tensor.kernel.Dense;
import dev.jgrad.tensor.kernel.Shapes;
import dev.jgrad.tensor.kernel.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused kernels of the {@link FusedFormula}s (and of binary cross-entropy's forward): one pass
 * and one result array where the formula composed of Tensor ops takes several. Each computes
 * exactly what its formula computes, element by element in the same order, so the results are the
 * same bits. Each covers dense FLOAT32 operands of one shape ({@link Dense#floats}) and returns
 * null for the others, which take the composed formula.
 *
 * <pre>{@code
 * NDArray dx = GradKernels.sigmoidBackward(dy, y); // dy·(y·(1 − y)), or null
 * }</pre>
 */
final class GradKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private GradKernels() {}

  /** g·(y·(1 − y)), the gradient of a sigmoid through its output y; null unless dense FLOAT32. */
  static NDArray sigmoidBackward(NDArray g, NDArray y) {
    if (!Dense.floats(g, y)) {
      return null;
    }
    int n = g.numel();
    NDArray out = Dense.newFloats(g.shape());
    float[] gd = Dense.array(g);
    float[] yd = Dense.array(y);
    float[] od = Dense.array(out);
    int go = g.offset();
    int yo = y.offset();
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += S.length()) {
      FloatVector yv = FloatVector.fromArray(S, yd, yo + i);
      FloatVector.fromArray(S, gd, go + i).mul(yv.mul(yv.neg().add(1f))).intoArray(od, i);
    }
    for (; i < n; i++) {
      float yi = yd[yo + i];
      od[i] = gd[go + i] * (yi * (-yi + 1f));
    }
    return out;
  }

  /** Elements per block of {@link #geluBackward}: its scratch fits in L1 beside the operands. */
  private static final int GELU_BLOCK = 2048;

  /** Blocks of {@link #geluBackward} per parallel range: about 64 K elements. */
  private static final int GELU_GRAIN = 32;

  /**
   * g·(Φ(x) + x·φ(x)), the gradient of the exact GELU x·Φ(x) through its input x, with Φ(x) = (1 +
   * erf(x·(1/√2)))·½ and φ(x) = e^(x²·(−½))·(1/√(2π)) computed as {@link
   * ActivationRules.GeluGrad}'s composed formula does, op by op; null unless dense FLOAT32. Blocks
   * of {@value #GELU_BLOCK} elements: erf and e^(−x²/2) into a scratch pair (the same kernels as
   * the erf and exp ops), then one SIMD pass combining them. Blocks are shared among threads; each
   * element's bits do not depend on its block.
   */
  static NDArray geluBackward(NDArray g, NDArray x, float invSqrt2, float invSqrt2Pi) {
    if (!Dense.floats(g, x)) {
      return null;
    }
    int n = g.numel();
    NDArray out = Dense.newFloats(g.shape());
    float[] gd = Dense.array(g);
    float[] xd = Dense.array(x);
    float[] od = Dense.array(out);
    int go = g.offset();
    int xo = x.offset();
    int blocks = (n + GELU_BLOCK - 1) / GELU_BLOCK;
    Parallel.forEachRange(
        blocks,
        GELU_GRAIN,
        (from, to) -> {
          float[] pdf = new float[GELU_BLOCK];
          for (int b = from; b < to; b++) {
            int start = b * GELU_BLOCK;
            int len = Math.min(GELU_BLOCK, n - start);
            geluBackwardBlock(
                gd, go + start, xd, xo + start, od, start, pdf, len, invSqrt2, invSqrt2Pi);
          }
        });
    return out;
  }

  private static void geluBackwardBlock(
      float[] gd,
      int go,
      float[] xd,
      int xo,
      float[] od,
      int oo,
      float[] pdf,
      int n,
      float invSqrt2,
      float invSqrt2Pi) {
    VectorMath.erf(xd, xo, invSqrt2, od, oo, n); // erf(x·(1/√2)) into the result
    int i = 0;
    int bound = S.loopBound(n);
    for (; i < bound; i += S.length()) {
      FloatVector xv = FloatVector.fromArray(S, xd, xo + i);
      xv.mul(xv).mul(-0.5f).intoArray(pdf, i);
    }
    for (; i < n; i++) {
      float xi = xd[xo + i];
      pdf[i] = xi * xi * -0.5f;
    }
    VectorMath.exp(pdf, 0, 1f, 0f, pdf, 0, n);
    for (i = 0; i < bound; i += S.length()) {
      FloatVector xv = FloatVector.fromArray(S, xd, xo + i);
      FloatVector cdf = FloatVector.fromArray(S, od, oo + i).add(1f).mul(0.5f);
      FloatVector xPdf = xv.mul(FloatVector.fromArray(S, pdf, i).mul(invSqrt2Pi));
      FloatVector.fromArray(S, gd, go + i).mul(cdf.add(xPdf)).intoArray(od, oo + i);
    }
    for (; i < n; i++) {
      float cdf = (od[oo + i] + 1f) * 0.5f;
      od[oo + i] = gd[go + i] * (cdf + xd[xo + i] * (pdf[i] * invSqrt2Pi));
    }
  }

  /**
   * g·sign(y), the gradient of a ReLU through its output y ≥ 0: g where y > 0, 0·g where y = 0 (NaN
   * stays NaN); null unless dense FLOAT32.
   */
  static NDArray reluBackward(NDArray g, NDArray y) {
    if (!Dense.floats(g, y)) {
      return null;
    }
    int n = g.numel();
    NDArray out = Dense.newFloats(g.shape());
    float[] gd = Dense.array(g);
    float[] yd = Dense.array(y);
    float[] od = Dense.array(out);
    int go = g.offset();
    int yo = y.offset();
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += S.length()) {
      FloatVector yv = FloatVector.fromArray(S, yd, yo + i);
      // sign(y) for y ≥ 0: 1 where y > 0, y itself (0 or NaN) elsewhere
      FloatVector sign = yv.blend(1f, yv.compare(VectorOperators.GT, 0f));
      FloatVector.fromArray(S, gd, go + i).mul(sign).intoArray(od, i);
    }
    for (; i < n; i++) {
      od[i] = gd[go + i] * Math.signum(yd[yo + i]);
    }
    return out;
  }

  /**
   * g − e^o·Σ_dim g, the gradient of a log-softmax over {@code dim} through its output o, for rows
   * along the last dim: the row sums from the tensor module's reduction (the composed formula's
   * own), the exps of all rows in one SIMD pass, then one pass for the rest. Null unless dense
   * FLOAT32 with {@code dim} the last dim.
   */
  static NDArray logSoftmaxBackward(NDArray g, NDArray o, int dim) {
    int last = o.rank() - 1;
    if (!Dense.floats(g, o)
        || last < 0
        || Shapes.normalizeDim("logSoftmax", dim, o.rank()) != last) {
      return null;
    }
    int n = o.shape(last);
    int total = o.numel();
    NDArray sums = g.sum(last, true); // contiguous, one per row
    NDArray out = Dense.newFloats(o.shape());
    float[] gd = Dense.array(g);
    float[] sd = Dense.array(sums);
    float[] od = Dense.array(out);
    int go = g.offset();
    int so = sums.offset();
    VectorMath.exp(Dense.array(o), o.offset(), 1f, 0f, od, 0, total);
    for (int r = 0, row = 0; n > 0 && r < total; r += n, row++) {
      float sum = sd[so + row];
      for (int i = r; i < r + n; i++) {
        od[i] = gd[go + i] - od[i] * sum;
      }
    }
    return out;
  }

  /**
   * −(y·max(log p, −100) + (1 − y)·max(log(1 − p), −100)), binary cross-entropy of probabilities p
   * against targets y of p's shape ({@link LossRules#binaryCrossEntropyFormula}); null unless dense
   * FLOAT32.
   *
   * @throws IllegalArgumentException if some p is outside [0, 1]
   */
  static NDArray binaryCrossEntropy(NDArray p, NDArray y) {
    if (!Dense.floats(p, y)) {
      return null;
    }
    float[] pd = Dense.array(p);
    float[] yd = Dense.array(y);
    int po = p.offset();
    int yo = y.offset();
    int n = p.numel();
    float[] log1mP = new float[n];
    for (int i = 0; i < n; i++) {
      float pi = pd[po + i];
      if (pi < 0 || pi > 1) {
        throw LossRules.notProbabilities(p.shape(), pi);
      }
      log1mP[i] = -pi + 1f;
    }
    NDArray out = Dense.newFloats(p.shape());
    float[] od = Dense.array(out);
    VectorMath.log(pd, po, od, 0, n); // log p here, then the loss in place
    VectorMath.log(log1mP, 0, log1mP, 0, n);
    for (int i = 0; i < n; i++) {
      float yi = yd[yo + i];
      float logP = Math.max(od[i], LossRules.BCE_LOG_MIN);
      od[i] = -(yi * logP + (-yi + 1f) * Math.max(log1mP[i], LossRules.BCE_LOG_MIN));
    }
    return out;
  }

  /**
   * g·(p − y) / max(p·(1 − p), 10⁻¹²), the gradient of binary cross-entropy with respect to p; null
   * unless dense FLOAT32.
   */
  static NDArray binaryCrossEntropyBackward(NDArray g, NDArray p, NDArray y) {
    if (!Dense.floats(g, p, y)) {
      return null;
    }
    int n = p.numel();
    NDArray out = Dense.newFloats(p.shape());
    float[] gd = Dense.array(g);
    float[] pd = Dense.array(p);
    float[] yd = Dense.array(y);
    float[] od = Dense.array(out);
    int go = g.offset();
    int po = p.offset();
    int yo = y.offset();
    for (int i = 0; i < n; i++) {
      float pi = pd[po + i];
      od[i] = gd[go + i] * (pi - yd[yo + i]) / Math.max(pi * (-pi + 1f), LossRules.BCE_EPSILON);
    }
    return out;
  }

  /**
   * {@link NormalizationRules.NormGrad}'s d/dx of layer norm ({@code centre}) or RMS norm over the
   * trailing {@code dims}: the row means come from the same NDArray reductions the composed formula
   * calls, on arrays of the same values; the elementwise steps around them, which the formula runs
   * as eight passes with an array each, run as three passes here. Null unless g, x (and the weight)
   * are dense FLOAT32.
   */
  static NDArray normBackward(
      NDArray g, NDArray x, NDArray w, int[] dims, double eps, boolean centre) {
    if (!Dense.floats(g, x) || (w != null && (w.dtype() != DType.FLOAT32 || !w.isContiguous()))) {
      return null;
    }
    int[] shape = x.shape();
    int total = x.numel();
    int n = 1;
    for (int d = shape.length - dims.length; d < shape.length; d++) {
      n *= shape[d];
    }
    NDArray out = Dense.newFloats(shape);
    if (total == 0) {
      return out;
    }
    int rows = total / n;
    float[] xd = Dense.array(x);
    float[] gd = Dense.array(g);
    float[] wd = w == null ? null : Dense.array(w);
    int xo = x.offset();
    int go = g.offset();
    int wo = w == null ? 0 : w.offset();
    NDArray means = centre ? x.mean(dims, true) : null;
    float[] md = centre ? Dense.array(means) : null;
    int mo = centre ? means.offset() : 0;
    // pass 1: the squares of the centred values, for the variance (the mean square for RMS)
    NDArray squares = Dense.newFloats(shape);
    float[] sq = Dense.array(squares);
    for (int r = 0; r < rows; r++) {
      float mean = centre ? md[mo + r] : 0f;
      for (int i = r * n; i < (r + 1) * n; i++) {
        float c = centre ? xd[xo + i] - mean : xd[xo + i];
        sq[i] = c * c;
      }
    }
    NDArray rstd = squares.mean(dims, true).add(eps).rsqrt();
    float[] rd = Dense.array(rstd);
    int ro = rstd.offset();
    // pass 2: gw = g·w and gw·x̂, for their row means
    NDArray gwArray = w == null ? g : Dense.newFloats(shape);
    float[] gw = Dense.array(gwArray);
    int gwo = gwArray.offset();
    NDArray products = Dense.newFloats(shape);
    float[] pd = Dense.array(products);
    for (int r = 0; r < rows; r++) {
      float mean = centre ? md[mo + r] : 0f;
      float rs = rd[ro + r];
      for (int i = r * n, j = 0; j < n; i++, j++) {
        float c = centre ? xd[xo + i] - mean : xd[xo + i];
        float gwi = w == null ? gd[go + i] : gd[go + i] * wd[wo + j];
        if (w != null) {
          gw[i] = gwi;
        }
        pd[i] = gwi * (c * rs);
      }
    }
    NDArray m2 = products.mean(dims, true);
    NDArray m1 = centre ? gwArray.mean(dims, true) : null;
    float[] m2d = Dense.array(m2);
    float[] m1d = centre ? Dense.array(m1) : null;
    int m2o = m2.offset();
    int m1o = centre ? m1.offset() : 0;
    // pass 3: r·((gw − m1) − x̂·m2)
    float[] od = Dense.array(out);
    for (int r = 0; r < rows; r++) {
      float mean = centre ? md[mo + r] : 0f;
      float rs = rd[ro + r];
      float a = m2d[m2o + r];
      float b = centre ? m1d[m1o + r] : 0f;
      for (int i = r * n; i < (r + 1) * n; i++) {
        float c = centre ? xd[xo + i] - mean : xd[xo + i];
        float gwi = gw[gwo + i];
        float inner = centre ? gwi - b : gwi;
        od[i] = rs * (inner - (c * rs) * a);
      }
    }
    return out;
  }

  /**
   * g·x̂ with x̂ = (x − μ)·r per channel (dim 1), μ and r [1, C, 1, …]: the products whose
   * per-channel sums give batch norm's weight gradient and the mean in its input gradient, computed
   * as {@code g.mul(x.sub(μ).mul(r))} computes them, in one SIMD pass over each channel's rows.
   * Null unless g and x are dense FLOAT32 of one shape and μ and r contiguous FLOAT32.
   */
  static NDArray batchNormProducts(NDArray g, NDArray x, NDArray mu, NDArray r) {
    if (!Dense.floats(g, x) || !Dense.floats(mu, r)) {
      return null;
    }
    int[] shape = x.shape();
    NDArray out = Dense.newFloats(shape);
    if (x.numel() == 0) {
      return out;
    }
    int channels = shape[1];
    int inner = x.numel() / (shape[0] * channels);
    int rows = shape[0] * channels;
    float[] xd = Dense.array(x);
    float[] gd = Dense.array(g);
    float[] md = Dense.array(mu);
    float[] rd = Dense.array(r);
    float[] od = Dense.array(out);
    int xo = x.offset();
    int go = g.offset();
    int mo = mu.offset();
    int ro = r.offset();
    for (int row = 0; row < rows; row++) {
      int ch = row % channels;
      float m = md[mo + ch];
      float rs = rd[ro + ch];
      FloatVector vm = FloatVector.broadcast(S, m);
      FloatVector vr = FloatVector.broadcast(S, rs);
      int at = row * inner;
      int i = 0;
      for (int bound = S.loopBound(inner); i < bound; i += S.length()) {
        FloatVector xhat = FloatVector.fromArray(S, xd, xo + at + i).sub(vm).mul(vr);
        FloatVector.fromArray(S, gd, go + at + i).mul(xhat).intoArray(od, at + i);
      }
      for (; i < inner; i++) {
        od[at + i] = gd[go + at + i] * ((xd[xo + at + i] - m) * rs);
      }
    }
    return out;
  }

  /**
   * scale·((g − mean_c(g)) − x̂·m2) per channel c (dim 1), x̂ = (x − μ)·r, the input gradient of
   * training-mode batch norm (scale = r·γ, m2 = mean_c(g·x̂) from the products of {@link
   * #batchNormProducts}): g averaged by the same NDArray call as {@link
   * NormalizationRules.BatchNormGrad#composed}, then one SIMD pass for the result. μ, r, scale and
   * m2 are [1, C, 1, …]; {@code into}, when not null, is a dense FLOAT32 array of x's shape that
   * nothing reads any more (the products), which the result overwrites. Null unless g and x are
   * dense FLOAT32 and the statistics FLOAT32.
   */
  static NDArray batchNormBackward(
      NDArray g,
      NDArray x,
      NDArray mu,
      NDArray r,
      NDArray scale,
      NDArray m2,
      int[] dims,
      NDArray into) {
    if (!Dense.floats(g, x) || !Dense.floats(mu, r, scale, m2)) {
      return null;
    }
    int[] shape = x.shape();
    NDArray out = into != null && into.offset() == 0 ? into : Dense.newFloats(shape);
    if (x.numel() == 0) {
      return out;
    }
    int channels = shape[1];
    int inner = x.numel() / (shape[0] * channels);
    int rows = shape[0] * channels;
    NDArray m1 = g.mean(dims, true);
    float[] xd = Dense.array(x);
    float[] gd = Dense.array(g);
    float[] md = Dense.array(mu);
    float[] rd = Dense.array(r);
    float[] m2d = Dense.array(m2);
    float[] m1d = Dense.array(m1);
    float[] sd = Dense.array(scale);
    float[] od = Dense.array(out);
    int xo = x.offset();
    int go = g.offset();
    int mo = mu.offset();
    int ro = r.offset();
    int m2o = m2.offset();
    int m1o = m1.offset();
    int so = scale.offset();
    for (int row = 0; row < rows; row++) {
      int ch = row % channels;
      float m = md[mo + ch];
      float rs = rd[ro + ch];
      float a = m2d[m2o + ch];
      float b = m1d[m1o + ch];
      float s = sd[so + ch];
      FloatVector vm = FloatVector.broadcast(S, m);
      FloatVector vr = FloatVector.broadcast(S, rs);
      FloatVector va = FloatVector.broadcast(S, a);
      FloatVector vb = FloatVector.broadcast(S, b);
      FloatVector vs = FloatVector.broadcast(S, s);
      int at = row * inner;
      int i = 0;
      for (int bound = S.loopBound(inner); i < bound; i += S.length()) {
        FloatVector xhat = FloatVector.fromArray(S, xd, xo + at + i).sub(vm).mul(vr);
        FloatVector centred = FloatVector.fromArray(S, gd, go + at + i).sub(vb);
        vs.mul(centred.sub(xhat.mul(va))).intoArray(od, at + i);
      }
      for (; i < inner; i++) {
        float xhat = (xd[xo + at + i] - m) * rs;
        od[at + i] = s * ((gd[go + at + i] - b) - xhat * a);
      }
    }
    return out;
  }
}
