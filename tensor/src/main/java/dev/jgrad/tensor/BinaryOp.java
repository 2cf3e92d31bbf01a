package dev.jgrad.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * The elementwise binary operations, each with its scalar and SIMD form side by side. POW has no
 * SIMD form: the Vector API's POW gives different bits compiled and interpreted.
 */
enum BinaryOp {
  ADD("add"),
  SUB("sub"),
  MUL("mul"),
  DIV("div"),
  POW("pow"),
  MAXIMUM("maximum"),
  MINIMUM("minimum"),
  EQ("eq"),
  NE("ne"),
  LT("lt"),
  LE("le"),
  GT("gt"),
  GE("ge");

  final String opName;

  BinaryOp(String opName) {
    this.opName = opName;
  }

  boolean isComparison() {
    return ordinal() >= EQ.ordinal();
  }

  double apply(double x, double y) {
    switch (this) {
      case ADD:
        return x + y;
      case SUB:
        return x - y;
      case MUL:
        return x * y;
      case DIV:
        return x / y;
      case POW:
        return Math.pow(x, y);
      case MAXIMUM:
        return Math.max(x, y);
      case MINIMUM:
        return Math.min(x, y);
      case EQ:
        return x == y ? 1 : 0;
      case NE:
        return x != y ? 1 : 0;
      case LT:
        return x < y ? 1 : 0;
      case LE:
        return x <= y ? 1 : 0;
      case GT:
        return x > y ? 1 : 0;
      default:
        return x >= y ? 1 : 0;
    }
  }

  float apply(float x, float y) {
    switch (this) {
      case ADD:
        return x + y;
      case SUB:
        return x - y;
      case MUL:
        return x * y;
      case DIV:
        return x / y;
      case MAXIMUM:
        return Math.max(x, y);
      case MINIMUM:
        return Math.min(x, y);
      default:
        return (float) apply((double) x, (double) y);
    }
  }

  FloatVector apply(FloatVector x, FloatVector y) {
    switch (this) {
      case ADD:
        return x.add(y);
      case SUB:
        return x.sub(y);
      case MUL:
        return x.mul(y);
      case DIV:
        return x.div(y);
      case MAXIMUM:
        return x.max(y);
      case MINIMUM:
        return x.min(y);
      default:
        throw new AssertionError(this);
    }
  }

  DoubleVector apply(DoubleVector x, DoubleVector y) {
    switch (this) {
      case ADD:
        return x.add(y);
      case SUB:
        return x.sub(y);
      case MUL:
        return x.mul(y);
      case DIV:
        return x.div(y);
      case MAXIMUM:
        return x.max(y);
      case MINIMUM:
        return x.min(y);
      default:
        throw new AssertionError(this);
    }
  }
}
