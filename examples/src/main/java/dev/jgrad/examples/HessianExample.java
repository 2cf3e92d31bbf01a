package dev.jgrad.examples;

import dev.jgrad.autograd.Autograd;
import dev.jgrad.autograd.Tensor;
import java.io.PrintWriter;

/**
 * Higher-order gradients: a Hessian-vector product H·v without forming H, by differentiating the
 * gradient (recorded with createGraph) dotted with v. For f(x) = Σ xᵢ⁴/4 + Σ xᵢxᵢ₊₁ the Hessian is
 * known: 3xᵢ² on the diagonal and 1 beside it, so the result can be checked by hand.
 */
final class HessianExample {
  private HessianExample() {}

  /** Returns the largest difference between autograd's H·v and the hand-derived one. */
  static double run(PrintWriter out) {
    double[] xv = {1.0, -2.0, 0.5, 3.0};
    double[] vv = {0.5, 1.0, -1.0, 2.0};
    Tensor x = Tensor.of(xv).requiresGrad(true);
    Tensor v = Tensor.of(vv);
    Tensor f = x.pow(4).div(4).sum().add(x.slice(0, 0, 3, 1).mul(x.slice(0, 1, 4, 1)).sum());
    Tensor grad = Autograd.grad(f, x, true)[0]; // x³ + neighbours, itself differentiable
    Tensor hv = Autograd.grad(grad.mul(v).sum(), x, false)[0];
    double worst = 0;
    for (int i = 0; i < xv.length; i++) {
      double expected = 3 * xv[i] * xv[i] * vv[i];
      if (i > 0) {
        expected += vv[i - 1];
      }
      if (i < xv.length - 1) {
        expected += vv[i + 1];
      }
      worst = Math.max(worst, Math.abs(expected - hv.data().getDouble(i)));
    }
    out.println("gradient:              " + grad.data());
    out.println("Hessian-vector product: " + hv.data());
    out.printf("largest difference from the hand-derived H·v: %.3g%n", worst);
    out.flush();
    return worst;
  }
}
