package dev.jgrad.tensor.kernel;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import java.util.Arrays;

/**
 * Direct access to the storage of dense FLOAT32 arrays, for SIMD kernels that live in the module
 * whose math they compute rather than in {@code tensor}. A dense array is FLOAT32 and contiguous:
 * its elements are {@code array(a)[a.offset()] … array(a)[a.offset() + a.numel() − 1]} in row-major
 * order.
 *
 * <p>This package is exported only to jgrad's own modules (see {@code module-info.java}); it is not
 * API for users, who work with {@link NDArray}'s operations.
 *
 * <pre>{@code
 * if (Dense.floats(x, y)) {
 *   float[] xs = Dense.array(x);
 *   NDArray out = Dense.newFloats(x.shape());
 *   float[] os = Dense.array(out);
 *   for (int i = 0; i < x.numel(); i++) os[i] = xs[x.offset() + i] * 2;
 * }
 * }</pre>
 */
public final class Dense {
  /** How this package reaches NDArray's storage; NDArray installs the one implementation. */
  public interface Access {
    /** The storage array of {@code a} (float[], double[] or int[]). */
    Object storage(NDArray a);

    /** A new contiguous array of a dtype and shape, its contents unspecified. */
    NDArray allocate(DType dtype, int[] shape);
  }

  private static Access access;

  static {
    try { // NDArray's static initialiser installs the access
      Class.forName(NDArray.class.getName(), true, NDArray.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Dense() {}

  /**
   * Called once, by NDArray.
   *
   * @throws IllegalStateException when called again
   */
  public static synchronized void install(Access implementation) {
    if (access != null) {
      throw new IllegalStateException("Dense.install: the storage access is installed already");
    }
    access = implementation;
  }

  /** True when every non-null array is FLOAT32, contiguous and of the first one's shape. */
  public static boolean floats(NDArray... arrays) {
    int[] shape = null;
    for (NDArray a : arrays) {
      if (a == null) {
        continue;
      }
      if (a.dtype() != DType.FLOAT32 || !a.isContiguous()) {
        return false;
      }
      int[] s = a.shape();
      if (shape == null) {
        shape = s;
      } else if (!Arrays.equals(shape, s)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The storage of a FLOAT32 array; element i of a dense array is at {@code a.offset() + i}.
   *
   * @throws IllegalArgumentException if {@code a} is not FLOAT32
   */
  public static float[] array(NDArray a) {
    if (a.dtype() != DType.FLOAT32) {
      throw new IllegalArgumentException("Dense.array: expected FLOAT32, got " + a.dtype());
    }
    return (float[]) access.storage(a);
  }

  /**
   * A new contiguous FLOAT32 array of the shape (offset 0), its contents unspecified.
   *
   * @throws IllegalArgumentException if a size is negative or the element count exceeds an int
   */
  public static NDArray newFloats(int... shape) {
    return access.allocate(DType.FLOAT32, shape);
  }
}
