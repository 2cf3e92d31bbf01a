package dev.jgrad.tensor;

import static dev.jgrad.tensor.Samples.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.Samples.Layout;
import dev.jgrad.tensor.Samples.Sample;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Elementwise ops against the naive reference, in every dtype and layout: covers {@code
 * Elementwise} (ops and kernels), {@code UnaryOp}, {@code BinaryOp}, {@code StridedLoop} (the
 * strided and parallel paths of large arrays) and {@code SpecialFunctions} (erf, checked against
 * Simpson's rule). FLOAT32 and FLOAT64 take twin fast paths; each property runs both.
 */
class ElementwiseProperties {

  /**
   * ReLU of FLOAT32 arrays holding NaN, ±0 and ±∞ among random values, contiguous and strided: bit
   * for bit the definition (NaN stays NaN, −0 gives +0), at every position of a row.
   */
  @Property(tries = 60)
  void reluKeepsNaNAndGivesPositiveZero(
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 70) int length,
      @ForAll boolean strided,
      @ForAll long seed) {
    Generator g = new Generator(seed);
    float[] special = {Float.NaN, -0f, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
    float[] v = new float[2 * length];
    for (int i = 0; i < v.length; i++) {
      v[i] = g.nextInt(3) == 0 ? special[g.nextInt(special.length)] : (float) g.nextGaussian();
    }
    NDArray whole = NDArray.fromArray(v, 2 * length);
    NDArray x = strided ? whole.slice(0, 0, 2 * length, 2) : whole.narrow(0, length, length);
    float[] in = x.toFloatArray();
    float[] got = x.relu().toFloatArray();
    for (int i = 0; i < in.length; i++) {
      float expected = in[i] > 0 ? in[i] : Float.isNaN(in[i]) ? Float.NaN : 0f;
      assertEquals(
          Float.floatToIntBits(expected),
          Float.floatToIntBits(got[i]),
          "relu(" + in[i] + ") at " + i + " of " + in.length);
    }
  }

  enum Binary {
    ADD,
    SUB,
    MUL,
    DIV,
    POW,
    MAXIMUM,
    MINIMUM,
    EQ,
    NE,
    LT,
    LE,
    GT,
    GE
  }

  enum Unary {
    NEG,
    ABS,
    SIGN,
    EXP,
    LOG,
    LOG1P,
    EXPM1,
    SQRT,
    RSQRT,
    SQUARE,
    RECIPROCAL,
    SIN,
    COS,
    TANH,
    SIGMOID,
    RELU,
    GELU,
    GELU_TANH,
    SOFTPLUS,
    ERF
  }

  static NDArray apply(Binary op, NDArray a, NDArray b) {
    switch (op) {
      case ADD:
        return a.add(b);
      case SUB:
        return a.sub(b);
      case MUL:
        return a.mul(b);
      case DIV:
        return a.div(b);
      case POW:
        return a.pow(b);
      case MAXIMUM:
        return a.maximum(b);
      case MINIMUM:
        return a.minimum(b);
      case EQ:
        return a.eq(b);
      case NE:
        return a.ne(b);
      case LT:
        return a.lt(b);
      case LE:
        return a.le(b);
      case GT:
        return a.gt(b);
      default:
        return a.ge(b);
    }
  }

  static double reference(Binary op, double x, double y) {
    switch (op) {
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
        return Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.max(x, y);
      case MINIMUM:
        return Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.min(x, y);
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

  static NDArray apply(Unary op, NDArray a) {
    switch (op) {
      case NEG:
        return a.neg();
      case ABS:
        return a.abs();
      case SIGN:
        return a.sign();
      case EXP:
        return a.exp();
      case LOG:
        return a.log();
      case LOG1P:
        return a.log1p();
      case EXPM1:
        return a.expm1();
      case SQRT:
        return a.sqrt();
      case RSQRT:
        return a.rsqrt();
      case SQUARE:
        return a.square();
      case RECIPROCAL:
        return a.reciprocal();
      case SIN:
        return a.sin();
      case COS:
        return a.cos();
      case TANH:
        return a.tanh();
      case SIGMOID:
        return a.sigmoid();
      case RELU:
        return a.relu();
      case GELU:
        return a.gelu();
      case GELU_TANH:
        return a.geluTanh();
      case ERF:
        return a.erf();
      default:
        return a.softplus();
    }
  }

  /**
   * erf by Simpson's rule on 2/√π e^(−t²) over [0, x] with 2000 panels: independent of the kernel.
   */
  static double erfIntegral(double x) {
    int panels = 2000;
    double h = x / panels;
    double sum = 1 + Math.exp(-x * x);
    for (int i = 1; i < panels; i++) {
      double t = i * h;
      sum += (i % 2 == 1 ? 4 : 2) * Math.exp(-t * t);
    }
    return 2 / Math.sqrt(Math.PI) * sum * h / 3;
  }

  static double reference(Unary op, double x) {
    switch (op) {
      case NEG:
        return -x;
      case ABS:
        return Math.abs(x);
      case SIGN:
        return x > 0 ? 1 : x < 0 ? -1 : 0;
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
        return 1 / Math.sqrt(x);
      case SQUARE:
        return x * x;
      case RECIPROCAL:
        return 1 / x;
      case SIN:
        return Math.sin(x);
      case COS:
        return Math.cos(x);
      case TANH:
        return Math.tanh(x);
      case SIGMOID:
        return 1 / (1 + Math.exp(-x));
      case RELU:
        return Math.max(x, 0);
      case GELU:
        return 0.5 * x * (1 + erfIntegral(x / Math.sqrt(2)));
      case GELU_TANH:
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
      case ERF:
        return erfIntegral(x);
      default:
        return Math.log1p(Math.exp(x));
    }
  }

  static boolean positiveDomain(Unary op) {
    return op == Unary.LOG || op == Unary.SQRT || op == Unary.RSQRT || op == Unary.LOG1P;
  }

  @Provide
  Arbitrary<int[][]> pairs() {
    return Samples.broadcastPairs();
  }

  @Provide
  Arbitrary<int[]> shapes() {
    return Samples.shapes();
  }

  @Provide
  Arbitrary<DType> dtypes() {
    return Arbitraries.of(DType.class);
  }

  @Property(tries = 300)
  void binaryOpsBroadcastLikeTheReference(
      @ForAll Binary op,
      @ForAll("pairs") int[][] shapes,
      @ForAll Layout layoutA,
      @ForAll Layout layoutB,
      @ForAll("dtypes") DType dtype,
      @ForAll long seed) {
    Sample a = Samples.sample(dtype, shapes[0], layoutA, seed, -3, 3);
    Sample b = Samples.sample(dtype, shapes[1], layoutB, seed + 1, -3, 3);
    NDArray out = apply(op, a.array(), b.array());
    Model expected = Model.zip(a.model(), b.model(), (x, y) -> reference(op, x, y));
    boolean comparison = op.ordinal() >= Binary.EQ.ordinal();
    DType want =
        comparison
            ? DType.INT32
            : dtype == DType.INT32 && (op == Binary.DIV || op == Binary.POW)
                ? DType.FLOAT32
                : dtype;
    assertEquals(want, out.dtype(), "result dtype");
    double rtol = want == DType.FLOAT64 ? 1e-12 : want == DType.FLOAT32 ? 2e-6 : 0;
    if (want == DType.INT32) {
      expected = expected.map(v -> (int) v);
    }
    assertClose(op + " " + a + " with " + b, out, expected, rtol, 1e-30);
  }

  @Provide
  Arbitrary<DType> floatTypes() {
    return Arbitraries.of(DType.FLOAT32, DType.FLOAT64);
  }

  static double rtol(DType dtype) {
    return dtype == DType.FLOAT64 ? 1e-12 : 2e-6;
  }

  /** A row added (or otherwise combined) to every row of a batch, rows short and long. */
  @Property(tries = 300)
  void aRowBroadcastOverABatchMatchesTheReference(
      @ForAll Binary op,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 70) int rows,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 40) int len,
      @ForAll("floatTypes") DType dtype,
      @ForAll long seed) {
    Sample a = Samples.sample(dtype, new int[] {rows, len}, Layout.CONTIGUOUS, seed, -3, 3);
    Sample b = Samples.sample(dtype, new int[] {len}, Layout.CONTIGUOUS, seed + 1, -3, 3);
    NDArray out = apply(op, a.array(), b.array());
    Model expected = Model.zip(a.model(), b.model(), (x, y) -> reference(op, x, y));
    if (op.ordinal() >= Binary.EQ.ordinal()) {
      expected = expected.map(v -> (int) v);
    }
    assertClose(op + " " + a + " with " + b, out, expected, rtol(dtype), 1e-30);
  }

  /**
   * Two broadcast scalars (the gradient of a mean has this shape) fill the output with one value,
   * both when small (one flat row) and when large (the strided, parallel loop).
   */
  @Property(tries = 40)
  void twoBroadcastScalarsFillTheOutput(
      @ForAll Binary op,
      @ForAll("floatTypes") DType dtype,
      @ForAll boolean large,
      @ForAll long seed) {
    double[] v = Samples.values(seed, 2, 0.5, 3);
    int n = large ? 2 * StridedLoop.PARALLEL_GRAIN + 3 : 3 * Samples.W + 1;
    NDArray x = NDArray.scalar(dtype, v[0]).expand(2, n / 2 + 1);
    NDArray y = NDArray.scalar(dtype, v[1]).expand(2, n / 2 + 1);
    double x0 = x.getDouble(0, 0);
    double y0 = y.getDouble(0, 0);
    double want = reference(op, x0, y0);
    if (op.ordinal() >= Binary.EQ.ordinal()) {
      want = (int) want;
    }
    double[] out = apply(op, x, y).toDoubleArray();
    for (int i = 0; i < out.length; i++) {
      assertEquals(want, out[i], rtol(dtype) * Math.abs(want), op + " at " + i);
    }
  }

  /**
   * Signed zeros, infinities and NaN give the same bits in SIMD lanes as in the scalar tail and as
   * {@code Math} in double: sign(−0) is −0, relu(−0) is +0, 1/−0 is −∞. Each value is placed at
   * every position of a row two vectors and three elements long.
   */
  @Property(tries = 60)
  void specialValuesGiveTheSameBitsInEveryLane(
      @ForAll Unary op, @ForAll("floatTypes") DType dtype, @ForAll boolean negativeZero) {
    double[] specials = {
      negativeZero ? -0.0 : 0.0,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      Double.NaN,
      -1.5,
      2.25
    };
    int n = 2 * Samples.W + 3;
    for (double special : specials) {
      double alone = apply(op, NDArray.scalar(dtype, special)).getDouble();
      for (int at = 0; at < n; at++) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, 1.0);
        v[at] = special;
        double got = apply(op, NDArray.fromArray(v, n).to(dtype)).getDouble(at);
        assertTrue(
            sameBits(alone, got),
            op + "(" + special + ") at " + at + " of " + n + ": " + got + " vs " + alone);
      }
      if (dtype == DType.FLOAT64 && exactInDouble(op)) {
        double want = reference(op, special);
        assertTrue(sameBits(want, alone), op + "(" + special + ") = " + alone + ", not " + want);
      }
    }
  }

  /** Equal bits, or both NaN (whose payload may differ). */
  static boolean sameBits(double a, double b) {
    return Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b) || (a != a && b != b);
  }

  /** Ops whose double result is one correctly rounded IEEE operation (or exact). */
  static boolean exactInDouble(Unary op) {
    switch (op) {
      case NEG:
      case ABS:
      case SQRT:
      case RECIPROCAL:
      case SQUARE:
      case RELU:
        return true;
      default:
        return false;
    }
  }

  @Property(tries = 300)
  void unaryOpsMatchTheReference(
      @ForAll Unary op,
      @ForAll("shapes") int[] shape,
      @ForAll Layout layout,
      @ForAll("dtypes") DType dtype,
      @ForAll long seed) {
    boolean positive = positiveDomain(op);
    Sample a = Samples.sample(dtype, shape, layout, seed, positive ? 0.01 : -5, 5);
    NDArray out = apply(op, a.array());
    Model expected = a.model().map(x -> reference(op, x));
    boolean keepsInts =
        op == Unary.NEG
            || op == Unary.ABS
            || op == Unary.SIGN
            || op == Unary.SQUARE
            || op == Unary.RELU;
    DType want = dtype == DType.INT32 && !keepsInts ? DType.FLOAT32 : dtype;
    assertEquals(want, out.dtype(), "result dtype");
    double rtol = want == DType.FLOAT64 ? 1e-12 : 5e-6;
    double atol = want == DType.FLOAT64 ? 1e-14 : 1e-6;
    if (op == Unary.GELU && want == DType.FLOAT64) { // the Simpson reference is good to ~1e-13
      atol = 1e-12;
    }
    assertClose(op + " " + a, out, expected, rtol, atol);
  }

  @Property(tries = 100)
  void clampLimitsToTheRange(
      @ForAll("shapes") int[] shape,
      @ForAll Layout layout,
      @ForAll("dtypes") DType dtype,
      @ForAll long seed) {
    Sample a = Samples.sample(dtype, shape, layout, seed, -5, 5);
    assertClose(
        "clamp", a.array().clamp(-1, 2), a.model().map(x -> Math.min(2, Math.max(-1, x))), 0, 0);
    if (dtype != DType.INT32) {
      assertClose("clampMin", a.array().clampMin(0.5), a.model().map(x -> Math.max(0.5, x)), 0, 0);
      assertClose("clampMax", a.array().clampMax(0.5), a.model().map(x -> Math.min(0.5, x)), 0, 0);
    }
  }

  @Property(tries = 100)
  void scalarOverloadsEqualBroadcastScalars(
      @ForAll Binary op, @ForAll("shapes") int[] shape, @ForAll Layout layout, @ForAll long seed) {
    Sample a = Samples.sample(DType.FLOAT32, shape, layout, seed, -3, 3);
    double s = 1.75;
    NDArray viaScalar;
    switch (op) {
      case ADD:
        viaScalar = a.array().add(s);
        break;
      case SUB:
        viaScalar = a.array().sub(s);
        break;
      case MUL:
        viaScalar = a.array().mul(s);
        break;
      case DIV:
        viaScalar = a.array().div(s);
        break;
      case POW:
        viaScalar = a.array().pow(s);
        break;
      case EQ:
        viaScalar = a.array().eq(s);
        break;
      case LT:
        viaScalar = a.array().lt(s);
        break;
      case GE:
        viaScalar = a.array().ge(s);
        break;
      default:
        return;
    }
    NDArray viaArray = apply(op, a.array(), NDArray.scalar(s));
    assertArrayEquals(viaArray.toDoubleArray(), viaScalar.toDoubleArray());
  }

  @Property(tries = 100)
  void whereTakesFromTheRightBranch(
      @ForAll("pairs") int[][] shapes, @ForAll Layout layout, @ForAll long seed) {
    Sample cond = Samples.sample(DType.INT32, shapes[0], layout, seed, 0, 2);
    Sample a = Samples.sample(DType.FLOAT32, shapes[1], Layout.CONTIGUOUS, seed + 1, -3, 3);
    NDArray out = NDArray.where(cond.array(), a.array(), NDArray.scalar(-100));
    Model expected = Model.zip(cond.model(), a.model(), (c, x) -> c != 0 ? x : -100);
    assertClose("where", out, expected, 0, 0);
  }

  @Property(tries = 100)
  void inPlaceOpsMatchTheirPureForms(
      @ForAll("pairs") int[][] shapes, @ForAll Layout layout, @ForAll long seed) {
    int[] big = Model.broadcastShape(shapes[0], shapes[1]);
    Sample dst = Samples.sample(DType.FLOAT32, big, Layout.CONTIGUOUS, seed, -3, 3);
    Sample src = Samples.sample(DType.FLOAT32, shapes[1], layout, seed + 7, -3, 3);
    NDArray expectedAdd = dst.array().add(src.array().mul(0.5));
    NDArray expectedMul = dst.array().mul(src.array());
    NDArray x = dst.array().clone();
    x.addInPlace(src.array(), 0.5);
    assertArrayEquals(expectedAdd.toFloatArray(), x.toFloatArray());
    NDArray y = dst.array().clone();
    y.mulInPlace(src.array());
    assertArrayEquals(expectedMul.toFloatArray(), y.toFloatArray());
  }

  @Property(tries = 60)
  void largeArraysGiveTheSameBitsOnOneAndTwoThreads(
      @ForAll Unary op, @ForAll("floatTypes") DType dtype, @ForAll long seed) {
    int n = 300_001;
    boolean positive = positiveDomain(op);
    NDArray a = NDArray.fromArray(Samples.values(seed, n, positive ? 0.01 : -5, 5), n).to(dtype);
    NDArray b = NDArray.fromArray(Samples.values(seed + 1, n, 0.5, 2), n).to(dtype);
    NDArray row = b.slice(0, 0, 1000).reshape(1, 1000);
    NDArray batch = a.slice(0, 0, 300_000).reshape(300, 1000);
    int before = Parallel.threads();
    try {
      Parallel.setThreads(1);
      double[] u1 = apply(op, a).toDoubleArray();
      double[] m1 = a.mul(b).add(b).toDoubleArray();
      double[] r1 = batch.sub(row).toDoubleArray();
      Parallel.setThreads(2);
      double[] u2 = apply(op, a).toDoubleArray();
      double[] m2 = a.mul(b).add(b).toDoubleArray();
      double[] r2 = batch.sub(row).toDoubleArray();
      assertArrayEquals(u1, u2);
      assertArrayEquals(m1, m2);
      assertArrayEquals(r1, r2);
      double tol = dtype == DType.FLOAT64 ? 1e-12 : 1e-5;
      for (int i : new int[] {0, n / 2, n - 1}) {
        double x = a.getDouble(i);
        double y = b.getDouble(i);
        assertEquals(reference(op, x), u2[i], tol * Math.abs(u2[i]) + tol / 10, op + " at " + i);
        assertEquals(x * y + y, m2[i], tol * Math.abs(m2[i]) + tol / 10, "x·y + y at " + i);
      }
      double last = a.getDouble(299_999) - b.getDouble(999); // the row broadcast over the batch
      assertEquals(last, r2[299_999], dtype == DType.FLOAT32 ? Math.ulp((float) last) : 0.0);
    } finally {
      Parallel.setThreads(before);
    }
  }
}
