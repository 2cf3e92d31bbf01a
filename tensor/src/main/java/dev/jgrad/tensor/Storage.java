package dev.jgrad.tensor;

/** Element access on the three kinds of backing array, for the general (non-SIMD) paths. */
final class Storage {
  private Storage() {}

  static Object allocate(DType dtype, int n) {
    switch (dtype) {
      case FLOAT32:
        return new float[n];
      case FLOAT64:
        return new double[n];
      default:
        return new int[n];
    }
  }

  static double get(Object data, int i) {
    if (data instanceof float[]) {
      return ((float[]) data)[i];
    }
    if (data instanceof double[]) {
      return ((double[]) data)[i];
    }
    return ((int[]) data)[i];
  }

  /** Stores {@code v}, rounding to float or truncating toward zero for ints (like a C cast). */
  static void set(Object data, int i, double v) {
    if (data instanceof float[]) {
      ((float[]) data)[i] = (float) v;
    } else if (data instanceof double[]) {
      ((double[]) data)[i] = v;
    } else {
      ((int[]) data)[i] = (int) v;
    }
  }

  static int length(Object data) {
    if (data instanceof float[]) {
      return ((float[]) data).length;
    }
    if (data instanceof double[]) {
      return ((double[]) data).length;
    }
    return ((int[]) data).length;
  }
}
