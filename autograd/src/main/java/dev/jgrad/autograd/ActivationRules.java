package dev.jgrad.autograd;

import dev.jgrad.autograd.Graph.Saves;
import dev.jgrad.tensor.NDArray;

/**
 * The nonlinearities of neural networks, elementwise. Sigmoid and ReLU, on every training step,
 * have their gradient as a {@link FusedFormula}: the composed formula and, beside it, the fused
 * kernel that first-order backward runs instead.
 */
final class ActivationRules {
  private static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);
  private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
  private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
  private static final double GELU_CUBIC = 0.044715;
  private static final SigmoidGrad SIGMOID_GRAD = new SigmoidGrad();
  private static final ReluGrad RELU_GRAD = new ReluGrad();

  private ActivationRules() {}

  /** d/dx tanh x = 1 − tanh² x = 1 − out². */
  static Tensor tanh(Tensor x) {
    return Graph.record(
        "Tanh", x.data().tanh(), Saves.OUTPUT, x, (g, out) -> g.mul(out.square().neg().add(1)));
  }

  /** σ(x) = 1/(1 + e⁻ˣ): d/dx = σ(x)(1 − σ(x)), read from the output. */
  static Tensor sigmoid(Tensor x) {
    return Graph.record("Sigmoid", x.data().sigmoid(), Saves.OUTPUT, x, SIGMOID_GRAD);
  }

  /** g·y(1 − y) through the output y; fused: {@link GradKernels#sigmoidBackward}. */
  record SigmoidGrad() implements FusedFormula {
    @Override
    public Tensor composed(Tensor g, Tensor y) {
      return g.mul(y.mul(y.neg().add(1)));
    }

    @Override
    public NDArray fused(NDArray g, NDArray y) {
      return GradKernels.sigmoidBackward(g, y);
    }
  }

  /** max(x, 0): d/dx = 1 where x > 0, else 0, which is sign(out) since out ≥ 0. */
  static Tensor relu(Tensor x) {
    return Graph.record("Relu", x.data().relu(), Saves.OUTPUT, x, RELU_GRAD);
  }

  /** g·sign(y) through the output y ≥ 0; fused: {@link GradKernels#reluBackward}. */
  record ReluGrad() implements FusedFormula {
    @Override
    public Tensor composed(Tensor g, Tensor y) {
      return g.mul(y.sign());
    }

    @Override
    public NDArray fused(NDArray g, NDArray y) {
      return GradKernels.reluBackward(g, y);
    }
  }

  /** GELU, exact: x·Φ(x); d/dx = Φ(x) + x·φ(x). */
  static Tensor gelu(Tensor x) {
    return Graph.record("Gelu", x.data().gelu(), Saves.INPUTS, x, new GeluGrad(x));
  }

  /**
   * g·(Φ(x) + x·φ(x)) through the input x, with Φ(x) = ½(1 + erf(x/√2)) and φ(x) = e^(−x²/2)/√(2π);
   * fused: {@link GradKernels#geluBackward}.
   */
  record GeluGrad(Tensor x) implements FusedFormula {
    @Override
    public Tensor composed(Tensor g, Tensor y) {
      Tensor cdf = x.mul(INV_SQRT_2).erf().add(1).mul(0.5);
      Tensor pdf = x.square().mul(-0.5).exp().mul(INV_SQRT_2PI);
      return g.mul(cdf.add(x.mul(pdf)));
    }

    @Override
    public NDArray fused(NDArray g, NDArray y) {
      return GradKernels.geluBackward(g, x.data(), (float) INV_SQRT_2, (float) INV_SQRT_2PI);
    }
  }

  /**
   * GELU, tanh form: ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³); d/dx = ½(1 + tanh u) + ½x(1 −
   * tanh² u)·√(2/π)(1 + 3·0.044715x²).
   */
  static Tensor geluTanh(Tensor x) {
    return Graph.record(
        "GeluTanh",
        x.data().geluTanh(),
        Saves.INPUTS,
        x,
        (g, out) -> {
          Tensor t = x.pow(3).mul(GELU_CUBIC).add(x).mul(SQRT_2_OVER_PI).tanh();
          Tensor du = x.square().mul(3 * GELU_CUBIC).add(1).mul(SQRT_2_OVER_PI);
          Tensor left = t.add(1).mul(0.5);
          Tensor right = x.mul(0.5).mul(t.square().neg().add(1)).mul(du);
          return g.mul(left.add(right));
        });
  }

  /** d/dx log(1 + eˣ) = σ(x). */
  static Tensor softplus(Tensor x) {
    return Graph.record(
        "Softplus", x.data().softplus(), Saves.INPUTS, x, (g, out) -> g.mul(x.sigmoid()));
  }
}
