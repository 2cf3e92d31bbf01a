package dev.jgrad.autograd;

import dev.jgrad.autograd.Graph.Saves;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.kernel.Shapes;

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
 *
 * <p>Batch norm normalises each channel c (dim 1) of an (N, C, …) input over the m values of the
 * other dims; with x̂ = (x − μ_c)·r_c, r_c = 1/√(σ²_c + ε):
 *
 * <pre>
 *   training (μ, σ² the batch's):   dx = r·γ · (g − mean_c(g) − x̂ · mean_c(g · x̂))
 *   evaluation (μ, σ² given):       dx = r·γ · g
 *   both:                           dγ = Σ_c g · x̂,   dβ = Σ_c g
 * </pre>
 *
 * The training gradients of the input and of γ are {@link FusedFormula}s ({@link BatchNormGrad},
 * {@link BatchNormWeightGrad}).
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

  /**
   * Batch norm of an (N, C, …) input over every dim but the channel dim 1, with the batch's
   * statistics ({@code training}; running statistics that are given are updated in place, grad mode
   * off: running ← (1 − momentum)·running + momentum·batch, with the unbiased variance) or the
   * given running statistics. Weight and bias may be null. One node, "BatchNorm".
   */
  static Tensor batchNorm(
      Tensor x,
      Tensor runningMean,
      Tensor runningVar,
      Tensor weight,
      Tensor bias,
      boolean training,
      double momentum,
      double eps) {
    String op = "batchNorm";
    int[] shape = x.shape();
    if (shape.length < 2) {
      throw new IllegalArgumentException(
          op + ": expected an input of shape (N, C, ...), got shape " + Shapes.toString(shape));
    }
    if (!x.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(
          op + ": expects a floating-point input, got " + x.dtype() + " " + Shapes.toString(shape));
    }
    int channels = shape[1];
    Tensor[] perChannel = {runningMean, runningVar, weight, bias};
    String[] names = {"running_mean", "running_var", "weight", "bias"};
    for (int k = 0; k < 4; k++) {
      Tensor t = perChannel[k];
      if (t != null && (t.dim() != 1 || t.shape()[0] != channels)) {
        throw new IllegalArgumentException(
            String.format(
                "%s: %s of shape %s does not match the %d channels of the input of shape %s",
                op, names[k], Shapes.toString(t.shape()), channels, Shapes.toString(shape)));
      }
      if (t != null && t.dtype() != x.dtype()) {
        throw new IllegalArgumentException(
            String.format(
                "%s: %s is %s %s but the input is %s %s",
                op,
                names[k],
                t.dtype(),
                Shapes.toString(t.shape()),
                x.dtype(),
                Shapes.toString(shape)));
      }
    }
    if ((runningMean == null) != (runningVar == null)) {
      throw new IllegalArgumentException(
          op + ": running_mean and running_var must be given together");
    }
    if (!training && runningMean == null) {
      throw new IllegalArgumentException(
          op + ": running_mean and running_var are needed when not training");
    }
    int count = x.numel() / Math.max(1, channels);
    if (training && count == 1) {
      throw new IllegalArgumentException(
          op
              + ": expected more than 1 value per channel when training, got input of shape "
              + Shapes.toString(shape));
    }
    int[] dims = new int[shape.length - 1]; // every dim but the channel dim 1
    for (int d = 0, k = 0; d < shape.length; d++) {
      if (d != 1) {
        dims[k++] = d;
      }
    }
    int[] broadcast = new int[shape.length]; // [1, C, 1, …]
    java.util.Arrays.fill(broadcast, 1);
    broadcast[1] = channels;
    NDArray mean;
    NDArray invstd;
    if (training) {
      NDArray moments = x.data().channelMoments();
      mean = moments.select(0, 0);
      NDArray variance = moments.select(0, 1);
      invstd = variance.add(eps).rsqrt();
      if (runningMean != null) {
        try (GradMode.Scope off = Tensor.noGrad()) {
          Tensor unbiased = new Tensor(variance.mul((double) count / (count - 1)));
          runningMean.mulInPlace(1 - momentum).addInPlace(new Tensor(mean), momentum);
          runningVar.mulInPlace(1 - momentum).addInPlace(unbiased, momentum);
        }
      }
    } else {
      mean = runningMean.data().clone();
      invstd = runningVar.data().add(eps).rsqrt();
    }
    NDArray out =
        x.data()
            .channelNormalize(
                mean,
                invstd,
                weight == null ? null : weight.data(),
                bias == null ? null : bias.data());
    Formula dx;
    Formula dw;
    if (training) {
      ProductSums shared = new ProductSums();
      dx = new BatchNormGrad(x, weight, dims, broadcast, eps, mean, invstd, shared);
      dw = new BatchNormWeightGrad(x, dims, broadcast, eps, mean, invstd, shared);
    } else {
      Tensor mu = new Tensor(mean.reshape(broadcast));
      Tensor r = new Tensor(invstd.reshape(broadcast));
      dx = (g, y) -> g.mul(weight == null ? r : r.mul(weight.reshape(broadcast)));
      dw = (g, y) -> g.mul(x.sub(mu).mul(r)).sum(dims, false);
    }
    Formula db = (g, y) -> g.sum(dims, false);
    return record("BatchNorm", out, x, weight, bias, dx, dw, db);
  }

  /**
   * The mean and biased variance of each channel (dim 1) of x, [2, C], recorded as an op of its own
   * ("ChannelMoments") for the batch-norm formulas: with G its gradient, d/dx = G₀/n + G₁·2(x −
   * μ)/n (the μ-term of dσ²/dx vanishes, as Σ(x − μ) = 0).
   */
  static Tensor channelMoments(Tensor x) {
    int[] shape = x.shape();
    int[] broadcast = new int[shape.length];
    java.util.Arrays.fill(broadcast, 1);
    broadcast[1] = shape[1];
    double n = (double) x.numel() / Math.max(1, shape[1]);
    return Graph.record(
        "ChannelMoments",
        x.data().channelMoments(),
        Saves.INPUTS_AND_OUTPUT,
        x,
        (g, out) -> {
          Tensor mu = out.select(0, 0).reshape(broadcast);
          Tensor dMean = g.select(0, 0).reshape(broadcast).div(n);
          Tensor dVar = g.select(0, 1).reshape(broadcast).mul(2 / n);
          return x.sub(mu).mul(dVar).add(dMean);
        });
  }

  /**
   * μ and r = 1/√(σ² + ε) of training-mode batch norm, [1, C, 1, …], from the recorded {@link
   * #channelMoments} (the same NDArray calls as the forward, so the same bits).
   */
  private static Tensor[] batchStatistics(Tensor x, int[] broadcast, double eps) {
    Tensor moments = channelMoments(x);
    Tensor mu = moments.select(0, 0).reshape(broadcast);
    Tensor r = moments.select(0, 1).add(eps).rsqrt().reshape(broadcast);
    return new Tensor[] {mu, r};
  }

  /**
   * d/dx of training-mode batch norm: r·γ·(g − mean_c(g) − x̂·mean_c(g·x̂)), with μ and r from the
   * recorded {@link #channelMoments} of x (so the formula is differentiable again); fused: {@link
   * GradKernels#batchNormBackward}, which starts from the forward's μ and r (the same NDArray calls
   * on the same x), calls the same per-channel means on arrays of the same values and fuses the
   * elementwise steps around them.
   */
  record BatchNormGrad(
      Tensor x,
      Tensor weight,
      int[] dims,
      int[] broadcast,
      double eps,
      NDArray forwardMean,
      NDArray forwardInvstd,
      ProductSums shared)
      implements FusedFormula {
    @Override
    public Tensor composed(Tensor g, Tensor y) {
      Tensor[] stats = batchStatistics(x, broadcast, eps);
      Tensor r = stats[1];
      Tensor xhat = x.sub(stats[0]).mul(r);
      Tensor m1 = g.mean(dims, true);
      Tensor m2 = g.mul(xhat).mean(dims, true);
      Tensor scale = weight == null ? r : r.mul(weight.reshape(broadcast));
      return scale.mul(g.sub(m1).sub(xhat.mul(m2)));
    }

    @Override
    public NDArray fused(NDArray g, NDArray y) {
      NDArray mu = forwardMean.reshape(broadcast);
      NDArray r = forwardInvstd.reshape(broadcast);
      NDArray scale = weight == null ? r : r.mul(weight.data().reshape(broadcast));
      NDArray sums = shared.take(this, g);
      NDArray products = null;
      if (sums == null) {
        products = GradKernels.batchNormProducts(g, x.data(), mu, r);
        if (products == null) {
          return null;
        }
        sums = products.sum(dims, true);
        if (weight != null && weight.requiresGrad()) { // the weight's formula runs next
          shared.put(this, g, sums);
        }
      }
      int count = x.numel() / Math.max(1, x.shape()[1]);
      // products.mean(dims, true) is this sum divided by the count: the same bits; the products,
      // summed, are dead, so the result may overwrite them
      return GradKernels.batchNormBackward(
          g, x.data(), mu, r, scale, sums.div(count), dims, products);
    }
  }

  /**
   * d/dγ of training-mode batch norm: Σ_c g·x̂ with x̂ = (x − μ)·r from the recorded {@link
   * #channelMoments}; fused: {@link GradKernels#batchNormProducts} (one pass) summed by the same
   * NDArray call.
   */
  record BatchNormWeightGrad(
      Tensor x,
      int[] dims,
      int[] broadcast,
      double eps,
      NDArray forwardMean,
      NDArray forwardInvstd,
      ProductSums shared)
      implements FusedFormula {
    @Override
    public Tensor composed(Tensor g, Tensor y) {
      Tensor[] stats = batchStatistics(x, broadcast, eps);
      return g.mul(x.sub(stats[0]).mul(stats[1])).sum(dims, false);
    }

    @Override
    public NDArray fused(NDArray g, NDArray y) {
      NDArray sums = shared.take(this, g);
      if (sums == null) {
        NDArray products =
            GradKernels.batchNormProducts(
                g, x.data(), forwardMean.reshape(broadcast), forwardInvstd.reshape(broadcast));
        if (products == null) {
          return null;
        }
        sums = products.sum(dims, true);
        if (x.requiresGrad()) { // the input's formula runs too
          shared.put(this, g, sums);
        }
      }
      return sums.reshape(x.shape()[1]);
    }
  }

  /**
   * Σ_c g·x̂ ([1, C, 1, …]) of one batch-norm node, left by whichever of its two fused formulas
   * runs first for the other: the input's gradient needs it (divided by the count, it is
   * mean_c(g·x̂)), and the weight's gradient is it. Keyed by the identity of the gradient array and
   * taken once, so the other formula skips its pass over g·x̂; [C] floats, so nothing large
   * outlives the backward pass.
   */
  static final class ProductSums {
    private Object producer;
    private NDArray grad;
    private NDArray sums;

    /** The sums the other formula left for this very gradient array, or null. */
    synchronized NDArray take(Object consumer, NDArray g) {
      if (grad != g || producer == consumer) {
        return null;
      }
      NDArray s = sums;
      producer = null;
      grad = null;
      sums = null;
      return s;
    }

    synchronized void put(Object from, NDArray g, NDArray s) {
      producer = from;
      grad = g;
      sums = s;
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
