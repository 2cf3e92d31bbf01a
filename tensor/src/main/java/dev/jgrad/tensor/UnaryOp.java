package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.VectorMath;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The elementwise unary operations, each with its scalar and SIMD form side by side. */
enum UnaryOp {
  NEG("neg"),
  ABS("abs"),
  SIGN("sign"),
  SQUARE("square"),
  RELU("relu"),
  EXP("exp"),
  LOG("log"),
  LOG1P("log1p"),
  EXPM1("expm1"),
  SQRT("sqrt"),
  RSQRT("rsqrt"),
  RECIPROCAL("reciprocal"),
  SIN("sin"),
  COS("cos"),
  TANH("tanh"),
  SIGMOID("sigmoid"),
  GELU_TANH("geluTanh"),
  GELU_ERF("gelu"),
  SOFTPLUS("softplus"),
  ERF("erf");

  private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
  private static final double GELU_CUBIC = 0.044715;

  /** 1/√2 in float: GELU's erf(x/√2) is erf(x·INV_SQRT_2) in every lane and the tail. */
  static final float INV_SQRT_2 = (float) (1.0 / Math.sqrt(2.0));

  final String opName;

  UnaryOp(String opName) {
    this.opName = opName;
  }

  /** Ops that map integers to integers; the others compute integer input in FLOAT32. */
  boolean keepsIntegers() {
    return this == NEG || this == ABS || this == SIGN || this == SQUARE || this == RELU;
  }

