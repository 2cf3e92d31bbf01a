package dev.jgrad.tensor;

import jdk.incubator.vector.DoubleVector;

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

  /**
   * {@code c[co + i] = op(a[ao + i·as], b[bo + i·bs])} for {@code i < n}, with {@code as} and
   * {@code bs} each 0 (a broadcast value) or 1 (contiguous), for every op but POW. One plain loop
   * per op and layout, which C2 vectorises itself: a shared SIMD loop calling a switch over the six
   * ops' FloatVector forms merged their vectors in one variable, which C2 cannot keep in registers,
   * so once a training step had run several ops every vector was boxed (JFR of a GPT step: 30% of
   * it in such loops, at about 10 ns per element). The bits are those of {@link #apply(float,
   * float)}.
   */
  void applyContiguous(
      float[] c, int co, float[] a, int ao, int as, float[] b, int bo, int bs, int n) {
    switch (this) {
      case ADD:
        add(c, co, a, ao, as, b, bo, bs, n);
        return;
      case SUB:
        sub(c, co, a, ao, as, b, bo, bs, n);
        return;
      case MUL:
        mul(c, co, a, ao, as, b, bo, bs, n);
        return;
      case DIV:
        div(c, co, a, ao, as, b, bo, bs, n);
        return;
      case MAXIMUM:
        maximum(c, co, a, ao, as, b, bo, bs, n);
        return;
      case MINIMUM:
        minimum(c, co, a, ao, as, b, bo, bs, n);
        return;
      default:
        throw new AssertionError(this);
    }
  }

  private static void add(
      float[] c, int co, float[] a, int ao, int as, float[] b, int bo, int bs, int n) {
    if (as == 0) {
      float x = a[ao];
      for (int i = 0; i < n; i++) {
        c[co + i] = x + b[bo + i];
      }
    } else if (bs == 0) {
      float y = b[bo];
      for (int i = 0; i < n; i++) {
        c[co + i] = a[ao + i] + y;
      }
    } else {
      for (int i = 0; i < n; i++) {
        c[co + i] = a[ao + i] + b[bo + i];
      }
    }
  }

  private static void sub(
      float[] c, int co, float[] a, int ao, int as, float[] b, int bo, int bs, int n) {
    if (as == 0) {
      float x = a[ao];
      for (int i = 0; i < n; i++) {
        c[co + i] = x - b[bo + i];
      }
    } else if (bs == 0) {
      float y = b[bo];
      for (int i = 0; i < n; i++) {
        c[co + i] = a[ao + i] - y;
      }
    } else {
      for (int i = 0; i < n; i++) {
        c[co + i] = a[ao + i] - b[bo + i];
      }
    }
  }

  private static void mul(
      float[] c, int co, float[] a, int ao, int as, float[] b, int bo, int bs, int n) {
    if (as == 0) {
      float x = a[ao];
      for (int i = 0; i < n; i++) {
        c[co + i] = x * b[bo + i];
      }
    } else if (bs == 0) {
      float y = b[bo];
      for (int i = 0; i < n; i++) {
        c[co + i] = a[ao + i] * y;
      }
    } else {
      for (int i = 0; i < n; i++) {
        c[co + i] = a[ao + i] * b[bo + i];
      }
    }
  }

  private static void div(
      float[] c, int co, float[] a, int ao, int as, float[] b, int bo, int bs, int n) {
    if (as == 0) {
      float x = a[ao];
      for (int i = 0; i < n; i++) {
        c[co + i] = x / b[bo + i];
      }
    } else if (bs == 0) {
      float y = b[bo];
      for (int i = 0; i < n; i++) {
        c[co + i] = a[ao + i] / y;
      }
    } else {
      for (int i = 0; i < n; i++) {
        c[co + i] = a[ao + i] / b[bo + i];
      }
    }
  }

  private static void maximum(
      float[] c, int co, float[] a, int ao, int as, float[] b, int bo, int bs, int n) {
    if (as == 0) {
      float x = a[ao];
      for (int i = 0; i < n; i++) {
        c[co + i] = Math.max(x, b[bo + i]);
      }
    } else if (bs == 0) {
      float y = b[bo];
      for (int i = 0; i < n; i++) {
        c[co + i] = Math.max(a[ao + i], y);
      }
    } else {
      for (int i = 0; i < n; i++) {
        c[co + i] = Math.max(a[ao + i], b[bo + i]);
      }
    }
  }

  private static void minimum(
      float[] c, int co, float[] a, int ao, int as, float[] b, int bo, int bs, int n) {
    if (as == 0) {
      float x = a[ao];
      for (int i = 0; i < n; i++) {
        c[co + i] = Math.min(x, b[bo + i]);
      }
    } else if (bs == 0) {
      float y = b[bo];
      for (int i = 0; i < n; i++) {
        c[co + i] = Math.min(a[ao + i], y);
      }
    } else {
      for (int i = 0; i < n; i++) {
        c[co + i] = Math.min(a[ao + i], b[bo + i]);
      }
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
