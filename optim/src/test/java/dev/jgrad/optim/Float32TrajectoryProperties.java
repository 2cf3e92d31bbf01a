package dev.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Every optimizer's FLOAT32 trajectory follows its FLOAT64 one, as PyTorch's does: the scalar
 * factors of an update (1 − β, bias corrections, step sizes) are computed in double and rounded to
 * float once, so the only differences left are the roundings of the float arithmetic itself. A
 * factor formed in float arithmetic (1 − 0.999f = 9.99987·10⁻⁴ instead of 10⁻³) scales every Adam
 * step by 1 + 6.4·10⁻⁶, which this property sees.
 *
 * <p>The problem is least squares, f(w) = ‖Aw − b‖² / m, from w = 0 for six steps, with gradients
 * computed by autograd in each dtype from the same float-representable A and b. The bound is 10⁻⁶
 * of the largest distance any element travelled; float's own roundings stay below 3·10⁻⁷ of it as
 * long as no gradient is a small difference of large terms, which the problems are built to avoid:
 * A has entries in [0.5, 1.5), b in [−2, −1), and the learning rates keep |Aw| below 1, so every
 * residual Aw − b stays positive and every gradient component 2/m·Σᵢ aᵢⱼrᵢ is a sum of positive
 * terms. (Where they cancel, rounding noise of 10⁻⁷ of the terms is no longer small next to the
 * gradient, and the float and double trajectories part for that reason alone.)
 */
class Float32TrajectoryProperties {
  static final int STEPS = 6;

  enum Kind {
    SGD,
    SGD_MOMENTUM,
    SGD_NESTEROV,
    SGD_DAMPENED_WEIGHT_DECAY,
    ADAM,
    ADAM_WEIGHT_DECAY,
    ADAMW,
    AMSGRAD,
    RMSPROP,
    RMSPROP_CENTERED_MOMENTUM,
    ADAGRAD
  }

  /** Learning rates that move every element by at most about 0.05 in six steps. */
  static Optimizer make(Kind kind, Tensor w) {
    List<Tensor> ps = List.of(w);
    switch (kind) {
      case SGD:
        return new SGD(ps, 1e-4);
      case SGD_MOMENTUM:
        return new SGD(ps, 1e-4, 0.9);
      case SGD_NESTEROV:
        return new SGD(ps, 1e-4, 0.9, 0, 0, true);
      case SGD_DAMPENED_WEIGHT_DECAY:
        return new SGD(ps, 1e-4, 0.9, 0.1, 0.01, false);
      case ADAM:
        return new Adam(ps, 0.005);
      case ADAM_WEIGHT_DECAY:
        return new Adam(ps, 0.005, 0.9, 0.999, 1e-8, 0.01, false);
      case ADAMW:
        return new AdamW(ps, 0.005, 0.01);
      case AMSGRAD:
        return new Adam(ps, 0.005, 0.9, 0.999, 1e-8, 0, true);
      case RMSPROP:
        return new RMSprop(ps, 5e-4);
      case RMSPROP_CENTERED_MOMENTUM:
        return new RMSprop(ps, 2e-4, 0.99, 1e-8, 0.01, 0.9, true);
      default:
        return new Adagrad(ps, 0.01);
    }
  }

  /**
   * Uniform values in [lo, hi) rounded to float, so that both dtypes start from the same numbers.
   */
  static double[] floats(Generator g, int count, double lo, double hi) {
    double[] v = new double[count];
    for (int i = 0; i < count; i++) {
      v[i] = (float) (lo + (hi - lo) * g.nextDouble());
    }
    return v;
  }

  /** Six steps from w = 0 in the given dtype; the final w. */
  static double[] trajectory(Kind kind, DType dtype, double[] a, double[] b, int m, int n) {
    Tensor at = new Tensor(NDArray.fromArray(a, m, n).to(dtype));
    Tensor bt = new Tensor(NDArray.fromArray(b, m).to(dtype));
    Tensor w = new Tensor(NDArray.zeros(n).to(dtype)).requiresGrad(true);
    Optimizer opt = make(kind, w);
    for (int t = 0; t < STEPS; t++) {
      opt.zeroGrad();
      at.matmul(w).sub(bt).square().mean().backward();
      opt.step();
    }
    return w.data().toDoubleArray();
  }

  @Property(tries = 60)
  void float32FollowsFloat64(
      @ForAll Kind kind,
      @ForAll @IntRange(min = 1, max = 8) int m,
      @ForAll @IntRange(min = 1, max = 8) int n,
      @ForAll long seed) {
    Generator g = new Generator(seed);
    double[] a = floats(g, m * n, 0.5, 1.5);
    double[] b = floats(g, m, -2, -1);
    double[] p64 = trajectory(kind, DType.FLOAT64, a, b, m, n);
    double[] p32 = trajectory(kind, DType.FLOAT32, a, b, m, n);
    double travelled = 0;
    for (double x : p64) {
      travelled = Math.max(travelled, Math.abs(x));
    }
    double worst = 0;
    int at = 0;
    for (int i = 0; i < n; i++) {
      double d = Math.abs(p32[i] - p64[i]);
      if (d > worst) {
        worst = d;
        at = i;
      }
    }
    assertTrue(
        worst <= 1e-6 * travelled,
        String.format(
            "%s: |p32 - p64| = %.3g at element %d (p64 = %s, p32 = %s), more than 1e-6 of the"
                + " largest distance travelled %.3g",
            kind, worst, at, p64[at], p32[at], travelled));
  }
}
