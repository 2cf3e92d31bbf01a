package dev.jgrad.autograd;

import dev.jgrad.autograd.Graph.Saves;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.kernel.Shapes;

/**
 * Matrix products. The transposes in the gradients are strided views that the GEMM reads without
 * copying, so a product's backward costs two more products and nothing else.
 */
final class LinearAlgebraRules {
  private LinearAlgebraRules() {}

  /**
   * d/dA (A·B) = G·Bᵀ, d/dB (A·B) = Aᵀ·G for matrices (or broadcast batches of them); vectors are
   * unsqueezed into matrices, so their gradients follow from the same rule.
   */
  static Tensor matmul(Tensor a, Tensor b) {
    if (a.dim() == 0 || b.dim() == 0) {
      a.data().matmul(b.data()); // throws the tensor module's message
    }
    if (a.dim() == 1 && b.dim() == 1) {
      return a.unsqueeze(0).matmul(b.unsqueeze(1)).reshape();
    }
    if (a.dim() == 1) {
      return a.unsqueeze(0).matmul(b).squeeze(-2);
    }
    if (b.dim() == 1) {
      return a.matmul(b.unsqueeze(1)).squeeze(-1);
    }
    return Graph.record(
        "MatMul",
        a.data().matmul(b.data()),
        Saves.INPUTS,
        a,
        b,
        (g, out) -> g.matmul(b.mT()),
        (g, out) -> a.mT().matmul(g));
  }

  /**
   * A·Bᵀ, the product of a linear layer with its weight stored [out, in]: d/dA = G·B, d/dB = Gᵀ·A.
   * Both gradients come out of the GEMM contiguous, in their input's layout, with no transpose
   * copied.
   */
  static Tensor matmulT(Tensor a, Tensor b) {
    if (a.dim() < 2 || b.dim() < 2) {
      return a.matmul(b.t());
    }
    return Graph.record(
        "MatMulT",
        a.data().matmul(b.data().mT()),
        Saves.INPUTS,
        a,
        b,
        (g, out) -> g.matmul(b),
        (g, out) -> g.mT().matmul(a));
  }

  /**
   * x·Wᵀ + b as one recorded op (PyTorch's {@code addmm}), the bias added in place to the product:
   * for x [N, in], W [out, in] and b [out] (or null), d/dx = G·W, d/dW = Gᵀ·x, d/db = Σ_rows G.
   * Other ranks and dtypes compose {@link #matmulT} and {@code add}.
   */
  static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
    boolean matrices = x.dim() == 2 && weight.dim() == 2;
    if (!matrices
        || (bias != null && (bias.dim() != 1 || bias.shape(0) != weight.shape(0)))
        || (bias != null && bias.dtype() != DType.promote(x.dtype(), weight.dtype()))) {
      if (x.dim() == 0
          || weight.dim() == 0
          || weight.dim() > 2
          || x.shape(-1) != weight.shape(-1)) {
        throw new IllegalArgumentException(
            "linear: input of shape "
                + Shapes.toString(x.shape())
                + " and weight of shape "
                + Shapes.toString(weight.shape())
                + ": the weight must be [out, in] or [in] with in = the input's last size");
      }
      Tensor y = x.matmulT(weight);
      if (bias != null) {
        Shapes.broadcast("linear (bias and output)", y.shape(), bias.shape());
      }
      return bias == null ? y : y.add(bias);
    }
    if (x.shape(1) != weight.shape(1)) {
      throw new IllegalArgumentException(
          "linear: input of shape "
              + Shapes.toString(x.shape())
              + " and weight of shape "
              + Shapes.toString(weight.shape())
              + ": the weight must be [out, "
              + x.shape(1)
              + "]");
    }
    NDArray out = x.data().matmul(weight.data().mT());
    if (bias != null) {
      out.addInPlace(bias.data());
    }
    Formula dx = (g, y) -> g.matmul(weight);
    Formula dw = (g, y) -> g.mT().matmul(x);
    return bias == null
        ? Graph.record("Linear", out, Saves.INPUTS, x, weight, dx, dw)
        : Graph.record(
            "Linear", out, Saves.INPUTS, x, weight, bias, dx, dw, (g, y) -> g.sum(0, false));
  }

  /**
   * beta·input + alpha·(b1 @ b2) for batches of matrices, one GEMM per batch: d/dinput = beta·g
   * (summed over broadcast dims), d/db1 = alpha·G·b2ᵀ, d/db2 = alpha·b1ᵀ·G.
   */
  static Tensor baddbmm(Tensor input, Tensor b1, Tensor b2, double beta, double alpha) {
    return Graph.record(
        "Baddbmm",
        NDArray.baddbmm(input.data(), b1.data(), b2.data(), beta, alpha),
        Saves.INPUTS,
        input,
        b1,
        b2,
        (g, out) -> g.mul(beta),
        (g, out) -> g.matmul(b2.mT()).mul(alpha),
        (g, out) -> b1.mT().matmul(g).mul(alpha));
  }
}
