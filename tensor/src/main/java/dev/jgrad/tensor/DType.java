package dev.jgrad.tensor;

/**
 * The element type of an {@link NDArray}.
 *
 * <p>{@code FLOAT32} is the default for data and parameters; {@code FLOAT64} serves numerical
 * checks and users who need the precision; {@code INT32} holds labels, indices and 0/1 masks (the
 * results of comparisons).
 *
 * <pre>{@code
 * NDArray labels = NDArray.ofInts(3, 1, 4);      // INT32
 * NDArray x = NDArray.zeros(2, 3).to(DType.FLOAT64);
 * }</pre>
 */
public enum DType {
  /** 32-bit IEEE 754 floating point, backed by {@code float[]}. */
  FLOAT32(4, "float32"),
  /** 64-bit IEEE 754 floating point, backed by {@code double[]}. */
  FLOAT64(8, "float64"),
  /** 32-bit signed integers, backed by {@code int[]}. */
  INT32(4, "int32");

  private final int byteSize;
  private final String displayName;

  DType(int byteSize, String displayName) {
    this.byteSize = byteSize;
    this.displayName = displayName;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** True for FLOAT32 and FLOAT64. */
  public boolean isFloatingPoint() {
    return this != INT32;
  }

  /**
   * The type both operands of a binary op are computed in, as in PyTorch: an integer with a float
   * gives the float, FLOAT32 with FLOAT64 gives FLOAT64.
   */
  public static DType promote(DType a, DType b) {
    if (a == b) {
      return a;
    }
    if (a == FLOAT64 || b == FLOAT64) {
      return FLOAT64;
    }
    return FLOAT32;
  }

  /** The name PyTorch prints, e.g. {@code float32}. */
  @Override
  public String toString() {
    return displayName;
  }
}
