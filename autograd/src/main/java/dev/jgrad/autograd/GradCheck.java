package dev.jgrad.autograd;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Checks analytic gradients against central finite differences in FLOAT64, like {@code
 * torch.autograd.gradcheck} and {@code gradgradcheck}: for a fixed random weighting v of the
 * output, L(x) = Σ f(x)·v, and each ∂L/∂xⱼ is compared with (L(x + εeⱼ) − L(x − εeⱼ)) / 2ε. The
 * second-order check does the same for H(x) = Σᵢ Σ ∂L/∂xᵢ · uᵢ with the gradients recorded ({@code
 * createGraph}).
 *
 * <pre>{@code
 * Tensor x = Tensor.randn(new Generator(1), DType.FLOAT64, 3, 4).requiresGrad(true);
 * GradCheck.Report r = GradCheck.firstOrder(in -> in[0].tanh().mul(in[0]), x);
 * if (!r.passed()) throw new AssertionError(r);
 * }</pre>
 */
public final class GradCheck {
  /** The step of the central differences. */
  public static final double EPS = 1e-6;

  /** Absolute tolerance. */
  public static final double ATOL = 1e-5;

  /** Relative tolerance. */
  public static final double RTOL = 1e-3;

  private GradCheck() {}

  /**
   * The outcome of a check: whether every element was within {@code atol + rtol·|numeric|}, and the
   * worst element (largest error relative to its tolerance) with its input and index.
   */
  public record Report(
      boolean passed,
      String order,
      int input,
      int[] index,
      double analytic,
      double numeric,
      double error) {
    @Override
    public String toString() {
      return String.format(
          "%s gradient check %s: worst element is input %d at %s: analytic %.10g vs numeric %.10g"
              + " (error %.3g)",
          order,
          passed ? "passed" : "FAILED",
          input,
          Arrays.toString(index),
          analytic,
          numeric,
          error);
    }
  }

  /** First-order check with the default step and tolerances. */
  public static Report firstOrder(Function<Tensor[], Tensor> f, Tensor... inputs) {
    return firstOrder(f, EPS, ATOL, RTOL, inputs);
  }

  /** First-order check. */
  public static Report firstOrder(
      Function<Tensor[], Tensor> f, double eps, double atol, double rtol, Tensor... inputs) {
    checkInputs(inputs);
    NDArray weights = weightsFor(f.apply(inputs), 17);
    Function<Tensor[], Tensor> loss = in -> f.apply(in).mul(new Tensor(weights)).sum();
    Tensor[] analytic = gradients(loss, inputs, false);
    return compare("first-order", inputs, analytic, () -> value(loss, inputs), eps, atol, rtol);
  }

  /** Second-order check with the default step and tolerances. */
  public static Report secondOrder(Function<Tensor[], Tensor> f, Tensor... inputs) {
    return secondOrder(f, EPS, ATOL, RTOL, inputs);
  }

  /**
   * Second-order check: differentiates H(x) = Σᵢ Σ (∂L/∂xᵢ)·uᵢ, where the first derivatives come
   * from backward with {@code createGraph}.
   */
  public static Report secondOrder(
      Function<Tensor[], Tensor> f, double eps, double atol, double rtol, Tensor... inputs) {
    checkInputs(inputs);
    NDArray weights = weightsFor(f.apply(inputs), 17);
    Function<Tensor[], Tensor> loss = in -> f.apply(in).mul(new Tensor(weights)).sum();
    NDArray[] u = new NDArray[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      u[i] = weightsFor(inputs[i], 31 + i);
    }
    Function<Tensor[], Tensor> h =
        in -> {
          Tensor[] g = gradients(loss, in, true);
          Tensor total = null;
          for (int i = 0; i < g.length; i++) {
            Tensor term = g[i].mul(new Tensor(u[i])).sum();
            total = total == null ? term : total.add(term);
          }
          return total;
        };
    Tensor hx = h.apply(inputs);
    Tensor[] analytic;
    if (hx.requiresGrad()) {
      analytic = Autograd.grad(new Tensor[] {hx}, inputs, null, false, false, true);
    } else { // the first derivatives do not depend on x: the second ones are zero
      analytic = new Tensor[inputs.length];
      for (int i = 0; i < inputs.length; i++) {
        analytic[i] = Tensor.zerosLike(inputs[i]);
      }
    }
    return compare("second-order", inputs, analytic, () -> h.apply(inputs).item(), eps, atol, rtol);
  }

  private static void checkInputs(Tensor[] inputs) {
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i].dtype() != DType.FLOAT64) {
        throw new IllegalArgumentException(
            "GradCheck: input "
                + i
                + " is "
                + inputs[i].dtype()
                + "; finite differences need FLOAT64 (use to(DType.FLOAT64) on the data)");
      }
      if (!inputs[i].isLeaf() || !inputs[i].requiresGrad()) {
        throw new IllegalArgumentException(
            "GradCheck: input " + i + " must be a leaf that requires grad");
      }
    }
  }

  private static NDArray weightsFor(Tensor like, long seed) {
    return NDArray.rand(new Generator(seed), DType.FLOAT64, like.shape()).mul(2).sub(1);
  }

  private static Tensor[] gradients(
      Function<Tensor[], Tensor> loss, Tensor[] inputs, boolean createGraph) {
    Tensor l = loss.apply(inputs);
    if (!l.requiresGrad()) {
      Tensor[] zeros = new Tensor[inputs.length];
      for (int i = 0; i < inputs.length; i++) {
        zeros[i] = Tensor.zerosLike(inputs[i]);
      }
      return zeros;
    }
    return Autograd.grad(new Tensor[] {l}, inputs, null, createGraph, createGraph, true);
  }

  private static double value(Function<Tensor[], Tensor> loss, Tensor[] inputs) {
    try (GradMode.Scope scope = GradMode.set(false)) {
      return loss.apply(inputs).item();
    }
  }

  private interface Evaluation {
    double run();
  }

  private static Report compare(
      String order,
      Tensor[] inputs,
      Tensor[] analytic,
      Evaluation evaluate,
      double eps,
      double atol,
      double rtol) {
    double worstRatio = -1;
    Report worst = new Report(true, order, -1, new int[0], 0, 0, 0);
    for (int i = 0; i < inputs.length; i++) {
      NDArray x = inputs[i].data();
      int[] shape = x.shape();
      int n = x.numel();
      for (int j = 0; j < n; j++) {
        int[] index = unflat(shape, j);
        double original = x.getDouble(index);
        x.set(original + eps, index);
        double plus = evaluate.run();
        x.set(original - eps, index);
        double minus = evaluate.run();
        x.set(original, index);
        double numeric = (plus - minus) / (2 * eps);
        double exact = analytic[i].data().getDouble(index);
        double error = Math.abs(exact - numeric);
        double allowed = atol + rtol * Math.abs(numeric);
        double ratio = Double.isNaN(error) ? Double.POSITIVE_INFINITY : error / allowed;
        if (ratio > worstRatio) {
          worstRatio = ratio;
          worst = new Report(ratio <= 1, order, i, index, exact, numeric, error);
        }
      }
    }
    return worst;
  }

  private static int[] unflat(int[] shape, int flat) {
    int[] index = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      index[d] = flat % shape[d];
      flat /= shape[d];
    }
    return index;
  }
}
