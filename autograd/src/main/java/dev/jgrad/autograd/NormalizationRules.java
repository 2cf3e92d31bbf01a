package dev.jgrad.autograd;

import dev.jgrad.autograd.Graph.Saves;
import dev.jgrad.tensor.NDArray;

/**
 * Layer norm and RMS norm over the trailing {@code normalizedShape} dims. The forward is the tensor
 * module's one-pass row kernel; the gradients are written with Tensor ops from the saved inputs, so
 * they are differentiable again. With x̂ = (x − μ)·r, r = 1/√(σ² + ε), and gw = g·w (g without a
 * weight), means taken over each row of n elements:
 *
 * <pre>
 *   layer norm:  dx = r · (gw − mean(gw) − x̂ · mean(gw · x̂))
 *   RMS norm:    dx = r · (gw − x̂ · mean(gw · x̂))          with x̂ = x·r, r = 1/√(mean(x²) + ε)
 *   both:        dw = Σ_rows g · x̂,   db = Σ_rows g
 * </pre>
 *
 * The input's gradient is a {@link FusedFormula} ({@link NormGrad}): first-order backward runs it
 * as one kernel with the same bits.
 */
final class NormalizationRules {
  private NormalizationRules() {}

  /** The dims -k..-1 that a normalized shape of k dims covers. */
  private static int[] trailing(int k) {
    int[] dims = new int[k];
    for (int i = 0; i < k; i++) {
      dims[i] = i - k;
    }
    return dims;
  }

  static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
    int[] shape = normalizedShape.clone();
    NDArray out =
        x.data()
            .layerNorm(
                shape,
                weight == null ? null : weight.data(),
                bias == null ? null : bias.data(),
                eps);
    int[] dims = trailing(shape.length);
    Formula dx = new NormGrad(x, weight, dims, eps, true);
    Formula dw =
        (g, y) -> {
          Tensor centred = x.sub(x.mean(dims, true));
          Tensor xhat = centred.mul(centred.square().mean(dims, true).add(eps).rsqrt());
          return g.mul(xhat).sumTo(shape);
        };
    Formula db = (g, y) -> g.sumTo(shape);
    return record("LayerNorm", out, x, weight, bias, dx, dw, db);
  }

  static Tensor rmsNorm(Tensor x, int[] normalizedShape, Tensor weight, double eps) {
    int[] shape = normalizedShape.clone();
    NDArray out = x.data().rmsNorm(shape, weight == null ? null : weight.data(), eps);
    int[] dims = trailing(shape.length);
    Formula dx = new NormGrad(x, weight, dims, eps, false);
    Formula dw = (g, y) -> g.mul(x.mul(x.square().mean(dims, true).add(eps).rsqrt())).sumTo(shape);
    return record("RmsNorm", out, x, weight, null, dx, dw, null);
  }

  /**
   * d/dx of layer norm ({@code centre}) or RMS norm: r·(gw − mean(gw) − x̂·mean(gw·x̂)), without
   * the mean(gw) term for RMS norm; fused: {@link GradKernels#normBackward}, which computes the
   * same row means with the same reductions and fuses the elementwise passes around them.
   */
  record NormGrad(Tensor x, Tensor weight, int[] dims, double eps, boolean centre)
      implements FusedFormula {
    @Override
    public Tensor composed(Tensor g, Tensor y) {
      Tensor centred = centre ? x.sub(x.mean(dims, true)) : x;
      Tensor r = centred.square().mean(dims, true).add(eps).rsqrt();
      Tensor xhat = centred.mul(r);
      Tensor gw = weight == null ? g : g.mul(weight);
      Tensor m2 = gw.mul(xhat).mean(dims, true);
      Tensor inner = centre ? gw.sub(gw.mean(dims, true)) : gw;
      return r.mul(inner.sub(xhat.mul(m2)));
    }

    @Override
    public NDArray fused(NDArray g, NDArray y) {
      return GradKernels.normBackward(
          g, x.data(), weight == null ? null : weight.data(), dims, eps, centre);
    }
  }

  /** Records the op with the inputs that are present (weight and bias may be null). */
  private static Tensor record(
      String op,
      NDArray out,
      Tensor x,
      Tensor weight,
      Tensor bias,
      Formula dx,
      Formula dw,
      Formula db) {
    if (weight != null && bias != null) {
      return Graph.record(
          op, out, Saves.INPUTS, new Tensor[] {x, weight, bias}, new Formula[] {dx, dw, db});
    }
    if (weight != null) {
      return Graph.record(op, out, Saves.INPUTS, x, weight, dx, dw);
    }
    if (bias != null) {
      return Graph.record(op, out, Saves.INPUTS, x, bias, dx, db);
    }
    return Graph.record(op, out, Saves.INPUTS, x, dx);
  }
}
