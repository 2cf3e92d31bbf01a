package dev.jgrad.autograd;

import dev.jgrad.autograd.Graph.Saves;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.ValuesAndIndices;
import dev.jgrad.tensor.kernel.Shapes;
import java.util.Arrays;

/**
 * Reductions over dims (all of them when {@code dims} is empty) and the softmax family. The
 * gradient of a reduction is the output's gradient put back in the kept shape and broadcast over
 * the input ({@link #spread}), times what each element contributed. Log-softmax, on every
 * classification step, has its gradient as a {@link FusedFormula}.
 */
final class ReductionRules {
  private ReductionRules() {}

  /** d/dxᵢ Σx = 1. */
  static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
    int[] d = dims.clone();
    return Graph.record(
        "Sum", x.data().sum(d, keepDim), Saves.NOTHING, x, (g, out) -> spread("sum", g, x, d));
  }

  /** d/dxᵢ (Σx / n) = 1/n. */
  static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
    int[] d = dims.clone();
    double count = (double) x.numel() / Math.max(1, Shapes.numel(keptShape("mean", x, d)));
    return Graph.record(
        "Mean",
        x.data().mean(d, keepDim),
        Saves.NOTHING,
        x,
        (g, out) -> spread("mean", g, x, d).div(count));
  }

  /** The product of all elements. */
  static Tensor prod(Tensor x) {
    return x.reshape(-1).prod(0, false);
  }

  /**
   * d/dxᵢ Πx = the product of the other elements of the slice: out/xᵢ when the slice has no zero;
   * when it has one zero, the product of the non-zeros at that zero and 0 elsewhere; 0 everywhere
   * with two or more zeros. Written with Tensor ops (masks are constants), so it is differentiable
   * again.
   */
  static Tensor prod(Tensor x, int dim, boolean keepDim) {
    int d = Shapes.normalizeDim("prod", dim, Math.max(x.dim(), 1));
    int[] dims = {d};
    return Graph.record(
        "Prod",
        x.data().prod(d, keepDim),
        Saves.INPUTS,
        x,
        (g, out) -> {
          NDArray isZero = x.data().eq(0).to(x.dtype());
          NDArray zeros = isZero.sum(dims, true);
          Tensor one = Tensor.scalar(1).to(x.dtype());
          Tensor safe = Tensor.where(Graph.constant(isZero), one, x);
          Tensor others = safe.prod(d, true); // the product of the non-zero elements
          Tensor noZero = others.div(safe).mul(Graph.constant(zeros.eq(0).to(x.dtype())));
          Tensor oneZero = others.mul(Graph.constant(zeros.eq(1).to(x.dtype()).mul(isZero)));
          return spread("prod", g, x, dims).mul(noZero.add(oneZero));
        });
  }

  /** Sums the broadcast dims away: the gradient is expanded back. */
  static Tensor sumTo(Tensor x, int[] target) {
    int[] inShape = x.shape();
    if (Arrays.equals(inShape, target)) {
      return x;
    }
    return Graph.record(
        "SumTo", x.data().sumTo(target), Saves.NOTHING, x, (g, out) -> g.expand(inShape));
  }

  /** The largest values: the gradient goes to the maxima, split evenly between ties. */
  static Tensor amax(Tensor x, int[] dims, boolean keepDim) {
    return extremeOver("Amax", "amax", x, x.data().amax(dims, true), dims, keepDim);
  }

  /** The smallest values: the gradient goes to the minima, split evenly between ties. */
  static Tensor amin(Tensor x, int[] dims, boolean keepDim) {
    return extremeOver("Amin", "amin", x, x.data().amin(dims, true), dims, keepDim);
  }

  /** d/dxᵢ max x = 1/(number of maxima) at each maximum, 0 elsewhere (likewise for min). */
  private static Tensor extremeOver(
      String op, String name, Tensor x, NDArray kept, int[] dims, boolean keepDim) {
    int[] d = dims.clone();
    NDArray hits = x.data().eq(kept).to(x.dtype());
    Tensor share = Graph.constant(hits.div(hits.sum(d, true)));
    NDArray result = keepDim ? kept : kept.reshape(squeezedShape(name, x, d));
    return Graph.record(op, result, Saves.INPUTS, x, (g, out) -> spread(name, g, x, d).mul(share));
  }

  /** The values at the indices of the maxima (or minima): the gradient flows to those indices. */
  static IndexedValues located(Tensor x, ValuesAndIndices found, int dim, boolean keepDim) {
    Tensor indices = Graph.constant(found.indices());
    Tensor values = x.gather(dim, indices);
    if (!keepDim) {
      values = values.squeeze(dim);
      indices = indices.squeeze(dim);
    }
    return new IndexedValues(values, indices);
  }

  /** Σ(x − mean)² / (N − correction), composed of differentiable ops; {@code op} names errors. */
  static Tensor variance(String op, Tensor x, int[] dims, int correction, boolean keepDim) {
    int n = x.numel() / Math.max(1, Shapes.numel(keptShape(op, x, dims)));
    Tensor centered = x.sub(x.mean(dims, true));
    return centered.square().sum(dims, keepDim).div((double) n - correction);
  }

  /** (Σ|x|ᵖ)^(1/p), composed of differentiable ops; p = ∞ gives max |x|. */
  static Tensor norm(Tensor x, double p, int[] dims, boolean keepDim) {
    keptShape("norm", x, dims); // checks the dims, naming this op
    if (p == 2) {
      return x.square().sum(dims, keepDim).sqrt();
    }
    if (p == 1) {
      return x.abs().sum(dims, keepDim);
    }
    if (p == Double.POSITIVE_INFINITY) {
      return x.abs().amax(dims, keepDim);
    }
    return x.abs().pow(p).sum(dims, keepDim).pow(1.0 / p);
  }

  /**
   * log Σ eˣ, shifted by the (constant) max for stability: for any constant m, log Σ eˣ = m + log Σ
   * e^(x−m), so the gradient is the softmax either way.
   */
  static Tensor logsumexp(Tensor x, int[] dims, boolean keepDim) {
    int[] squeezed = squeezedShape("logsumexp", x, dims);
    NDArray m = x.data().amax(dims, true);
    m = m.maskedFill(m.abs().eq(Double.POSITIVE_INFINITY), 0);
    Tensor shift = Graph.constant(m);
    Tensor out = x.sub(shift).exp().sum(dims, true).log().add(shift);
    return keepDim ? out : out.reshape(squeezed);
  }

  /** softmax along a dim (fused forward): d/dx = s ⊙ (g − Σ g ⊙ s), s the output. */
  static Tensor softmax(Tensor x, int dim) {
    return Graph.record(
        "Softmax",
        x.data().softmax(dim),
        Saves.OUTPUT,
        x,
        (g, s) -> s.mul(g.sub(g.mul(s).sum(dim, true))));
  }

  /** log-softmax along a dim (fused, stable): d/dx = g − softmax·Σg, where softmax = e^out. */
  static Tensor logSoftmax(Tensor x, int dim) {
    return Graph.record(
        "LogSoftmax", x.data().logSoftmax(dim), Saves.OUTPUT, x, new LogSoftmaxGrad(dim));
  }

  /** g − eᵒ·Σ_dim g through the output o; fused: {@link GradKernels#logSoftmaxBackward}. */
  record LogSoftmaxGrad(int dim) implements FusedFormula {
    @Override
    public Tensor composed(Tensor g, Tensor o) {
      return g.sub(o.exp().mul(g.sum(dim, true)));
    }

    @Override
    public NDArray fused(NDArray g, NDArray o) {
      return GradKernels.logSoftmaxBackward(g, o, dim);
    }
  }

  // ------------------------------------------------------------------ shapes of reductions

  /** The gradient of a reduction, put back in the kept shape and broadcast over the input. */
  private static Tensor spread(String op, Tensor g, Tensor x, int[] dims) {
    return g.reshape(keptShape(op, x, dims)).expand(x.shape());
  }

  /**
   * {@code dims[i]} in [0, rank), like PyTorch's {@code dim=-1}.
   *
   * @throws IndexOutOfBoundsException naming {@code op} when the dim is out of range
   * @throws IllegalArgumentException naming {@code op} when it repeats an earlier dim
   */
  private static int checkedDim(String op, int rank, int[] dims, int i) {
    int d = Shapes.normalizeDim(op, dims[i], rank);
    for (int j = 0; j < i && rank > 0; j++) {
      if (Shapes.normalizeDim(op, dims[j], rank) == d) {
        throw new IllegalArgumentException(
            op + ": dim " + d + " appears twice in " + Arrays.toString(dims));
      }
    }
    return d;
  }

  /** x's shape with the reduced dims (all when {@code dims} is empty) kept as size 1. */
  private static int[] keptShape(String op, Tensor x, int[] dims) {
    int[] s = x.shape();
    if (dims.length == 0) {
      Arrays.fill(s, 1);
    }
    for (int i = 0; i < dims.length; i++) {
      int d = checkedDim(op, s.length, dims, i);
      if (s.length > 0) { // a 0-d tensor has nothing to reduce; dim 0 and −1 name it
        s[d] = 1;
      }
    }
    return s;
  }

  /** x's shape without the reduced dims. */
  private static int[] squeezedShape(String op, Tensor x, int[] dims) {
    int[] s = x.shape();
    boolean[] reduced = new boolean[s.length];
    Arrays.fill(reduced, dims.length == 0);
    for (int i = 0; i < dims.length; i++) {
      int d = checkedDim(op, s.length, dims, i);
      if (s.length > 0) {
        reduced[d] = true;
      }
    }
    int n = 0;
    for (int d = 0; d < s.length; d++) {
      if (!reduced[d]) {
        s[n++] = s[d];
      }
    }
    return Arrays.copyOf(s, n);
  }
}
