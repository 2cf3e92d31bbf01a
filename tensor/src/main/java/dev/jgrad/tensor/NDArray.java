package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Dense;
import dev.jgrad.tensor.kernel.Shapes;
import java.util.Arrays;

/**
 * An n-dimensional array: numpy without gradients, fast through the JDK's SIMD Vector API.
 *
 * <p>An NDArray is a storage array (float[], double[] or int[]) seen through a shape, strides and
 * an offset. Views ({@link #transpose}, {@link #slice}, {@link #expand}, …) share the storage;
 * operations return new arrays except the {@code …InPlace} ones. Binary operations broadcast like
 * numpy. Errors name the operation and the shapes: {@code matmul: shapes [64, 784] and [128, 10]
 * cannot be multiplied (784 != 128)}.
 *
 * <pre>{@code
 * Generator g = new Generator(0);
 * NDArray x = NDArray.randn(g, 64, 784);
 * NDArray w = NDArray.randn(g, 784, 128).mul(0.01);
 * NDArray h = x.matmul(w).add(NDArray.zeros(128)).relu();   // [64, 128]
 * NDArray p = h.softmax(-1);
 * System.out.println(p.sum(1));                              // all ones
 * }</pre>
 */
public final class NDArray {
  final DType dtype;
  final Object data;
  final int[] shape;
  final int[] strides;
  final int offset;

  static {
    Dense.install(
        new Dense.Access() {
          @Override
          public Object storage(NDArray a) {
            return a.data;
          }

          @Override
          public NDArray allocate(DType dtype, int[] shape) {
            return empty(dtype, shape);
          }
        });
  }

  NDArray(DType dtype, Object data, int[] shape, int[] strides, int offset) {
    this.dtype = dtype;
    this.data = data;
    this.shape = shape;
    this.strides = strides;
    this.offset = offset;
  }

  // ------------------------------------------------------------------ creation

  /** A new contiguous array with unspecified (zero) contents. */
  static NDArray empty(DType dtype, int... shape) {
    int[] s = Shapes.checkShape("empty", shape);
    return new NDArray(
        dtype, Storage.allocate(dtype, Shapes.numel(s)), s, Shapes.contiguousStrides(s), 0);
  }

  /** Zeros of the given shape, FLOAT32. {@code NDArray.zeros(2, 3)} */
  public static NDArray zeros(int... shape) {
    return zeros(DType.FLOAT32, shape);
  }

  /** Zeros of the given dtype and shape. */
  public static NDArray zeros(DType dtype, int... shape) {
    return empty(dtype, shape);
  }

  /** Ones of the given shape, FLOAT32. */
  public static NDArray ones(int... shape) {
    return full(DType.FLOAT32, 1.0, shape);
  }

  /** Ones of the given dtype and shape. */
  public static NDArray ones(DType dtype, int... shape) {
    return full(dtype, 1.0, shape);
  }

  /** Every element {@code value}, FLOAT32. */
  public static NDArray full(double value, int... shape) {
    return full(DType.FLOAT32, value, shape);
  }

  /** Every element {@code value}, of the given dtype. */
  public static NDArray full(DType dtype, double value, int... shape) {
    NDArray a = empty(dtype, shape);
    if (value != 0) {
      Elementwise.fill(a, value);
    }
    return a;
  }

  /** Zeros with the shape and dtype of {@code like}. */
  public static NDArray zerosLike(NDArray like) {
    return zeros(like.dtype, like.shape);
  }

  /** Ones with the shape and dtype of {@code like}. */
  public static NDArray onesLike(NDArray like) {
    return ones(like.dtype, like.shape);
  }

  /** A 0-dimensional FLOAT32 array holding {@code value}. */
  public static NDArray scalar(double value) {
    return scalar(DType.FLOAT32, value);
  }

  /** A 0-dimensional array of the given dtype holding {@code value}. */
  public static NDArray scalar(DType dtype, double value) {
    return full(dtype, value);
  }

  /** {@code [0, 1, …, end-1]} as INT32, like {@code torch.arange(end)}. */
  public static NDArray arange(int end) {
    return arange(0, end);
  }

  /** {@code [start, …, end-1]} as INT32. */
  public static NDArray arange(int start, int end) {
    int n = Math.max(0, end - start);
    int[] v = new int[n];
    for (int i = 0; i < n; i++) {
      v[i] = start + i;
    }
    return fromArray(v, n);
  }

