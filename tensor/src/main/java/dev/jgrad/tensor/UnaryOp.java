package dev.jgrad.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

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
  GELU_TANH("gelu"),
  GELU_ERF("gelu"),
  SOFTPLUS("softplus");

  private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
  private static final double GELU_CUBIC = 0.044715;

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
      default: // SOFTPLUS, stable: max(x, 0) + log1p(exp(-|x|))
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }
  }

  /** True when {@link #apply(FloatVector)} has a SIMD form. */
  boolean hasVectorForm() {
    return this != GELU_ERF;
  }

  FloatVector apply(FloatVector x) {
    switch (this) {
      case NEG:
        return x.neg();
      case ABS:
        return x.abs();
      case SIGN:
        {
          FloatVector zero = x.broadcast(0f);
          FloatVector s = zero.blend(1f, x.compare(VectorOperators.GT, 0f));
          s = s.blend(-1f, x.compare(VectorOperators.LT, 0f));
          return s.blend(x, x.test(VectorOperators.IS_NAN));
        }
      case SQUARE:
        return x.mul(x);
      case RELU:
        return x.blend(0f, x.compare(VectorOperators.LE, 0f));
      case EXP:
        return x.lanewise(VectorOperators.EXP);
      case LOG:
        return x.lanewise(VectorOperators.LOG);
      case LOG1P:
        return x.lanewise(VectorOperators.LOG1P);
      case EXPM1:
        return x.lanewise(VectorOperators.EXPM1);
      case SQRT:
        return x.sqrt();
      case RSQRT:
        return x.broadcast(1f).div(x.sqrt());
      case RECIPROCAL:
        return x.broadcast(1f).div(x);
      case SIN:
        return x.lanewise(VectorOperators.SIN);
      case COS:
        return x.lanewise(VectorOperators.COS);
      case TANH:
        return x.lanewise(VectorOperators.TANH);
      case SIGMOID:
        return x.broadcast(1f).div(x.neg().lanewise(VectorOperators.EXP).add(1f));
      case GELU_TANH:
        {
          FloatVector inner = x.mul(x).mul(x).mul((float) GELU_CUBIC).add(x);
          FloatVector t = inner.mul((float) SQRT_2_OVER_PI).lanewise(VectorOperators.TANH);
          return x.mul(0.5f).mul(t.add(1f));
        }
      case SOFTPLUS:
        return x.max(0f)
            .add(x.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P));
      default:
        throw new AssertionError(this);
    }
  }
}
