package dev.jgrad.examples;

import dev.jgrad.autograd.Function;
import dev.jgrad.autograd.GradCheck;
import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import java.io.PrintWriter;

/**
 * A custom autograd function: the "smooth absolute value" √(x² + ε) with its derivative x/√(x² + ε)
 * written by hand, checked against finite differences with GradCheck.
 */
final class CustomFunctionExample {
  private CustomFunctionExample() {}

  /** y = √(x² + ε); dy/dx = x / y. */
  static final class SmoothAbs extends Function {
    private static final double EPS = 1e-3;

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
      ctx.saveForBackward(in[0]);
      return in[0].square().add(EPS).sqrt();
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
      // Recomputed from the saved input with Tensor ops, so that this formula is itself
      // differentiable (second-order gradients need it).
      Tensor x = ctx.saved().get(0);
      return new Tensor[] {grad.mul(x).div(x.square().add(EPS).sqrt())};
    }
  }

  /** Returns whether GradCheck passed, first and second order. */
  static boolean run(PrintWriter out) {
    Tensor x = Tensor.randn(new Generator(3), DType.FLOAT64, 5).requiresGrad(true);
    Tensor y = new SmoothAbs().apply(x);
    y.sum().backward();
    out.println("x:          " + x.data());
    out.println("smoothAbs:  " + y.data());
    out.println("d/dx:       " + x.grad().data());
    GradCheck.Report first = GradCheck.firstOrder(in -> new SmoothAbs().apply(in[0]), x);
    GradCheck.Report second = GradCheck.secondOrder(in -> new SmoothAbs().apply(in[0]), x);
    out.println(first);
    out.println(second);
    out.flush();
    return first.passed() && second.passed();
  }
}
