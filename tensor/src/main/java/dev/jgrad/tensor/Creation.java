package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;

/**
 * New arrays: filled with a constant, with a range, from Java arrays, or from a {@link Generator}.
 * Every factory returns a contiguous array with storage of its own; {@code op} names the public
 * factory in error messages.
 */
final class Creation {
  private Creation() {}

  /**
   * A new contiguous array; its elements are zero (Java zero-fills new arrays).
   *
   * @throws IllegalArgumentException naming {@code op} when a size is negative or the element count
   *     is more than one Java array can hold
   */
  static NDArray empty(String op, DType dtype, int[] shape) {
    int[] s = shape.clone();
    int n = Shapes.checkAllocation(op, s, dtype.byteSize());
    return new NDArray(dtype, Storage.allocate(dtype, n), s, Shapes.contiguousStrides(s), 0);
  }

  /** Every element {@code value}; new storage already holds +0.0, so only other values fill. */
  static NDArray full(String op, DType dtype, double value, int[] shape) {
    NDArray a = empty(op, dtype, shape);
    if (Double.doubleToRawLongBits(value) != 0) { // −0.0 fills too: it is not +0.0
      Elementwise.fill(a, value);
    }
    return a;
  }

  /** {@code [start, …, end-1]} as INT32 (empty when end ≤ start). */
  static NDArray arange(int start, int end) {
    long count = Math.max(0, (long) end - start);
    if (count > Shapes.MAX_ARRAY_LENGTH) {
      throw new IllegalArgumentException(
          "arange: [" + start + ", " + end + ") has too many values for one array");
    }
    int n =
        Shapes.checkAllocation("arange", count, Integer.BYTES, " of [" + start + ", " + end + ")");
    int[] v = new int[n];
    for (int i = 0; i < n; i++) {
      v[i] = start + i;
    }
    return wrap(DType.INT32, v, n);
  }

