package dev.jgrad.autograd;

import dev.jgrad.autograd.Graph.Saves;

/**
 * Elementwise functions of one tensor: y = f(x) is one kernel call and d/dx = g·f′(x), where f′ is
 * written with Tensor ops, reading the saved input x or, when that is cheaper, the output y.
 */
final class PointwiseRules {
  private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

  private PointwiseRules() {}

  /** d/dx (−x) = −1. */
  static Tensor neg(Tensor x) {
    return Graph.record("Neg", x.data().neg(), Saves.NOTHING, x, (g, out) -> g.neg());
  }

  /** d/dx |x| = sign(x). */
  static Tensor abs(Tensor x) {
    return Graph.record("Abs", x.data().abs(), Saves.INPUTS, x, (g, out) -> g.mul(x.sign()));
  }

  /** d/dx eˣ = eˣ, the output itself. */
  static Tensor exp(Tensor x) {
    return Graph.record("Exp", x.data().exp(), Saves.OUTPUT, x, (g, out) -> g.mul(out));
  }

  /** d/dx ln x = 1/x. */
  static Tensor log(Tensor x) {
    return Graph.record("Log", x.data().log(), Saves.INPUTS, x, (g, out) -> g.div(x));
  }

  /** d/dx ln(1 + x) = 1/(1 + x). */
  static Tensor log1p(Tensor x) {
    return Graph.record("Log1p", x.data().log1p(), Saves.INPUTS, x, (g, out) -> g.div(x.add(1)));
  }

  /** d/dx (eˣ − 1) = eˣ = out + 1. */
  static Tensor expm1(Tensor x) {
    return Graph.record("Expm1", x.data().expm1(), Saves.OUTPUT, x, (g, out) -> g.mul(out.add(1)));
  }

  /** d/dx √x = 1/(2√x) = 1/(2·out). */
  static Tensor sqrt(Tensor x) {
    return Graph.record("Sqrt", x.data().sqrt(), Saves.OUTPUT, x, (g, out) -> g.div(out.mul(2)));
  }

  /** d/dx x^(−½) = −½·x^(−3/2) = −½·out³. */
  static Tensor rsqrt(Tensor x) {
    return Graph.record(
        "Rsqrt", x.data().rsqrt(), Saves.OUTPUT, x, (g, out) -> g.mul(out.pow(3)).mul(-0.5));
  }

  /** d/dx x² = 2x. */
  static Tensor square(Tensor x) {
    return Graph.record("Square", x.data().square(), Saves.INPUTS, x, (g, out) -> g.mul(x).mul(2));
  }

  /** d/dx (1/x) = −1/x² = −out². */
  static Tensor reciprocal(Tensor x) {
    return Graph.record(
        "Reciprocal",
        x.data().reciprocal(),
        Saves.OUTPUT,
        x,
        (g, out) -> g.neg().mul(out.square()));
  }

  /** d/dx sin x = cos x. */
  static Tensor sin(Tensor x) {
    return Graph.record("Sin", x.data().sin(), Saves.INPUTS, x, (g, out) -> g.mul(x.cos()));
  }

  /** d/dx cos x = −sin x. */
  static Tensor cos(Tensor x) {
    return Graph.record("Cos", x.data().cos(), Saves.INPUTS, x, (g, out) -> g.neg().mul(x.sin()));
  }

  /** d/dx erf x = 2/√π·e^(−x²). */
  static Tensor erf(Tensor x) {
    return Graph.record(
        "Erf",
        x.data().erf(),
        Saves.INPUTS,
        x,
        (g, out) -> g.mul(x.square().neg().exp().mul(TWO_OVER_SQRT_PI)));
  }

  /** d/dx clamp(x, min, max) = 1 where min ≤ x ≤ max, else 0. */
  static Tensor clamp(Tensor x, double min, double max) {
    Tensor inside = Graph.constant(x.data().ge(min).mul(x.data().le(max)));
    return Graph.record(
        "Clamp", x.data().clamp(min, max), Saves.INPUTS, x, (g, out) -> g.mul(inside));
  }

  /** d/dx max(x, min) = 1 where x ≥ min, else 0. */
  static Tensor clampMin(Tensor x, double min) {
    Tensor inside = Graph.constant(x.data().ge(min));
    return Graph.record(
        "ClampMin", x.data().clampMin(min), Saves.INPUTS, x, (g, out) -> g.mul(inside));
  }

  /** d/dx min(x, max) = 1 where x ≤ max, else 0. */
  static Tensor clampMax(Tensor x, double max) {
    Tensor inside = Graph.constant(x.data().le(max));
    return Graph.record(
        "ClampMax", x.data().clampMax(max), Saves.INPUTS, x, (g, out) -> g.mul(inside));
  }
}
