package dev.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;

/**
 * Every optimizer's step from a generated state (issue #14): random buffers and step counts are
 * loaded through {@link Optimizer#loadStateDict}, one step runs with generated hyperparameters and
 * a generated gradient, and the parameter, each buffer and the step count must follow PyTorch's
 * equations written out here in double precision. {@link OptimizerProperties} runs the same
 * equations from the zero state over several steps; this reaches the mid-training states (large
 * step counts, buffers far from zero) that a few steps from zero never visit.
 */
class OptimizerStateProperties {

  static final int N = 23; // over two FLOAT32 vectors plus a tail on 8-lane machines

  @Provide
  Arbitrary<DType> dtypes() {
    return Arbitraries.of(DType.FLOAT32, DType.FLOAT64);
  }

  /** Values of a normal distribution times {@code scale}, rounded to the dtype. */
  static double[] values(Generator g, DType dtype, int n, double scale) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = g.nextGaussian() * scale;
      if (dtype == DType.FLOAT32) {
        v[i] = (float) v[i];
      }
    }
    return v;
  }

  /** Like {@link #values} but ≥ 0 (squared averages and sums). */
  static double[] squares(Generator g, DType dtype, int n, double scale) {
    double[] v = values(g, dtype, n, scale);
    for (int i = 0; i < n; i++) {
      v[i] = Math.abs(v[i]);
    }
    return v;
  }

  static NDArray array(DType dtype, double[] v) {
    return NDArray.fromArray(v, v.length).to(dtype);
  }

  /** Loads {@code state} for one parameter, steps once with {@code grad}, returns the optimizer. */
  static Optimizer step(
      Optimizer opt, Tensor p, DType dtype, double[] grad, Map<String, Object> state) {
    Map<String, NDArray> saved = new HashMap<>();
    state.forEach(
        (k, v) ->
            saved.put(
                "state.0." + k,
                v instanceof double[]
                    ? array(dtype, (double[]) v)
                    : NDArray.scalar(DType.FLOAT64, ((Number) v).doubleValue())));
    opt.loadStateDict(saved);
    p.setGrad(new Tensor(array(dtype, grad)));
    opt.step();
    return opt;
  }

  static void assertState(
      String what, DType dtype, Optimizer opt, String key, double[] expected, double tol) {
    assertArrayEquals(
        expected,
        opt.stateDict().get("state.0." + key).toDoubleArray(),
        tol * scale(expected),
        what + ": " + key + " (" + dtype + ")");
  }

  static double scale(double[] v) {
    double m = 1;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  static double tol(DType dtype) {
    return dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
  }

  @Property(tries = 100)
  void sgdStepsFromAGeneratedMomentumBuffer(
      @ForAll("dtypes") DType dtype,
      @ForAll @Scale(12) @DoubleRange(min = 1e-4, max = 1) double lr,
      @ForAll @Scale(12) @DoubleRange(min = 0.01, max = 0.99) double momentum,
      @ForAll @Scale(12) @DoubleRange(min = 0, max = 0.9) double dampening,
      @ForAll @Scale(12) @DoubleRange(min = 0, max = 0.5) double wd,
      @ForAll boolean nesterov,
      @ForAll long seed) {
    Generator g = new Generator(seed);
    double damp = nesterov ? 0 : dampening;
    double[] x = values(g, dtype, N, 1);
    double[] grad = values(g, dtype, N, 1);
    double[] buf = values(g, dtype, N, 3);
    Tensor p = new Tensor(array(dtype, x)).requiresGrad(true);
    SGD opt = new SGD(List.of(p), lr, momentum, damp, wd, nesterov);
    step(opt, p, dtype, grad, Map.of("momentum_buffer", buf));
    double[] b = new double[N];
    double[] want = new double[N];
    for (int i = 0; i < N; i++) {
      double d = grad[i] + wd * x[i];
      b[i] = momentum * buf[i] + (1 - damp) * d;
      want[i] = x[i] - lr * (nesterov ? d + momentum * b[i] : b[i]);
    }
    assertArrayEquals(want, p.data().toDoubleArray(), tol(dtype) * scale(want), "SGD " + dtype);
    assertState("SGD", dtype, opt, "momentum_buffer", b, tol(dtype));
  }

  @Property(tries = 150)
  void adamAndAdamWStepFromGeneratedMomentsAndStepCounts(
      @ForAll("dtypes") DType dtype,
      @ForAll @Scale(12) @DoubleRange(min = 1e-4, max = 0.1) double lr,
      @ForAll @Scale(12) @DoubleRange(min = 0, max = 0.99) double beta1,
      @ForAll @Scale(12) @DoubleRange(min = 0.5, max = 0.9999) double beta2,
      @ForAll @Scale(12) @DoubleRange(min = 1e-10, max = 1e-3) double eps,
      @ForAll @Scale(12) @DoubleRange(min = 0, max = 0.2) double wd,
      @ForAll boolean decoupled,
      @ForAll boolean amsgrad,
      @ForAll @IntRange(min = 0, max = 5000) int steps,
      @ForAll long seed) {
    Generator g = new Generator(seed);
    double[] x = values(g, dtype, N, 1);
    double[] grad = values(g, dtype, N, 1);
    double[] m = values(g, dtype, N, 0.5);
    double[] v = squares(g, dtype, N, 0.5);
    double[] vmax = v.clone();
    for (int i = 0; i < N; i += 3) {
      vmax[i] += 0.25; // a maximum above the current average for every third element
    }
    Tensor p = new Tensor(array(dtype, x)).requiresGrad(true);
    Optimizer opt =
        decoupled
            ? new AdamW(List.of(p), lr, beta1, beta2, eps, wd, amsgrad)
            : new Adam(List.of(p), lr, beta1, beta2, eps, wd, amsgrad);
    Map<String, Object> state = new HashMap<>();
    state.put("exp_avg", m);
    state.put("exp_avg_sq", v);
    state.put("step", steps);
    if (amsgrad) {
      state.put("max_exp_avg_sq", vmax);
    }
    step(opt, p, dtype, grad, state);
    int t = steps + 1;
    double[] m2 = new double[N];
    double[] v2 = new double[N];
    double[] vmax2 = new double[N];
    double[] want = new double[N];
    for (int i = 0; i < N; i++) {
      double xi = decoupled ? x[i] * (1 - lr * wd) : x[i];
      double gi = decoupled ? grad[i] : grad[i] + wd * x[i];
      m2[i] = beta1 * m[i] + (1 - beta1) * gi;
      v2[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
      vmax2[i] = Math.max(vmax[i], v2[i]);
      double mHat = m2[i] / (1 - Math.pow(beta1, t));
      double vHat = (amsgrad ? vmax2[i] : v2[i]) / (1 - Math.pow(beta2, t));
      want[i] = xi - lr * mHat / (Math.sqrt(vHat) + eps);
    }
    String what = (decoupled ? "AdamW" : "Adam") + (amsgrad ? " amsgrad" : "") + " t=" + t;
    assertArrayEquals(want, p.data().toDoubleArray(), tol(dtype) * scale(want), what);
    assertState(what, dtype, opt, "exp_avg", m2, tol(dtype));
    assertState(what, dtype, opt, "exp_avg_sq", v2, tol(dtype));
    assertState(what, dtype, opt, "step", new double[] {t}, 0);
    if (amsgrad) {
      assertState(what, dtype, opt, "max_exp_avg_sq", vmax2, tol(dtype));
    }
  }

  @Property(tries = 100)
  void rmspropStepsFromGeneratedAverages(
      @ForAll("dtypes") DType dtype,
      @ForAll @Scale(12) @DoubleRange(min = 1e-4, max = 0.1) double lr,
      @ForAll @Scale(12) @DoubleRange(min = 0.5, max = 0.999) double alpha,
      @ForAll @Scale(12) @DoubleRange(min = 1e-8, max = 1e-2) double eps,
      @ForAll @Scale(12) @DoubleRange(min = 0, max = 0.2) double wd,
      @ForAll @Scale(12) @DoubleRange(min = 0, max = 0.9) double momentum,
      @ForAll boolean centered,
      @ForAll long seed) {
    Generator g = new Generator(seed);
    double[] x = values(g, dtype, N, 1);
    double[] grad = values(g, dtype, N, 1);
    double[] gAvg = values(g, dtype, N, 0.3);
    double[] sq = squares(g, dtype, N, 1);
    for (int i = 0; i < N; i++) {
      sq[i] += gAvg[i] * gAvg[i]; // a variance ≥ 0 to start from, as training keeps it
      if (dtype == DType.FLOAT32) {
        sq[i] = (float) sq[i];
      }
    }
    double[] buf = values(g, dtype, N, 0.5);
    Tensor p = new Tensor(array(dtype, x)).requiresGrad(true);
    RMSprop opt = new RMSprop(List.of(p), lr, alpha, eps, wd, momentum, centered);
    Map<String, Object> state = new HashMap<>();
    state.put("square_avg", sq);
    if (centered) {
      state.put("grad_avg", gAvg);
    }
    if (momentum > 0) {
      state.put("momentum_buffer", buf);
    }
    step(opt, p, dtype, grad, state);
    double[] sq2 = new double[N];
    double[] ga2 = new double[N];
    double[] buf2 = new double[N];
    double[] want = new double[N];
    for (int i = 0; i < N; i++) {
      double gi = grad[i] + wd * x[i];
      sq2[i] = alpha * sq[i] + (1 - alpha) * gi * gi;
      double avg;
      if (centered) {
        ga2[i] = alpha * gAvg[i] + (1 - alpha) * gi;
        avg = Math.sqrt(sq2[i] - ga2[i] * ga2[i]) + eps;
      } else {
        avg = Math.sqrt(sq2[i]) + eps;
      }
      if (momentum > 0) {
        buf2[i] = momentum * buf[i] + gi / avg;
        want[i] = x[i] - lr * buf2[i];
      } else {
        want[i] = x[i] - lr * gi / avg;
      }
    }
    String what = "RMSprop" + (centered ? " centered" : "") + " momentum " + momentum;
    // gi / avg amplifies float32 rounding of avg when eps is small: compare relative to lr/eps·g.
    double t = dtype == DType.FLOAT32 ? 1e-4 : 1e-10;
    assertArrayEquals(want, p.data().toDoubleArray(), t * scale(want), what + " " + dtype);
    assertState(what, dtype, opt, "square_avg", sq2, tol(dtype));
    if (centered) {
      assertState(what, dtype, opt, "grad_avg", ga2, tol(dtype));
    }
    if (momentum > 0) {
      assertState(what, dtype, opt, "momentum_buffer", buf2, t);
    }
  }

  @Property(tries = 100)
  void adagradStepsFromAGeneratedSumAndStepCount(
      @ForAll("dtypes") DType dtype,
      @ForAll @Scale(12) @DoubleRange(min = 1e-4, max = 1) double lr,
      @ForAll @Scale(12) @DoubleRange(min = 0, max = 0.1) double lrDecay,
      @ForAll @Scale(12) @DoubleRange(min = 0, max = 0.2) double wd,
      @ForAll @Scale(12) @DoubleRange(min = 1e-10, max = 1e-3) double eps,
      @ForAll @IntRange(min = 0, max = 5000) int steps,
      @ForAll long seed) {
    Generator g = new Generator(seed);
    double[] x = values(g, dtype, N, 1);
    double[] grad = values(g, dtype, N, 1);
    double[] sum = squares(g, dtype, N, 2);
    Tensor p = new Tensor(array(dtype, x)).requiresGrad(true);
    Adagrad opt = new Adagrad(List.of(p), lr, lrDecay, wd, 0, eps);
    step(opt, p, dtype, grad, Map.of("sum", sum, "step", steps));
    int t = steps + 1;
    double clr = lr / (1 + (t - 1) * lrDecay);
    double[] sum2 = new double[N];
    double[] want = new double[N];
    for (int i = 0; i < N; i++) {
      double gi = grad[i] + wd * x[i];
      sum2[i] = sum[i] + gi * gi;
      want[i] = x[i] - clr * gi / (Math.sqrt(sum2[i]) + eps);
    }
    String what = "Adagrad t=" + t;
    assertArrayEquals(want, p.data().toDoubleArray(), tol(dtype) * scale(want), what);
    assertState(what, dtype, opt, "sum", sum2, tol(dtype));
    assertState(what, dtype, opt, "step", new double[] {t}, 0);
  }
}