  /**
   * {@code start + i·step} for i = 0, 1, … while below {@code end} (above, for a negative step).
   */
  static NDArray arange(double start, double end, double step) {
    if (step == 0 || Double.isNaN(step)) {
      throw new IllegalArgumentException("arange: step must be non-zero, got " + step);
    }
    if (!Double.isFinite(start) || !Double.isFinite(end)) {
      throw new IllegalArgumentException(
          "arange: start and end must be finite, got [" + start + ", " + end + ")");
    }
    double count = Math.max(0, Math.ceil((end - start) / step));
    if (!(count <= Shapes.MAX_ARRAY_LENGTH)) {
      throw new IllegalArgumentException(
          String.format(
              "arange: [%s, %s) in steps of %s has too many values for one array",
              start, end, step));
    }
    String of = String.format(" of [%s, %s) in steps of %s", start, end, step);
    int n = Shapes.checkAllocation("arange", (long) count, Float.BYTES, of);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (start + i * step);
    }
    return wrap(DType.FLOAT32, v, n);
  }

  /**
   * {@code steps} values from start to end inclusive, evenly spaced; the last one is exactly end.
   */
  static NDArray linspace(double start, double end, int steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("linspace: steps must be non-negative, got " + steps);
    }
    Shapes.checkAllocation("linspace", steps, Float.BYTES);
    float[] v = new float[steps];
    double step = steps > 1 ? (end - start) / (steps - 1) : 0;
    for (int i = 0; i < steps; i++) {
      v[i] = (float) (i == steps - 1 && steps > 1 ? end : start + i * step);
    }
    return wrap(DType.FLOAT32, v, steps);
  }

  /** The n×m FLOAT32 matrix with ones on the main diagonal. */
  static NDArray eye(int n, int m) {
    NDArray a = empty("eye", DType.FLOAT32, new int[] {n, m});
    float[] v = (float[]) a.data;
    for (int i = 0; i < Math.min(n, m); i++) {
      v[i * m + i] = 1f;
    }
    return a;
  }

  /** A 2-D FLOAT32 array of the rows. */
  static NDArray rows(float[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    float[] v = new float[rows.length * cols];
    for (int i = 0; i < rows.length; i++) {
      checkRow(i, rows[i].length, cols);
      System.arraycopy(rows[i], 0, v, i * cols, cols);
    }
    return new NDArray(DType.FLOAT32, v, new int[] {rows.length, cols}, new int[] {cols, 1}, 0);
  }

  /** A 2-D FLOAT64 array of the rows. */
  static NDArray rows(double[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    double[] v = new double[rows.length * cols];
    for (int i = 0; i < rows.length; i++) {
      checkRow(i, rows[i].length, cols);
      System.arraycopy(rows[i], 0, v, i * cols, cols);
    }
    return new NDArray(DType.FLOAT64, v, new int[] {rows.length, cols}, new int[] {cols, 1}, 0);
  }

  private static void checkRow(int i, int length, int cols) {
    if (length != cols) {
      throw new IllegalArgumentException(
          "of: row " + i + " has length " + length + ", expected " + cols);
    }
  }

  /** Elements converted per call of {@link #unsignedBytesToFloats}. */
  private static final int BYTES_CHUNK = 4096;

  /**
   * A FLOAT32 array of {@code (data[offset + i] & 0xFF) / divisor}: unsigned bytes (pixels 0..255,
   * say) scaled, in one pass with no intermediate copy.
   */
  static NDArray fromUnsignedBytes(byte[] data, int offset, float divisor, int... shape) {
    String op = "fromUnsignedBytes";
    int n = Shapes.checkAllocation(op, shape, Float.BYTES);
    if (offset < 0 || offset > data.length || n > data.length - offset) {
      throw new IllegalArgumentException(
          String.format(
              "%s: shape %s needs %d bytes from offset %d, the array has %d",
              op, Shapes.toString(shape), n, offset, data.length));
    }
    float[] v = new float[n];
    for (int from = 0; from < n; from += BYTES_CHUNK) {
      unsignedBytesToFloats(data, offset + from, divisor, v, from, Math.min(BYTES_CHUNK, n - from));
    }
    return wrap(DType.FLOAT32, v, shape);
  }

  /**
   * One chunk: a short method called many times, which the JIT compiles after a few calls, where
   * one loop over a whole data set would run in the interpreter until an on-stack replacement.
   */
  private static void unsignedBytesToFloats(
      byte[] src, int from, float divisor, float[] dst, int to, int count) {
    for (int i = 0; i < count; i++) {
      dst[to + i] = (src[from + i] & 0xFF) / divisor;
    }
  }

  /**
   * An array over {@code storage} itself (callers pass a copy when the caller's array must not be
   * shared), after checking that it holds exactly the shape's element count.
   */
  static NDArray wrap(DType dtype, Object storage, int... shape) {
    int[] s = Shapes.checkShape("fromArray", shape);
    int length = Storage.length(storage);
    if (Shapes.numel(s) != length) {
      throw new IllegalArgumentException(
          "fromArray: " + length + " values cannot fill shape " + Shapes.toString(s));
    }
    return new NDArray(dtype, storage, s, Shapes.contiguousStrides(s), 0);
  }

  // ------------------------------------------------------------------ random

  /** Uniform in [0, 1): 24 random bits per FLOAT32 element, 53 per FLOAT64 one. */
  static NDArray rand(Generator g, DType dtype, int[] shape) {
    NDArray a = empty("rand", checkFloatDType("rand", dtype), shape);
    int n = a.numel();
    for (int i = 0; i < n; i++) {
      Storage.set(a.data, i, dtype == DType.FLOAT32 ? g.nextFloat() : g.nextDouble());
    }
    return a;
  }

  /** Standard normal variates, in row-major order. */
  static NDArray randn(Generator g, DType dtype, int[] shape) {
    NDArray a = empty("randn", checkFloatDType("randn", dtype), shape);
    int n = a.numel();
    for (int i = 0; i < n; i++) {
      Storage.set(a.data, i, g.nextGaussian());
    }
    return a;
  }

  /** Uniform integers in [low, high), INT32. */
  static NDArray randint(Generator g, int low, int high, int[] shape) {
    if (high <= low) {
      throw new IllegalArgumentException(
          "randint: expected low < high, got low=" + low + ", high=" + high);
    }
    if ((long) high - low > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "randint: the range [" + low + ", " + high + ") has more than 2^31 - 1 values");
    }
    NDArray a = empty("randint", DType.INT32, shape);
    int[] v = (int[]) a.data;
    for (int i = 0; i < v.length; i++) {
      v[i] = low + g.nextInt(high - low);
    }
    return a;
  }

  private static DType checkFloatDType(String op, DType dtype) {
    if (!dtype.isFloatingPoint()) {
      throw new IllegalArgumentException(op + ": expected a floating-point dtype, got " + dtype);
    }
    return dtype;
  }
}