  double apply(double x) {
    switch (this) {
      case NEG:
        return -x;
      case ABS:
        return Math.abs(x);
      case SIGN:
        return Math.signum(x);
      case SQUARE:
        return x * x;
      case RELU:
        return x > 0 ? x : (x == x ? 0 : x); // NaN stays NaN
      case EXP:
        return Math.exp(x);
      case LOG:
        return Math.log(x);
      case LOG1P:
        return Math.log1p(x);
      case EXPM1:
        return Math.expm1(x);
      case SQRT:
        return Math.sqrt(x);
      case RSQRT:
        return 1.0 / Math.sqrt(x);
      case RECIPROCAL:
        return 1.0 / x;
      case SIN:
        return Math.sin(x);
      case COS:
        return Math.cos(x);
      case TANH:
        return Math.tanh(x);
      case SIGMOID:
        return 1.0 / (1.0 + Math.exp(-x));
      case GELU_TANH:
        return 0.5 * x * (1.0 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x)));
      case GELU_ERF:
        return 0.5 * x * (1.0 + SpecialFunctions.erf(x / Math.sqrt(2.0)));
      case ERF:
        return SpecialFunctions.erf(x);
      default: // SOFTPLUS, stable: max(x, 0) + log1p(exp(-|x|))
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }
  }

  /**
   * {@code c[co + i] = op(a[ao + i])} for {@code i < n} with SIMD where it is exact or
   * deterministic, then a scalar tail with the same bits. Each op has its own loop on purpose: a
   * vector passed to a shared helper that C2 does not inline is boxed on every call, which once
   * made these kernels 3× slower than memory speed.
   */
  void applyContiguous(float[] c, int co, float[] a, int ao, int n) {
    int i = 0;
    int bound = S.loopBound(n);
    int l = S.length();
    switch (this) {
      case NEG:
        for (; i < bound; i += l) {
          FloatVector.fromArray(S, a, ao + i).neg().intoArray(c, co + i);
        }
        break;
      case ABS:
        for (; i < bound; i += l) {
          FloatVector.fromArray(S, a, ao + i).abs().intoArray(c, co + i);
        }
        break;
      case SQUARE:
        for (; i < bound; i += l) {
          FloatVector x = FloatVector.fromArray(S, a, ao + i);
          x.mul(x).intoArray(c, co + i);
        }
        break;
      case RELU:
        relu(c, co, a, ao, n);
        return;
      case SQRT:
        for (; i < bound; i += l) {
          FloatVector.fromArray(S, a, ao + i).sqrt().intoArray(c, co + i);
        }
        break;
      case RSQRT:
        for (; i < bound; i += l) {
          FloatVector x = FloatVector.fromArray(S, a, ao + i);
          x.broadcast(1f).div(x.sqrt()).intoArray(c, co + i);
        }
        break;
      case RECIPROCAL:
        for (; i < bound; i += l) {
          FloatVector x = FloatVector.fromArray(S, a, ao + i);
          x.broadcast(1f).div(x).intoArray(c, co + i);
        }
        break;
      case SIGN: // x itself where it is ±0 or NaN, like Math.signum and the scalar tail
        for (; i < bound; i += l) {
          FloatVector x = FloatVector.fromArray(S, a, ao + i);
          x.blend(1f, x.compare(VectorOperators.GT, 0f))
              .blend(-1f, x.compare(VectorOperators.LT, 0f))
              .intoArray(c, co + i);
        }
        break;
      case EXP:
        VectorMath.exp(a, ao, 1f, 0f, c, co, n);
        return;
      case LOG:
        VectorMath.log(a, ao, c, co, n);
        return;
      case TANH:
        VectorMath.tanh(a, ao, c, co, n);
        return;
      case SIGMOID: // 1 / (1 + e^(−x))
        VectorMath.exp(a, ao, -1f, 0f, c, co, n);
        for (; i < bound; i += l) {
          FloatVector e = FloatVector.fromArray(S, c, co + i);
          e.broadcast(1f).div(e.add(1f)).intoArray(c, co + i);
        }
        for (; i < n; i++) {
          c[co + i] = 1f / (c[co + i] + 1f);
        }
        return;
      case GELU_TANH: // ½x(1 + tanh(√(2/π)(x + 0.044715x³))), in three passes
        for (; i < bound; i += l) {
          FloatVector x = FloatVector.fromArray(S, a, ao + i);
          x.mul(x)
              .mul(x)
              .mul((float) GELU_CUBIC)
              .add(x)
              .mul((float) SQRT_2_OVER_PI)
              .intoArray(c, co + i);
        }
        for (; i < n; i++) {
          float x = a[ao + i];
          c[co + i] = (x * x * x * (float) GELU_CUBIC + x) * (float) SQRT_2_OVER_PI;
        }
        VectorMath.tanh(c, co, c, co, n);
        for (i = 0; i < bound; i += l) {
          FloatVector x = FloatVector.fromArray(S, a, ao + i);
          x.mul(0.5f).mul(FloatVector.fromArray(S, c, co + i).add(1f)).intoArray(c, co + i);
        }
        for (; i < n; i++) {
          c[co + i] = a[ao + i] * 0.5f * (c[co + i] + 1f);
        }
        return;
      case GELU_ERF: // ½x(1 + erf(x/√2)), in two passes
        VectorMath.erf(a, ao, INV_SQRT_2, c, co, n);
        for (; i < bound; i += l) {
          FloatVector x = FloatVector.fromArray(S, a, ao + i);
          x.mul(0.5f).mul(FloatVector.fromArray(S, c, co + i).add(1f)).intoArray(c, co + i);
        }
        for (; i < n; i++) {
          c[co + i] = a[ao + i] * 0.5f * (c[co + i] + 1f);
        }
        return;
      case ERF:
        VectorMath.erf(a, ao, 1f, c, co, n);
        return;
      default: // LOG1P, EXPM1, SIN, COS, SOFTPLUS: scalar (deterministic) Math
        break;
    }
    for (; i < n; i++) {
      c[co + i] = applyFloat(a[ao + i]);
    }
  }

  /**
   * ReLU, on every CNN training step, outside the switch and scalar. Compiled inside the switch,
   * once a training run had taken many of its cases, its vector loop was left to the Vector API's
   * scalar fallback (JFR: {@code lanewiseTemplate} under applyContiguous), and a vector loop in a
   * method of its own stayed as slow: 1.55 ms on the CNN's [64, 32, 28, 28] inside a training step,
   * against 0.43 ms alone. This plain loop takes 0.95 ms in the step (and alone), as no inlining
   * decision can demote it. Math.max gives the bits of {@link #applyFloat(float)}: NaN stays NaN,
   * −0 gives +0.
   */
  private static void relu(float[] c, int co, float[] a, int ao, int n) {
    for (int i = 0; i < n; i++) {
      c[co + i] = Math.max(a[ao + i], 0f);
    }
  }

  /**
   * The FLOAT64 twin of {@link #applyContiguous(float[], int, float[], int, int)}: SIMD for the ops
   * that IEEE 754 rounds exactly (so lanes and tail give the same bits as {@link #apply(double)}),
   * scalar {@code Math} for the others (there is no double-precision polynomial yet).
   */
  void applyContiguous(double[] c, int co, double[] a, int ao, int n) {
    int i = 0;
    int bound = D.loopBound(n);
    int l = D.length();
    switch (this) {
      case NEG:
        for (; i < bound; i += l) {
          DoubleVector.fromArray(D, a, ao + i).neg().intoArray(c, co + i);
        }
        break;
      case ABS:
        for (; i < bound; i += l) {
          DoubleVector.fromArray(D, a, ao + i).abs().intoArray(c, co + i);
        }
        break;
      case SQUARE:
        for (; i < bound; i += l) {
          DoubleVector x = DoubleVector.fromArray(D, a, ao + i);
          x.mul(x).intoArray(c, co + i);
        }
        break;
      case RELU:
        for (; i < bound; i += l) {
          DoubleVector.fromArray(D, a, ao + i).max(0.0).intoArray(c, co + i);
        }
        break;
      case SQRT:
        for (; i < bound; i += l) {
          DoubleVector.fromArray(D, a, ao + i).sqrt().intoArray(c, co + i);
        }
        break;
      case RSQRT:
        for (; i < bound; i += l) {
          DoubleVector x = DoubleVector.fromArray(D, a, ao + i);
          x.broadcast(1.0).div(x.sqrt()).intoArray(c, co + i);
        }
        break;
      case RECIPROCAL:
        for (; i < bound; i += l) {
          DoubleVector x = DoubleVector.fromArray(D, a, ao + i);
          x.broadcast(1.0).div(x).intoArray(c, co + i);
        }
        break;
      case SIGN:
        for (; i < bound; i += l) {
          DoubleVector x = DoubleVector.fromArray(D, a, ao + i);
          x.blend(1.0, x.compare(VectorOperators.GT, 0.0))
              .blend(-1.0, x.compare(VectorOperators.LT, 0.0))
              .intoArray(c, co + i);
        }
        break;
      default: // transcendental: scalar (deterministic) Math
        break;
    }
    for (; i < n; i++) {
      c[co + i] = apply(a[ao + i]);
    }
  }

  /**
   * The FLOAT32 scalar form: the same bits as the SIMD lanes for EXP, LOG, TANH, SIGMOID,
   * GELU_TANH, GELU_ERF and ERF (see {@link VectorMath}), double-precision {@code Math} rounded to
   * float for the others.
   */
  float applyFloat(float x) {
    switch (this) {
      case EXP:
        return VectorMath.exp(x);
      case LOG:
        return VectorMath.log(x);
      case TANH:
        return VectorMath.tanh(x);
      case SIGMOID:
        return 1f / (VectorMath.exp(x * -1f + 0f) + 1f);
      case GELU_TANH:
        {
          float t = VectorMath.tanh((x * x * x * (float) GELU_CUBIC + x) * (float) SQRT_2_OVER_PI);
          return x * 0.5f * (t + 1f);
        }
      case GELU_ERF:
        return x * 0.5f * (VectorMath.erf(x * INV_SQRT_2) + 1f);
      case ERF:
        return VectorMath.erf(x * 1f);
      default:
        return (float) apply((double) x);
    }
  }

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
}