  /** {@code start, start+step, …} up to but excluding {@code end}, FLOAT32. */
  public static NDArray arange(double start, double end, double step) {
    if (step == 0 || Double.isNaN(step)) {
      throw new IllegalArgumentException("arange: step must be non-zero, got " + step);
    }
    int n = (int) Math.max(0, Math.ceil((end - start) / step));
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (start + i * step);
    }
    return fromArray(v, n);
  }

  /** {@code steps} evenly spaced values from start to end inclusive, FLOAT32. */
  public static NDArray linspace(double start, double end, int steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("linspace: steps must be non-negative, got " + steps);
    }
    float[] v = new float[steps];
    double step = steps > 1 ? (end - start) / (steps - 1) : 0;
    for (int i = 0; i < steps; i++) {
      v[i] = (float) (i == steps - 1 && steps > 1 ? end : start + i * step);
    }
    return fromArray(v, steps);
  }

  /** The n×n identity, FLOAT32. */
  public static NDArray eye(int n) {
    return eye(n, n);
  }

  /** The n×m matrix with ones on the diagonal, FLOAT32. */
  public static NDArray eye(int n, int m) {
    NDArray a = zeros(n, m);
    float[] v = (float[]) a.data;
    for (int i = 0; i < Math.min(n, m); i++) {
      v[i * m + i] = 1f;
    }
    return a;
  }

  /** A 1-D FLOAT32 array of the values. {@code NDArray.of(1, 2, 3)} */
  public static NDArray of(float... values) {
    return fromArray(values, values.length);
  }

  /** A 2-D FLOAT32 array of the rows (all of one length). */
  public static NDArray of(float[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    float[] v = new float[rows.length * cols];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != cols) {
        throw new IllegalArgumentException(
            "of: row " + i + " has length " + rows[i].length + ", expected " + cols);
      }
      System.arraycopy(rows[i], 0, v, i * cols, cols);
    }
    return new NDArray(DType.FLOAT32, v, new int[] {rows.length, cols}, new int[] {cols, 1}, 0);
  }

  /** A 1-D FLOAT64 array of the values. */
  public static NDArray of(double... values) {
    return fromArray(values, values.length);
  }

  /** A 2-D FLOAT64 array of the rows (all of one length). */
  public static NDArray of(double[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    double[] v = new double[rows.length * cols];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != cols) {
        throw new IllegalArgumentException(
            "of: row " + i + " has length " + rows[i].length + ", expected " + cols);
      }
      System.arraycopy(rows[i], 0, v, i * cols, cols);
    }
    return new NDArray(DType.FLOAT64, v, new int[] {rows.length, cols}, new int[] {cols, 1}, 0);
  }

  /** A 1-D INT32 array of the values. */
  public static NDArray ofInts(int... values) {
    return fromArray(values, values.length);
  }

  /** A FLOAT32 array of the given shape holding a copy of {@code data} in row-major order. */
  public static NDArray fromArray(float[] data, int... shape) {
    return fromStorage(DType.FLOAT32, data.clone(), data.length, shape);
  }

  /** A FLOAT64 array of the given shape holding a copy of {@code data} in row-major order. */
  public static NDArray fromArray(double[] data, int... shape) {
    return fromStorage(DType.FLOAT64, data.clone(), data.length, shape);
  }

  /** An INT32 array of the given shape holding a copy of {@code data} in row-major order. */
  public static NDArray fromArray(int[] data, int... shape) {
    return fromStorage(DType.INT32, data.clone(), data.length, shape);
  }

  private static NDArray fromStorage(DType dtype, Object data, int length, int[] shape) {
    int[] s = Shapes.checkShape("fromArray", shape);
    if (Shapes.numel(s) != length) {
      throw new IllegalArgumentException(
          "fromArray: " + length + " values cannot fill shape " + Shapes.toString(s));
    }
    return new NDArray(dtype, data, s, Shapes.contiguousStrides(s), 0);
  }

  /** Uniform in [0, 1), FLOAT32, from the given generator. */
  public static NDArray rand(Generator g, int... shape) {
    return rand(g, DType.FLOAT32, shape);
  }

  /** Uniform in [0, 1) of a floating-point dtype, from the given generator. */
  public static NDArray rand(Generator g, DType dtype, int... shape) {
    NDArray a = empty(checkFloatDType("rand", dtype), shape);
    int n = a.numel();
    for (int i = 0; i < n; i++) {
      Storage.set(a.data, i, dtype == DType.FLOAT32 ? g.nextFloat() : g.nextDouble());
    }
    return a;
  }

  /** Standard normal, FLOAT32, from the given generator. */
  public static NDArray randn(Generator g, int... shape) {
    return randn(g, DType.FLOAT32, shape);
  }

  /** Standard normal of a floating-point dtype, from the given generator. */
  public static NDArray randn(Generator g, DType dtype, int... shape) {
    NDArray a = empty(checkFloatDType("randn", dtype), shape);
    int n = a.numel();
    for (int i = 0; i < n; i++) {
      Storage.set(a.data, i, g.nextGaussian());
    }
    return a;
  }

  /** Uniform integers in [low, high), INT32, from the given generator. */
  public static NDArray randint(Generator g, int low, int high, int... shape) {
    if (high <= low) {
      throw new IllegalArgumentException(
          "randint: expected low < high, got low=" + low + ", high=" + high);
    }
    NDArray a = empty(DType.INT32, shape);
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

  // ------------------------------------------------------------------ properties

  /** The element type. */
  public DType dtype() {
    return dtype;
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  /** The size of one dim (negative dims count from the end). */
  public int shape(int dim) {
    return shape[Shapes.normalizeDim("shape", dim, rank())];
  }

  /** A copy of the strides, in elements. */
  public int[] strides() {
    return strides.clone();
  }

  /** The index of the first element in the storage. */
  public int offset() {
    return offset;
  }

  /** The number of dims. */
  public int rank() {
    return shape.length;
  }

  /** The number of dims (PyTorch's name). */
  public int dim() {
    return shape.length;
  }

  /** The number of elements. */
  public int numel() {
    return Shapes.numel(shape);
  }

  /** True when the elements lie in row-major order with no gaps. */
  public boolean isContiguous() {
    int expected = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] == 0) {
        return true;
      }
      if (shape[d] != 1 && strides[d] != expected) {
        return false;
      }
      expected *= shape[d];
    }
    return true;
  }

  /** True when this array and {@code other} are views of one storage. */
  public boolean sharesStorage(NDArray other) {
    return data == other.data;
  }

  // ------------------------------------------------------------------ element access

  private int flatIndex(String op, int[] index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException(
          op + ": " + index.length + " indices for an array of shape " + Shapes.toString(shape));
    }
    int at = offset;
    for (int d = 0; d < index.length; d++) {
      int i = index[d];
      if (i < -shape[d] || i >= shape[d]) {
        throw new IndexOutOfBoundsException(
            String.format(
                "%s: index %d is out of bounds for dim %d with size %d", op, i, d, shape[d]));
      }
      at += (i < 0 ? i + shape[d] : i) * strides[d];
    }
    return at;
  }

  /** The element at {@code index} (negative indices count from the end), as a double. */
  public double getDouble(int... index) {
    return Storage.get(data, flatIndex("getDouble", index));
  }

  /** The element at {@code index} as a float. */
  public float getFloat(int... index) {
    return (float) Storage.get(data, flatIndex("getFloat", index));
  }

  /** The element at {@code index} as an int (truncated toward zero for floats). */
  public int getInt(int... index) {
    return (int) Storage.get(data, flatIndex("getInt", index));
  }

  /** Sets the element at {@code index} (converted to this dtype). Returns this. */
  public NDArray set(double value, int... index) {
    checkWritable("set");
    Storage.set(data, flatIndex("set", index), value);
    return this;
  }

  /** The value of a one-element array. */
  public double item() {
    if (numel() != 1) {
      throw new IllegalArgumentException(
          "item: only one-element arrays can be converted to a number, got shape "
              + Shapes.toString(shape));
    }
    return Storage.get(data, offset); // every dim has size 1: the element is at the offset
  }

  /** The elements in row-major order as floats. */
  public float[] toFloatArray() {
    return (float[]) ownedCopy(DType.FLOAT32).data;
  }

  /** The elements in row-major order as doubles. */
  public double[] toDoubleArray() {
    return (double[]) ownedCopy(DType.FLOAT64).data;
  }

  /** The elements in row-major order as ints (floats truncated toward zero). */
  public int[] toIntArray() {
    return (int[]) ownedCopy(DType.INT32).data;
  }

  /** A 2-D array's rows as float arrays. */
  public float[][] toFloatArray2d() {
    if (rank() != 2) {
      throw new IllegalArgumentException(
          "toFloatArray2d: expected a 2-D array, got shape " + Shapes.toString(shape));
    }
    float[] flat = toFloatArray();
    float[][] rows = new float[shape[0]][];
    for (int i = 0; i < shape[0]; i++) {
      rows[i] = Arrays.copyOfRange(flat, i * shape[1], (i + 1) * shape[1]);
    }
    return rows;
  }

  /** A contiguous array of {@code target} with storage of its own (never this array's). */
  private NDArray ownedCopy(DType target) {
    return dtype == target ? clone() : to(target);
  }

  // ------------------------------------------------------------------ conversion and copies

  /** This array converted to {@code dtype}; this array itself when it already has it. */
  public NDArray to(DType target) {
    if (target == dtype) {
      return this;
    }
    NDArray out = empty(target, shape);
    Elementwise.copy(out, this);
    return out;
  }

  /** A contiguous copy with its own storage. */
  @Override
  public NDArray clone() {
    NDArray out = empty(dtype, shape);
    Elementwise.copy(out, this);
    return out;
  }

  /** This array if contiguous, otherwise a contiguous copy. */
  public NDArray contiguous() {
    return isContiguous() ? this : clone();
  }

  // ------------------------------------------------------------------ views

  /**
   * A view with another shape (one size may be -1), or a copy when the strides do not allow one.
   */
  public NDArray reshape(int... newShape) {
    int[] s = inferShape("reshape", newShape);
    int[] st = viewStrides(s);
    return st != null ? new NDArray(dtype, data, s, st, offset) : clone().view(s);
  }

  /** A view with another shape (one size may be -1); refuses when that needs a copy. */
  public NDArray view(int... newShape) {
    int[] s = inferShape("view", newShape);
    int[] st = viewStrides(s);
    if (st == null) {
      throw new IllegalArgumentException(
          String.format(
              "view: shape %s is not compatible with the strides of an array of shape %s and"
                  + " strides %s; use reshape(), which copies",
              Shapes.toString(s), Shapes.toString(shape), Arrays.toString(strides)));
    }
    return new NDArray(dtype, data, s, st, offset);
  }

  private int[] inferShape(String op, int[] newShape) {
    int[] s = newShape.clone();
    int infer = -1;
    long known = 1;
    for (int d = 0; d < s.length; d++) {
      if (s[d] == -1) {
        if (infer >= 0) {
          throw new IllegalArgumentException(
              op + ": only one dimension can be -1, got " + Arrays.toString(newShape));
        }
        infer = d;
      } else if (s[d] < 0) {
        throw new IllegalArgumentException(
            op + ": invalid size in shape " + Arrays.toString(newShape));
      } else {
        known *= s[d];
      }
    }
    int n = numel();
    if (infer >= 0) {
      if (known == 0 || n % known != 0) {
        throw new IllegalArgumentException(
            String.format(
                "%s: shape %s is invalid for input of shape %s (%d elements)",
                op, Arrays.toString(newShape), Shapes.toString(shape), n));
      }
      s[infer] = (int) (n / known);
    } else if (known != n) {
      throw new IllegalArgumentException(
          String.format(
              "%s: shape %s is invalid for input of shape %s (%d elements)",
              op, Arrays.toString(newShape), Shapes.toString(shape), n));
    }
    return s;
  }

  /**
   * Strides that show this storage in {@code newShape} without copying, or null. Dims are matched
   * in chunks that are contiguous among themselves; each chunk must split into whole new dims.
   */
  private int[] viewStrides(int[] newShape) {
    int[] out = new int[newShape.length];
    if (numel() == 0 || shape.length == 0) {
      return Shapes.contiguousStrides(newShape);
    }
    int viewD = newShape.length - 1;
    int chunkBase = strides[shape.length - 1];
    long tensorNumel = 1;
    long viewNumel = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      tensorNumel *= shape[d];
      boolean chunkEnds =
          d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase);
      if (chunkEnds) {
        while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
          out[viewD] = (int) (viewNumel * chunkBase);
          viewNumel *= newShape[viewD];
          viewD--;
        }
        if (viewNumel != tensorNumel) {
          return null;
        }
        if (d > 0) {
          chunkBase = strides[d - 1];
          tensorNumel = 1;
          viewNumel = 1;
        }
      }
    }
    return viewD == -1 ? out : null;
  }

  /** Swaps two dims (a view). */
  public NDArray transpose(int dim0, int dim1) {
    int a = Shapes.normalizeDim("transpose", dim0, rank());
    int b = Shapes.normalizeDim("transpose", dim1, rank());
    if (rank() == 0) {
      return this;
    }
    int[] s = shape.clone();
    int[] st = strides.clone();
    s[a] = shape[b];
    s[b] = shape[a];
    st[a] = strides[b];
    st[b] = strides[a];
    return new NDArray(dtype, data, s, st, offset);
  }

  /** The transpose of a matrix; vectors and scalars are returned as they are (PyTorch's t()). */
  public NDArray t() {
    if (rank() > 2) {
      throw new IllegalArgumentException(
          "t: expects an array with at most 2 dims, got shape "
              + Shapes.toString(shape)
              + "; use transpose(dim0, dim1) or mT()");
    }
    return rank() < 2 ? this : transpose(0, 1);
  }

  /** Swaps the last two dims: the transpose of each matrix in a batch. */
  public NDArray mT() {
    if (rank() < 2) {
      throw new IllegalArgumentException(
          "mT: expects an array with at least 2 dims, got shape " + Shapes.toString(shape));
    }
    return transpose(-2, -1);
  }

  /** Reorders the dims: dim i of the result is dim {@code order[i]} of this (a view). */
  public NDArray permute(int... order) {
    if (order.length != rank()) {
      throw new IllegalArgumentException(
          "permute: "
              + Arrays.toString(order)
              + " does not list the "
              + rank()
              + " dims of shape "
              + Shapes.toString(shape));
    }
    int[] s = new int[rank()];
    int[] st = new int[rank()];
    boolean[] seen = new boolean[rank()];
    for (int i = 0; i < order.length; i++) {
      int d = Shapes.normalizeDim("permute", order[i], rank());
      if (seen[d]) {
        throw new IllegalArgumentException(
            "permute: dim " + d + " repeats in " + Arrays.toString(order));
      }
      seen[d] = true;
      s[i] = shape[d];
      st[i] = strides[d];
    }
    return new NDArray(dtype, data, s, st, offset);
  }

  /** Removes every dim of size 1 (a view). */
  public NDArray squeeze() {
    int n = 0;
    for (int size : shape) {
      n += size == 1 ? 0 : 1;
    }
    int[] s = new int[n];
    int[] st = new int[n];
    int k = 0;
    for (int d = 0; d < rank(); d++) {
      if (shape[d] != 1) {
        s[k] = shape[d];
        st[k++] = strides[d];
      }
    }
    return new NDArray(dtype, data, s, st, offset);
  }

  /** Removes {@code dim} if its size is 1; otherwise returns this unchanged, like PyTorch. */
  public NDArray squeeze(int dim) {
    if (rank() == 0) {
      Shapes.normalizeDim("squeeze", dim, 0);
      return this;
    }
    int d = Shapes.normalizeDim("squeeze", dim, rank());
    if (shape[d] != 1) {
      return this;
    }
    return new NDArray(dtype, data, remove(shape, d), remove(strides, d), offset);
  }

  /** Inserts a dim of size 1 at {@code dim} (in [-rank-1, rank]; a view). */
  public NDArray unsqueeze(int dim) {
    int d = Shapes.normalizeDim("unsqueeze", dim, rank() + 1);
    int stride = d < rank() ? shape[d] * strides[d] : 1;
    return new NDArray(dtype, data, insert(shape, d, 1), insert(strides, d, stride), offset);
  }

  /**
   * A view repeating size-1 dims to the given shape without copying (stride 0); -1 keeps a size,
   * and new leading dims may be added.
   */
  public NDArray expand(int... newShape) {
    if (newShape.length < rank()) {
      throw new IllegalArgumentException(
          String.format(
              "expand: the target shape %s has fewer dims than shape %s",
              Arrays.toString(newShape), Shapes.toString(shape)));
    }
    int lead = newShape.length - rank();
    int[] s = new int[newShape.length];
    int[] st = new int[newShape.length];
    for (int d = 0; d < newShape.length; d++) {
      int want = newShape[d];
      if (d < lead) {
        if (want < 0) {
          throw new IllegalArgumentException(
              "expand: -1 is not allowed for the new leading dim "
                  + d
                  + " of "
                  + Arrays.toString(newShape));
        }
        s[d] = want;
        st[d] = 0;
        continue;
      }
      int have = shape[d - lead];
      if (want == -1) {
        want = have;
      }
      if (want == have) {
        s[d] = have;
        st[d] = strides[d - lead];
      } else if (have == 1 && want >= 0) {
        s[d] = want;
        st[d] = 0;
      } else {
        throw new IllegalArgumentException(
            String.format(
                "expand: shape %s cannot be expanded to %s (size %d at dim %d is not 1)",
                Shapes.toString(shape), Arrays.toString(newShape), have, d - lead));
      }
    }
    Shapes.checkShape("expand", s);
    return new NDArray(dtype, data, s, st, offset);
  }

  /** Same as {@link #expand}: a broadcast view of this array in {@code newShape}. */
  public NDArray broadcastTo(int... newShape) {
    return expand(newShape);
  }

  /** The {@code length} elements of {@code dim} starting at {@code start} (a view). */
  public NDArray narrow(int dim, int start, int length) {
    int d = Shapes.normalizeDim("narrow", dim, rank());
    int size = shape[d];
    int s0 = start < 0 ? start + size : start;
    if (s0 < 0 || s0 > size || length < 0 || s0 + length > size) {
      throw new IndexOutOfBoundsException(
          String.format(
              "narrow: start %d with length %d is out of range for dim %d of size %d (shape %s)",
              start, length, d, size, Shapes.toString(shape)));
    }
    int[] s = shape.clone();
    s[d] = length;
    return new NDArray(dtype, data, s, strides.clone(), offset + s0 * strides[d]);
  }

  /**
   * Python's {@code x[start:end:step]} along {@code dim} (a view): negative start and end count
   * from the end, out-of-range bounds are clamped, step must be positive.
   */
  public NDArray slice(int dim, int start, int end, int step) {
    int d = Shapes.normalizeDim("slice", dim, rank());
    if (step <= 0) {
      throw new IllegalArgumentException("slice: step must be positive, got " + step);
    }
    int size = shape[d];
    int s0 = clampIndex(start, size);
    int e0 = clampIndex(end, size);
    int len = e0 > s0 ? (e0 - s0 + step - 1) / step : 0;
    int[] s = shape.clone();
    int[] st = strides.clone();
    s[d] = len;
    st[d] = strides[d] * step;
    return new NDArray(dtype, data, s, st, offset + (len > 0 ? s0 * strides[d] : 0));
  }

  /** Python's {@code x[start:end]} along {@code dim} (a view). */
  public NDArray slice(int dim, int start, int end) {
    return slice(dim, start, end, 1);
  }

  private static int clampIndex(int i, int size) {
    int j = i < 0 ? i + size : i;
    return Math.max(0, Math.min(size, j));
  }

  /** The slice at {@code index} of {@code dim}, with that dim removed (a view). */
  public NDArray select(int dim, int index) {
    int d = Shapes.normalizeDim("select", dim, rank());
    int size = shape[d];
    if (index < -size || index >= size) {
      throw new IndexOutOfBoundsException(
          String.format(
              "select: index %d is out of bounds for dim %d with size %d", index, d, size));
    }
    int i = index < 0 ? index + size : index;
    return new NDArray(dtype, data, remove(shape, d), remove(strides, d), offset + i * strides[d]);
  }

  /** All dims merged into one (a view when possible). */
  public NDArray flatten() {
    return reshape(numel());
  }

  /** Dims {@code startDim..endDim} (inclusive) merged into one. */
  public NDArray flatten(int startDim, int endDim) {
    if (rank() == 0) {
      return reshape(1);
    }
    int a = Shapes.normalizeDim("flatten", startDim, rank());
    int b = Shapes.normalizeDim("flatten", endDim, rank());
    if (a > b) {
      throw new IllegalArgumentException(
          "flatten: startDim " + startDim + " comes after endDim " + endDim);
    }
    int[] s = new int[rank() - (b - a)];
    int k = 0;
    for (int d = 0; d < a; d++) {
      s[k++] = shape[d];
    }
    int merged = 1;
    for (int d = a; d <= b; d++) {
      merged *= shape[d];
    }
    s[k++] = merged;
    for (int d = b + 1; d < rank(); d++) {
      s[k++] = shape[d];
    }
    return reshape(s);
  }

  /** Joins arrays along an existing dim; all other sizes must agree. */
  public static NDArray cat(int dim, NDArray... arrays) {
    if (arrays.length == 0) {
      throw new IllegalArgumentException("cat: expected at least one array");
    }
    NDArray first = arrays[0];
    int d = Shapes.normalizeDim("cat", dim, first.rank());
    if (first.rank() == 0) {
      throw new IllegalArgumentException("cat: zero-dimensional arrays cannot be concatenated");
    }
    DType dt = first.dtype;
    int total = 0;
    for (NDArray a : arrays) {
      boolean ok = a.rank() == first.rank();
      for (int k = 0; ok && k < a.rank(); k++) {
        ok = k == d || a.shape[k] == first.shape[k];
      }
      if (!ok) {
        throw new IllegalArgumentException(
            String.format(
                "cat: shapes %s and %s do not match except in dim %d",
                Shapes.toString(first.shape), Shapes.toString(a.shape), d));
      }
      total += a.shape[d];
      dt = DType.promote(dt, a.dtype);
    }
    int[] s = first.shape.clone();
    s[d] = total;
    NDArray out = empty(dt, s);
    int at = 0;
    for (NDArray a : arrays) {
      Elementwise.copy(out.narrow(d, at, a.shape[d]), a);
      at += a.shape[d];
    }
    return out;
  }

  /** Stacks arrays of one shape along a new dim. */
  public static NDArray stack(int dim, NDArray... arrays) {
    if (arrays.length == 0) {
      throw new IllegalArgumentException("stack: expected at least one array");
    }
    int d = Shapes.normalizeDim("stack", dim, arrays[0].rank() + 1);
    NDArray[] expanded = new NDArray[arrays.length];
    for (int i = 0; i < arrays.length; i++) {
      if (!Arrays.equals(arrays[i].shape, arrays[0].shape)) {
        throw new IllegalArgumentException(
            String.format(
                "stack: expects arrays of one shape, got %s and %s",
                Shapes.toString(arrays[0].shape), Shapes.toString(arrays[i].shape)));
      }
      expanded[i] = arrays[i].unsqueeze(d);
    }
    return cat(d, expanded);
  }

  private static int[] remove(int[] a, int i) {
    int[] r = new int[a.length - 1];
    System.arraycopy(a, 0, r, 0, i);
    System.arraycopy(a, i + 1, r, i, a.length - i - 1);
    return r;
  }

  private static int[] insert(int[] a, int i, int v) {
    int[] r = new int[a.length + 1];
    System.arraycopy(a, 0, r, 0, i);
    r[i] = v;
    System.arraycopy(a, i, r, i + 1, a.length - i);
    return r;
  }

  // ------------------------------------------------------------------ elementwise binary

  private NDArray binary(BinaryOp op, NDArray other) {
    int[] s = Shapes.broadcast(op.opName, shape, other.shape);
    DType compute = DType.promote(dtype, other.dtype);
    if ((op == BinaryOp.DIV || op == BinaryOp.POW) && compute == DType.INT32) {
      compute = DType.FLOAT32; // true division, like PyTorch
    }
    NDArray x = to(compute);
    NDArray y = other.to(compute);
    x = Arrays.equals(x.shape, s) ? x : x.expand(s);
    y = Arrays.equals(y.shape, s) ? y : y.expand(s);
    NDArray out = empty(op.isComparison() ? DType.INT32 : compute, s);
    Elementwise.binary(op, out, x, y);
    return out;
  }

  private NDArray scalarLike(double value) {
    DType dt = dtype == DType.INT32 && value != Math.rint(value) ? DType.FLOAT32 : dtype;
    return scalar(dt, value);
  }

  /** {@code this + other}, broadcast. */
  public NDArray add(NDArray other) {
    return binary(BinaryOp.ADD, other);
  }

  /** {@code this + value}. */
  public NDArray add(double value) {
    return binary(BinaryOp.ADD, scalarLike(value));
  }

  /** {@code this - other}, broadcast. */
  public NDArray sub(NDArray other) {
    return binary(BinaryOp.SUB, other);
  }

  /** {@code this - value}. */
  public NDArray sub(double value) {
    return binary(BinaryOp.SUB, scalarLike(value));
  }

  /** {@code this * other}, broadcast. */
  public NDArray mul(NDArray other) {
    return binary(BinaryOp.MUL, other);
  }

  /** {@code this * value}. */
  public NDArray mul(double value) {
    return binary(BinaryOp.MUL, scalarLike(value));
  }

  /** {@code this / other}, broadcast; integers divide truly, giving FLOAT32. */
  public NDArray div(NDArray other) {
    return binary(BinaryOp.DIV, other);
  }

  /** {@code this / value}. */
  public NDArray div(double value) {
    return binary(BinaryOp.DIV, scalarLike(value));
  }

  /** {@code this ^ other}, broadcast. */
  public NDArray pow(NDArray other) {
    return binary(BinaryOp.POW, other);
  }

  /** {@code this ^ exponent}. */
  public NDArray pow(double exponent) {
    if (exponent == 2.0) {
      return square();
    }
    return binary(BinaryOp.POW, scalarLike(exponent));
  }

  /** The larger of each pair (NaN if either is NaN), broadcast. */
  public NDArray maximum(NDArray other) {
    return binary(BinaryOp.MAXIMUM, other);
  }

  /** The smaller of each pair (NaN if either is NaN), broadcast. */
  public NDArray minimum(NDArray other) {
    return binary(BinaryOp.MINIMUM, other);
  }

  /** 1 where {@code this == other}, else 0; INT32, broadcast. */
  public NDArray eq(NDArray other) {
    return binary(BinaryOp.EQ, other);
  }

  /** 1 where {@code this == value}, else 0; INT32. */
  public NDArray eq(double value) {
    return binary(BinaryOp.EQ, scalarLike(value));
  }

  /** 1 where {@code this != other}, else 0; INT32, broadcast. */
  public NDArray ne(NDArray other) {
    return binary(BinaryOp.NE, other);
  }

  /** 1 where {@code this != value}, else 0; INT32. */
  public NDArray ne(double value) {
    return binary(BinaryOp.NE, scalarLike(value));
  }

  /** 1 where {@code this < other}, else 0; INT32, broadcast. */
  public NDArray lt(NDArray other) {
    return binary(BinaryOp.LT, other);
  }

  /** 1 where {@code this < value}, else 0; INT32. */
  public NDArray lt(double value) {
    return binary(BinaryOp.LT, scalarLike(value));
  }

  /** 1 where {@code this <= other}, else 0; INT32, broadcast. */
  public NDArray le(NDArray other) {
    return binary(BinaryOp.LE, other);
  }

  /** 1 where {@code this <= value}, else 0; INT32. */
  public NDArray le(double value) {
    return binary(BinaryOp.LE, scalarLike(value));
  }

  /** 1 where {@code this > other}, else 0; INT32, broadcast. */
  public NDArray gt(NDArray other) {
    return binary(BinaryOp.GT, other);
  }

  /** 1 where {@code this > value}, else 0; INT32. */
  public NDArray gt(double value) {
    return binary(BinaryOp.GT, scalarLike(value));
  }

  /** 1 where {@code this >= other}, else 0; INT32, broadcast. */
  public NDArray ge(NDArray other) {
    return binary(BinaryOp.GE, other);
  }

  /** 1 where {@code this >= value}, else 0; INT32. */
  public NDArray ge(double value) {
    return binary(BinaryOp.GE, scalarLike(value));
  }

  /** {@code cond != 0 ? a : b} elementwise, all three broadcast together. */
  public static NDArray where(NDArray cond, NDArray a, NDArray b) {
    int[] s = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape, a.shape), b.shape);
    DType dt = DType.promote(a.dtype, b.dtype);
    NDArray out = empty(dt, s);
    Elementwise.where(out, cond.expand(s), a.to(dt).expand(s), b.to(dt).expand(s));
    return out;
  }

  /** {@code cond != 0 ? a : b} with scalar branches, in the dtype of FLOAT32. */
  public static NDArray where(NDArray cond, double a, double b) {
    return where(cond, scalar(a), scalar(b));
  }

  // ------------------------------------------------------------------ elementwise unary

  private NDArray unary(UnaryOp op) {
    NDArray x = dtype == DType.INT32 && !op.keepsIntegers() ? to(DType.FLOAT32) : this;
    NDArray out = empty(x.dtype, shape);
    Elementwise.unary(op, out, x);
    return out;
  }

  /** −x. */
  public NDArray neg() {
    return unary(UnaryOp.NEG);
  }

  /** |x|. */
  public NDArray abs() {
    return unary(UnaryOp.ABS);
  }

  /** −1, 0 or 1 by the sign of x. */
  public NDArray sign() {
    return unary(UnaryOp.SIGN);
  }

  /** eˣ. */
  public NDArray exp() {
    return unary(UnaryOp.EXP);
  }

  /** The natural logarithm. */
  public NDArray log() {
    return unary(UnaryOp.LOG);
  }

  /** log(1 + x), accurate for small x. */
  public NDArray log1p() {
    return unary(UnaryOp.LOG1P);
  }

  /** eˣ − 1, accurate for small x. */
  public NDArray expm1() {
    return unary(UnaryOp.EXPM1);
  }

  /** √x. */
  public NDArray sqrt() {
    return unary(UnaryOp.SQRT);
  }

  /** 1/√x. */
  public NDArray rsqrt() {
    return unary(UnaryOp.RSQRT);
  }

  /** x². */
  public NDArray square() {
    return unary(UnaryOp.SQUARE);
  }

  /** 1/x. */
  public NDArray reciprocal() {
    return unary(UnaryOp.RECIPROCAL);
  }

  /** sin x. */
  public NDArray sin() {
    return unary(UnaryOp.SIN);
  }

  /** cos x. */
  public NDArray cos() {
    return unary(UnaryOp.COS);
  }

  /** tanh x. */
  public NDArray tanh() {
    return unary(UnaryOp.TANH);
  }

  /** σ(x) = 1 / (1 + e⁻ˣ). */
  public NDArray sigmoid() {
    return unary(UnaryOp.SIGMOID);
  }

  /** max(x, 0). */
  public NDArray relu() {
    return unary(UnaryOp.RELU);
  }

  /** GELU, exact form: x·Φ(x) = ½x(1 + erf(x/√2)), PyTorch's default. */
  public NDArray gelu() {
    return unary(UnaryOp.GELU_ERF);
  }

  /** GELU, tanh approximation: ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
  public NDArray geluTanh() {
    return unary(UnaryOp.GELU_TANH);
  }

  /** The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt. */
  public NDArray erf() {
    return unary(UnaryOp.ERF);
  }

  /** log(1 + eˣ), computed stably. */
  public NDArray softplus() {
    return unary(UnaryOp.SOFTPLUS);
  }

  /** Limits every element to [min, max]. */
  public NDArray clamp(double min, double max) {
    if (min > max) {
      throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
    }
    NDArray out = empty(dtype, shape);
    Elementwise.clamp(out, this, min, max);
    return out;
  }

  /** max(x, min). */
  public NDArray clampMin(double min) {
    NDArray out = empty(dtype, shape);
    Elementwise.clamp(out, this, min, Double.NaN);
    return out;
  }

  /** min(x, max). */
  public NDArray clampMax(double max) {
    NDArray out = empty(dtype, shape);
    Elementwise.clamp(out, this, Double.NaN, max);
    return out;
  }

  // ------------------------------------------------------------------ reductions

  private boolean[] reducedDims(String op, int[] dims) {
    boolean[] reduced = new boolean[rank()];
    if (dims.length == 0) {
      Arrays.fill(reduced, true);
      return reduced;
    }
    for (int dim : dims) {
      int d = Shapes.normalizeDim(op, dim, rank());
      if (rank() == 0) {
        continue;
      }
      if (reduced[d]) {
        throw new IllegalArgumentException(
            op + ": dim " + d + " appears twice in " + Arrays.toString(dims));
      }
      reduced[d] = true;
    }
    return reduced;
  }

  private NDArray reduce(String op, Reductions.Combine combine, int[] dims, boolean keepDim) {
    boolean[] reduced = reducedDims(op, dims);
    int[] keep = shape.clone();
    int[] accStrides = new int[rank()];
    int count = 1;
    for (int d = 0; d < rank(); d++) {
      if (reduced[d]) {
        count *= shape[d];
        keep[d] = 1;
      }
    }
    if (count == 0 && (combine == Reductions.Combine.MAX || combine == Reductions.Combine.MIN)) {
      throw new IllegalArgumentException(
          op + ": cannot reduce over a zero-size dim of shape " + Shapes.toString(shape));
    }
    NDArray acc = full(dtype, combine.identity, keep);
    int[] keepStrides = acc.strides;
    for (int d = 0; d < rank(); d++) {
      accStrides[d] = reduced[d] ? 0 : keepStrides[d];
    }
    boolean all = Shapes.numel(keep) == 1;
    int prefix = reducedPrefix(reduced);
    if (all && combine == Reductions.Combine.SUM && data instanceof float[] && isContiguous()) {
      ((float[]) acc.data)[0] = (float) Reductions.sumContiguous((float[]) data, offset, numel());
    } else if (prefix > 0 && data instanceof float[] && isContiguous()) {
      // Leading dims reduced (a bias gradient: [batch, n] -> [n]): whole rows combined in order,
      // the same order the strided loop takes, without planning it.
      Reductions.combineRows(
          combine, (float[]) acc.data, (float[]) data, offset, numel(), acc.numel());
    } else {
      Reductions.accumulate(combine, new NDArray(dtype, acc.data, shape, accStrides, 0), this);
    }
    return keepDim ? acc : acc.reshape(dropReduced(reduced));
  }

  /** The number of leading dims when exactly those are reduced (and some dim is kept), else 0. */
  private static int reducedPrefix(boolean[] reduced) {
    int p = 0;
    while (p < reduced.length && reduced[p]) {
      p++;
    }
    for (int d = p; d < reduced.length; d++) {
      if (reduced[d]) {
        return 0;
      }
    }
    return p == reduced.length ? 0 : p;
  }

  private int[] dropReduced(boolean[] reduced) {
    int n = 0;
    for (boolean r : reduced) {
      n += r ? 0 : 1;
    }
    int[] s = new int[n];
    int k = 0;
    for (int d = 0; d < rank(); d++) {
      if (!reduced[d]) {
        s[k++] = shape[d];
      }
    }
    return s;
  }

  private int reducedCount(String op, int[] dims) {
    boolean[] reduced = reducedDims(op, dims);
    int count = 1;
    for (int d = 0; d < rank(); d++) {
      count *= reduced[d] ? shape[d] : 1;
    }
    return count;
  }

  /**
   * Sums the dims that broadcasting added or stretched, so that the result has {@code target}'s
   * shape: the inverse of {@code expand(target → this shape)} for gradients.
   */
  public NDArray sumTo(int... target) {
    if (Arrays.equals(shape, target)) {
      return this;
    }
    int[] s = Shapes.broadcast("sumTo", target, shape);
    if (!Arrays.equals(s, shape)) {
      throw new IllegalArgumentException(
          String.format(
              "sumTo: shape %s cannot be reduced to %s",
              Shapes.toString(shape), Shapes.toString(target)));
    }
    int lead = rank() - target.length;
    int[] dims = new int[rank()];
    int count = 0;
    for (int d = 0; d < rank(); d++) {
      if (d < lead || (target[d - lead] == 1 && shape[d] != 1)) {
        dims[count++] = d;
      }
    }
    dims = Arrays.copyOf(dims, count);
    if (dims.length == 0) {
      return reshape(target);
    }
    return sum(dims, true).reshape(target);
  }

  /** The sum of all elements, as a 0-d array. */
  public NDArray sum() {
    return sum(new int[0], false);
  }

  /** The sum over one dim. */
  public NDArray sum(int dim, boolean keepDim) {
    return sum(new int[] {dim}, keepDim);
  }

  /** The sum over the given dims (all dims when empty). */
  public NDArray sum(int[] dims, boolean keepDim) {
    return reduce("sum", Reductions.Combine.SUM, dims, keepDim);
  }

  /** The mean of all elements, as a 0-d array. */
  public NDArray mean() {
    return mean(new int[0], false);
  }

  /** The mean over one dim. */
  public NDArray mean(int dim, boolean keepDim) {
    return mean(new int[] {dim}, keepDim);
  }

  /** The mean over the given dims (all dims when empty); integers give FLOAT32. */
  public NDArray mean(int[] dims, boolean keepDim) {
    NDArray x = dtype == DType.INT32 ? to(DType.FLOAT32) : this;
    return x.sum(dims, keepDim).div(x.reducedCount("mean", dims));
  }

  /** The product of all elements, as a 0-d array. */
  public NDArray prod() {
    return reduce("prod", Reductions.Combine.PROD, new int[0], false);
  }

  /** The product over one dim. */
  public NDArray prod(int dim, boolean keepDim) {
    return reduce("prod", Reductions.Combine.PROD, new int[] {dim}, keepDim);
  }

  /**
   * The variance over the given dims (all when empty): Σ(x − mean)² / (N − correction); 1 is
   * Bessel's correction (PyTorch's default), 0 the population variance.
   */
  public NDArray var(int[] dims, int correction, boolean keepDim) {
    NDArray x = dtype == DType.INT32 ? to(DType.FLOAT32) : this;
    NDArray centered = x.sub(x.mean(dims, true));
    int n = x.reducedCount("var", dims);
    return centered.square().sum(dims, keepDim).div((double) n - correction);
  }

  /** The unbiased variance of all elements. */
  public NDArray var() {
    return var(new int[0], 1, false);
  }

  /** The standard deviation: √var. */
  public NDArray std(int[] dims, int correction, boolean keepDim) {
    return var(dims, correction, keepDim).sqrt();
  }

  /** The unbiased standard deviation of all elements. */
  public NDArray std() {
    return var().sqrt();
  }

  /** The largest element, as a 0-d array (NaN if any is NaN). */
  public NDArray max() {
    return reduce("max", Reductions.Combine.MAX, new int[0], false);
  }

  /** The smallest element, as a 0-d array (NaN if any is NaN). */
  public NDArray min() {
    return reduce("min", Reductions.Combine.MIN, new int[0], false);
  }

  /** The largest values over the given dims (all when empty), without indices. */
  public NDArray amax(int[] dims, boolean keepDim) {
    return reduce("amax", Reductions.Combine.MAX, dims, keepDim);
  }

  /** The smallest values over the given dims (all when empty), without indices. */
  public NDArray amin(int[] dims, boolean keepDim) {
    return reduce("amin", Reductions.Combine.MIN, dims, keepDim);
  }

  /** The largest values along {@code dim} and their first indices. */
  public ValuesAndIndices max(int dim, boolean keepDim) {
    return extreme("max", true, dim, keepDim, true);
  }

  /** The smallest values along {@code dim} and their first indices. */
  public ValuesAndIndices min(int dim, boolean keepDim) {
    return extreme("min", false, dim, keepDim, true);
  }

  /** The index of the largest element of the flattened array, as a 0-d INT32 array. */
  public NDArray argmax() {
    return flatten().argmax(0, false);
  }

  /** The indices of the largest values along {@code dim}, INT32. */
  public NDArray argmax(int dim, boolean keepDim) {
    return extreme("argmax", true, dim, keepDim, false).indices();
  }

  /** The index of the smallest element of the flattened array, as a 0-d INT32 array. */
  public NDArray argmin() {
    return flatten().argmin(0, false);
  }

  /** The indices of the smallest values along {@code dim}, INT32. */
  public NDArray argmin(int dim, boolean keepDim) {
    return extreme("argmin", false, dim, keepDim, false).indices();
  }

  private ValuesAndIndices extreme(
      String op, boolean max, int dim, boolean keepDim, boolean withValues) {
    NDArray x = rank() == 0 ? reshape(1) : this;
    int d = Shapes.normalizeDim(op, dim, x.rank());
    if (x.shape[d] == 0) {
      throw new IllegalArgumentException(
          op + ": cannot reduce over dim " + d + " of size 0 in shape " + Shapes.toString(shape));
    }
    int[] keep = x.shape.clone();
    keep[d] = 1;
    NDArray values = withValues ? empty(dtype, keep) : null;
    NDArray indices = empty(DType.INT32, keep);
    Reductions.argExtreme(max, x, d, values, indices);
    if (!keepDim || rank() == 0) {
      int[] s = rank() == 0 ? new int[0] : remove(keep, d);
      indices = indices.reshape(s);
      values = values == null ? null : values.reshape(s);
    }
    return new ValuesAndIndices(values, indices);
  }

  /** The 2-norm of all elements, as a 0-d array. */
  public NDArray norm() {
    return norm(2, new int[0], false);
  }

  /**
   * The p-norm over the given dims (all when empty): (Σ|x|ᵖ)^(1/p); p = ∞ gives max|x|, −∞ min|x|,
   * 0 the count of non-zeros.
   */
  public NDArray norm(double p, int[] dims, boolean keepDim) {
    NDArray x = dtype == DType.INT32 ? to(DType.FLOAT32) : this;
    if (p == 2) {
      return x.square().sum(dims, keepDim).sqrt();
    }
    if (p == 1) {
      return x.abs().sum(dims, keepDim);
    }
    if (p == Double.POSITIVE_INFINITY) {
      return x.abs().amax(dims, keepDim);
    }
    if (p == Double.NEGATIVE_INFINITY) {
      return x.abs().amin(dims, keepDim);
    }
    if (p == 0) {
      return x.ne(0).to(x.dtype).sum(dims, keepDim);
    }
    return x.abs().pow(p).sum(dims, keepDim).pow(1.0 / p);
  }

  /** log Σ exp(x) over the given dims, computed stably by shifting by the max. */
  public NDArray logsumexp(int[] dims, boolean keepDim) {
    NDArray x = dtype == DType.INT32 ? to(DType.FLOAT32) : this;
    NDArray m = x.amax(dims, true);
    m = m.maskedFill(m.abs().eq(Double.POSITIVE_INFINITY), 0);
    NDArray out = x.sub(m).exp().sum(dims, true).log().add(m);
    return keepDim ? out : out.reshape(dropReduced(reducedDims("logsumexp", dims)));
  }

  /** log Σ exp(x) over one dim. */
  public NDArray logsumexp(int dim, boolean keepDim) {
    return logsumexp(new int[] {dim}, keepDim);
  }

  /** exp(xᵢ) / Σⱼ exp(xⱼ) along {@code dim}, fused and stable. */
  public NDArray softmax(int dim) {
    return softmaxLike("softmax", false, dim);
  }

  /** xᵢ − log Σⱼ exp(xⱼ) along {@code dim}, fused and stable. */
  public NDArray logSoftmax(int dim) {
    return softmaxLike("logSoftmax", true, dim);
  }

  private NDArray softmaxLike(String op, boolean log, int dim) {
    NDArray x = dtype == DType.INT32 ? to(DType.FLOAT32) : this;
    if (rank() == 0) {
      Shapes.normalizeDim(op, dim, 0);
      return x.reshape(1).softmaxLike(op, log, 0).reshape();
    }
    int d = Shapes.normalizeDim(op, dim, rank());
    int last = rank() - 1;
    NDArray moved = d == last ? x : x.transpose(d, last);
    NDArray in = moved.contiguous();
    NDArray out = empty(in.dtype, in.shape);
    int n = in.shape[last];
    Softmax.rows(log, in.data, in.offset, out.data, n == 0 ? 0 : in.numel() / n, n);
    return d == last ? out : out.transpose(d, last).contiguous();
  }

  // ------------------------------------------------------------------ indexing

  /**
   * {@code out[i][j][k] = this[i][index[i][j][k]][k]} for dim 1 (and likewise for other dims): the
   * result has the index's shape, which may be smaller than this one's outside {@code dim}.
   */
  public NDArray gather(int dim, NDArray index) {
    return Indexing.gather(this, dim, index);
  }

  /**
   * A copy of this array with {@code src} added at the positions {@code index} names along {@code
   * dim}: {@code out[i][index[i][j]] += src[i][j]} for dim 1. Repeated indices accumulate.
   */
  public NDArray scatterAdd(int dim, NDArray index, NDArray src) {
    return Indexing.scatterAdd(this, dim, index, src);
  }

  /** The slices of {@code dim} at the positions in a 1-D INT32 {@code index}, in that order. */
  public NDArray indexSelect(int dim, NDArray index) {
    return Indexing.indexSelect(this, dim, index);
  }

  /** One-hot encoding of an INT32 array of class indices: shape + [numClasses], INT32. */
  public NDArray oneHot(int numClasses) {
    return Indexing.oneHot(this, numClasses);
  }

  /** A copy with {@code value} wherever {@code mask} (broadcast to this shape) is non-zero. */
  public NDArray maskedFill(NDArray mask, double value) {
    int[] s = Shapes.broadcast("maskedFill", shape, mask.shape);
    if (!Arrays.equals(s, shape)) {
      throw new IllegalArgumentException(
          String.format(
              "maskedFill: mask of shape %s does not broadcast to the array's shape %s",
              Shapes.toString(mask.shape), Shapes.toString(shape)));
    }
    NDArray out = empty(dtype, shape);
    Elementwise.where(out, mask.expand(shape), scalar(dtype, value).expand(shape), this);
    return out;
  }

  // ------------------------------------------------------------------ matrix products

  /**
   * The matrix product with numpy semantics: vector·vector gives a scalar, matrix·vector a vector,
   * and leading batch dims broadcast.
   */
  public NDArray matmul(NDArray other) {
    return MatMul.matmul(this, other);
  }

  /**
   * The fused GEMM {@code c = beta·c + alpha·op(a)·op(b)} on 2-D arrays of one float dtype, where
   * op transposes when its flag is set. Transposes are read through strides, never copied.
   *
   * <pre>{@code
   * // dW = Xᵀ·G without materialising Xᵀ
   * NDArray.gemm(true, false, 1.0, x, g, 0.0, dW);
   * }</pre>
   */
  public static void gemm(
      boolean transA, boolean transB, double alpha, NDArray a, NDArray b, double beta, NDArray c) {
    MatMul.gemm(transA, transB, alpha, a, b, beta, c);
  }

  // ------------------------------------------------------------------ in place

  void checkWritable(String op) {
    for (int d = 0; d < rank(); d++) {
      if (strides[d] == 0 && shape[d] > 1) {
        throw new IllegalArgumentException(
            op
                + ": cannot write into an expanded (broadcast) view of shape "
                + Shapes.toString(shape)
                + "; clone() it first");
      }
    }
  }

  private NDArray binaryInPlace(BinaryOp op, String name, NDArray other) {
    checkWritable(name);
    int[] s = Shapes.broadcast(name, shape, other.shape);
    if (!Arrays.equals(s, shape)) {
      throw new IllegalArgumentException(
          String.format(
              "%s: shape %s cannot be broadcast into the destination's shape %s",
              name, Shapes.toString(other.shape), Shapes.toString(shape)));
    }
    if (dtype == DType.INT32 && other.dtype.isFloatingPoint()) {
      throw new IllegalArgumentException(
          name + ": a " + other.dtype + " result cannot be stored in an int32 array");
    }
    NDArray y = other.to(dtype);
    if (y.data == data && (y.offset != offset || !Arrays.equals(y.strides, strides))) {
      y = y.clone(); // overlapping views: read from a copy
    }
    Elementwise.binary(op, this, this, y.expand(shape));
    return this;
  }

  /** {@code this += other} (other broadcast to this shape). Returns this. */
  public NDArray addInPlace(NDArray other) {
    return binaryInPlace(BinaryOp.ADD, "addInPlace", other);
  }

  /** {@code this += alpha·other}, PyTorch's {@code add_(other, alpha=…)}. Returns this. */
  public NDArray addInPlace(NDArray other, double alpha) {
    return alpha == 1 ? addInPlace(other) : addInPlace(other.mul(alpha));
  }

  /** {@code this += value}. Returns this. */
  public NDArray addInPlace(double value) {
    return binaryInPlace(BinaryOp.ADD, "addInPlace", scalarLike(value));
  }

  /** {@code this -= other}. Returns this. */
  public NDArray subInPlace(NDArray other) {
    return binaryInPlace(BinaryOp.SUB, "subInPlace", other);
  }

  /** {@code this -= value}. Returns this. */
  public NDArray subInPlace(double value) {
    return binaryInPlace(BinaryOp.SUB, "subInPlace", scalarLike(value));
  }

  /** {@code this *= other}. Returns this. */
  public NDArray mulInPlace(NDArray other) {
    return binaryInPlace(BinaryOp.MUL, "mulInPlace", other);
  }

  /** {@code this *= value}. Returns this. */
  public NDArray mulInPlace(double value) {
    return binaryInPlace(BinaryOp.MUL, "mulInPlace", scalarLike(value));
  }

  /** {@code this /= other}. Returns this. */
  public NDArray divInPlace(NDArray other) {
    return binaryInPlace(BinaryOp.DIV, "divInPlace", other);
  }

  /** {@code this /= value}. Returns this. */
  public NDArray divInPlace(double value) {
    return binaryInPlace(BinaryOp.DIV, "divInPlace", scalarLike(value));
  }

  /** {@code this += value·t1·t2}, PyTorch's {@code addcmul_}. Returns this. */
  public NDArray addcmulInPlace(NDArray t1, NDArray t2, double value) {
    return addInPlace(t1.mul(t2), value);
  }

  /** {@code this += value·t1/t2}, PyTorch's {@code addcdiv_}. Returns this. */
  public NDArray addcdivInPlace(NDArray t1, NDArray t2, double value) {
    return addInPlace(t1.div(t2), value);
  }

  /** Sets every element to {@code value}. Returns this. */
  public NDArray fill(double value) {
    checkWritable("fill");
    Elementwise.fill(this, value);
    return this;
  }

  /** Copies {@code src} (broadcast to this shape, converted to this dtype). Returns this. */
  public NDArray copyFrom(NDArray src) {
    checkWritable("copyFrom");
    int[] s = Shapes.broadcast("copyFrom", shape, src.shape);
    if (!Arrays.equals(s, shape)) {
      throw new IllegalArgumentException(
          String.format(
              "copyFrom: shape %s cannot be broadcast into the destination's shape %s",
              Shapes.toString(src.shape), Shapes.toString(shape)));
    }
    NDArray y = src.data == data && src != this ? src.clone() : src;
    Elementwise.copy(this, y.expand(shape));
    return this;
  }

  // ------------------------------------------------------------------ comparison helpers

  /**
   * True when both arrays have one shape and every pair of elements satisfies {@code |a − b| <=
   * atol + rtol·|b|} (NaNs equal each other), like {@code torch.allclose}.
   */
  public boolean allClose(NDArray other, double rtol, double atol) {
    if (!Arrays.equals(shape, other.shape)) {
      return false;
    }
    double[] a = toDoubleArray();
    double[] b = other.toDoubleArray();
    for (int i = 0; i < a.length; i++) {
      boolean bothNaN = Double.isNaN(a[i]) && Double.isNaN(b[i]);
      if (!bothNaN && !(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i])) && a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }

  /** PyTorch-style text: values (elided when large), shape and dtype. */
  @Override
  public String toString() {
    return Printer.format(this);
  }
}
