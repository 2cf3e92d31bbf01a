package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Dense;
import dev.jgrad.tensor.kernel.Shapes;
import java.util.Arrays;

/**
 * An n-dimensional array in the manner of numpy's ndarray, fast through the JDK's SIMD Vector API.
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
 * System.out.println(p.sum(1, false));                       // all ones
 * }</pre>
 *
 * <p>This class is the facade: each method names its operation and hands it to the family that
 * implements it, package-private beside it: {@code Creation} (factories), {@code Views} (shapes,
 * strides and offsets), {@code Elementwise} with {@code UnaryOp} and {@code BinaryOp} (elementwise
 * math, in-place forms), {@code Reductions} and {@code Softmax}, {@code Pooling}, {@code Indexing},
 * {@code MatMul}, {@code Convolution}. Dims may be negative, counting from the end as in PyTorch; a
 * dim out of range raises {@link IndexOutOfBoundsException}, shapes that do not fit raise {@link
 * IllegalArgumentException}.
 *
 * <p>The sequence-model ops go to {@code Triangular} (tril, triu), {@code Sorting} (sort, argsort,
 * topk), {@code Sampling} (multinomial) and {@code Normalization} (layerNorm, rmsNorm,
 * channelMoments, channelNormalize).
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

  /** A new contiguous array whose contents kernels are about to overwrite (zeros until then). */
  static NDArray empty(DType dtype, int... shape) {
    return Creation.empty("empty", dtype, shape);
  }

  /**
   * Zeros of the given shape, FLOAT32: {@code NDArray.zeros(2, 3)}.
   *
   * @throws IllegalArgumentException if a size is negative or there are more than 2³¹ − 9 elements
   */
  public static NDArray zeros(int... shape) {
    return zeros(DType.FLOAT32, shape);
  }

  /**
   * Zeros of the given dtype and shape: {@code NDArray.zeros(DType.INT32, 10)}.
   *
   * @throws IllegalArgumentException if a size is negative or there are more than 2³¹ − 9 elements
   */
  public static NDArray zeros(DType dtype, int... shape) {
    return Creation.empty("zeros", dtype, shape);
  }

  /**
   * Ones of the given shape, FLOAT32: {@code NDArray.ones(3)} is {@code [1, 1, 1]}.
   *
   * @throws IllegalArgumentException if a size is negative or there are more than 2³¹ − 9 elements
   */
  public static NDArray ones(int... shape) {
    return ones(DType.FLOAT32, shape);
  }

  /**
   * Ones of the given dtype and shape: {@code NDArray.ones(DType.FLOAT64, 2, 2)}.
   *
   * @throws IllegalArgumentException if a size is negative or there are more than 2³¹ − 9 elements
   */
  public static NDArray ones(DType dtype, int... shape) {
    return Creation.full("ones", dtype, 1.0, shape);
  }

  /**
   * Every element {@code value}, FLOAT32: {@code NDArray.full(0.5, 2, 3)}.
   *
   * @throws IllegalArgumentException if a size is negative or there are more than 2³¹ − 9 elements
   */
  public static NDArray full(double value, int... shape) {
    return full(DType.FLOAT32, value, shape);
  }

  /**
   * Every element {@code value} (converted to the dtype): {@code NDArray.full(DType.INT32, 7, 3)}.
   *
   * @throws IllegalArgumentException if a size is negative or there are more than 2³¹ − 9 elements
   */
  public static NDArray full(DType dtype, double value, int... shape) {
    return Creation.full("full", dtype, value, shape);
  }

  /** Zeros with the shape and dtype of {@code like}: {@code NDArray.zerosLike(x)}. */
  public static NDArray zerosLike(NDArray like) {
    return zeros(like.dtype, like.shape);
  }

  /** Ones with the shape and dtype of {@code like}: {@code NDArray.onesLike(loss)}. */
  public static NDArray onesLike(NDArray like) {
    return ones(like.dtype, like.shape);
  }

  /** A 0-dimensional FLOAT32 array holding {@code value}: {@code NDArray.scalar(2.5).item()}. */
  public static NDArray scalar(double value) {
    return scalar(DType.FLOAT32, value);
  }

  /** A 0-dimensional array of the given dtype: {@code NDArray.scalar(DType.FLOAT64, 1e-300)}. */
  public static NDArray scalar(DType dtype, double value) {
    return Creation.full("scalar", dtype, value, new int[0]);
  }

  /**
   * {@code [0, 1, …, end-1]} as INT32, like {@code torch.arange(end)}; empty when end ≤ 0.
   *
   * @throws IllegalArgumentException if there are more than 2³¹ − 9 values
   */
  public static NDArray arange(int end) {
    return arange(0, end);
  }

  /**
   * {@code [start, …, end-1]} as INT32: {@code NDArray.arange(2, 5)} is {@code [2, 3, 4]}.
   *
   * @throws IllegalArgumentException if there are more than 2³¹ − 9 values
   */
  public static NDArray arange(int start, int end) {
    return Creation.arange(start, end);
  }

  /**
   * {@code start, start+step, …} up to but excluding {@code end}, FLOAT32: {@code NDArray.arange(0,
   * 2, 0.5)} is {@code [0, 0.5, 1, 1.5]}.
   *
   * @throws IllegalArgumentException if step is 0 or NaN, start or end is not finite, or the range
   *     has more than 2³¹ − 9 values
   */
  public static NDArray arange(double start, double end, double step) {
    return Creation.arange(start, end, step);
  }

  /**
   * {@code steps} evenly spaced values from start to end inclusive, FLOAT32: {@code
   * NDArray.linspace(-1, 1, 5)} is {@code [-1, -0.5, 0, 0.5, 1]}.
   *
   * @throws IllegalArgumentException if steps is negative or more than 2³¹ − 9
   */
  public static NDArray linspace(double start, double end, int steps) {
    return Creation.linspace(start, end, steps);
  }

  /**
   * The n×n identity, FLOAT32: {@code NDArray.eye(3)}.
   *
   * @throws IllegalArgumentException if n is negative
   */
  public static NDArray eye(int n) {
    return eye(n, n);
  }

  /**
   * The n×m matrix with ones on the main diagonal, FLOAT32: {@code NDArray.eye(2, 3)}.
   *
   * @throws IllegalArgumentException if n or m is negative
   */
  public static NDArray eye(int n, int m) {
    return Creation.eye(n, m);
  }

  /** A 1-D FLOAT32 array of the values: {@code NDArray.of(1, 2, 3)}. */
  public static NDArray of(float... values) {
    return fromArray(values, values.length);
  }

  /**
   * A 2-D FLOAT32 array of the rows: {@code NDArray.of(new float[][] {{1, 2}, {3, 4}})}.
   *
   * @throws IllegalArgumentException if the rows differ in length
   */
  public static NDArray of(float[][] rows) {
    return Creation.rows(rows);
  }

  /** A 1-D FLOAT64 array of the values: {@code NDArray.of(1.0, 2.0)}. */
  public static NDArray of(double... values) {
    return fromArray(values, values.length);
  }

  /**
   * A 2-D FLOAT64 array of the rows: {@code NDArray.of(new double[][] {{1, 2}, {3, 4}})}.
   *
   * @throws IllegalArgumentException if the rows differ in length
   */
  public static NDArray of(double[][] rows) {
    return Creation.rows(rows);
  }

  /** A 1-D INT32 array of the values: {@code NDArray.ofInts(3, 1, 4)} (class labels, say). */
  public static NDArray ofInts(int... values) {
    return fromArray(values, values.length);
  }

  /**
   * A FLOAT32 array of the given shape holding a copy of {@code data} in row-major order: {@code
   * NDArray.fromArray(pixels, 28, 28)}.
   *
   * @throws IllegalArgumentException if the shape does not hold exactly {@code data.length} values
   */
  public static NDArray fromArray(float[] data, int... shape) {
    return Creation.wrap(DType.FLOAT32, data.clone(), shape);
  }

  /**
   * A FLOAT32 array of the given shape whose elements are unsigned bytes divided by {@code
   * divisor}, read from {@code data} starting at {@code offset}: {@code (data[offset + i] & 0xFF) /
   * divisor}, computed in float. For pixel data, in one pass without copying the bytes first:
   *
   * <pre>{@code
   * NDArray images = NDArray.fromUnsignedBytes(idx, 16, 255f, 60000, 784); // values in [0, 1]
   * }</pre>
   *
   * @throws IllegalArgumentException if a size is negative, the array would be too large, or {@code
   *     data} holds fewer than the shape's element count of bytes from {@code offset}
   */
  public static NDArray fromUnsignedBytes(byte[] data, int offset, float divisor, int... shape) {
    return Creation.fromUnsignedBytes(data, offset, divisor, shape);
  }

  /**
   * A FLOAT64 array of the given shape holding a copy of {@code data} in row-major order: {@code
   * NDArray.fromArray(new double[6], 2, 3)}.
   *
   * @throws IllegalArgumentException if the shape does not hold exactly {@code data.length} values
   */
  public static NDArray fromArray(double[] data, int... shape) {
    return Creation.wrap(DType.FLOAT64, data.clone(), shape);
  }

  /**
   * An INT32 array of the given shape holding a copy of {@code data} in row-major order: {@code
   * NDArray.fromArray(labels, labels.length)}.
   *
   * @throws IllegalArgumentException if the shape does not hold exactly {@code data.length} values
   */
  public static NDArray fromArray(int[] data, int... shape) {
    return Creation.wrap(DType.INT32, data.clone(), shape);
  }

  /**
   * Uniform in [0, 1), FLOAT32, from the given generator: {@code NDArray.rand(new Generator(0),
   * 3)}.
   *
   * @throws IllegalArgumentException if a size is negative
   */
  public static NDArray rand(Generator g, int... shape) {
    return rand(g, DType.FLOAT32, shape);
  }

  /**
   * Uniform in [0, 1) of a floating-point dtype: {@code NDArray.rand(g, DType.FLOAT64, 3)}.
   *
   * @throws IllegalArgumentException if the dtype is INT32 or a size is negative
   */
  public static NDArray rand(Generator g, DType dtype, int... shape) {
    return Creation.rand(g, dtype, shape);
  }

  /**
   * Standard normal, FLOAT32, from the given generator: {@code NDArray.randn(g, 784, 128)}.
   *
   * @throws IllegalArgumentException if a size is negative
   */
  public static NDArray randn(Generator g, int... shape) {
    return randn(g, DType.FLOAT32, shape);
  }

  /**
   * Standard normal of a floating-point dtype: {@code NDArray.randn(g, DType.FLOAT64, 5)}.
   *
   * @throws IllegalArgumentException if the dtype is INT32 or a size is negative
   */
  public static NDArray randn(Generator g, DType dtype, int... shape) {
    return Creation.randn(g, dtype, shape);
  }

  /**
   * Uniform integers in [low, high), INT32: {@code NDArray.randint(g, 0, 10, 64)}.
   *
   * @throws IllegalArgumentException if low ≥ high, the range exceeds 2³¹ − 1 values, or a size is
   *     negative
   */
  public static NDArray randint(Generator g, int low, int high, int... shape) {
    return Creation.randint(g, low, high, shape);
  }

  // ------------------------------------------------------------------ properties

  /** The element type: {@code NDArray.ofInts(1).dtype()} is INT32. */
  public DType dtype() {
    return dtype;
  }

  /** A copy of the shape: {@code NDArray.zeros(2, 3).shape()} is {@code [2, 3]}. */
  public int[] shape() {
    return shape.clone();
  }

  /**
   * The size of one dim: {@code x.shape(-1)} is the size of the last.
   *
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public int shape(int dim) {
    return shape[Shapes.normalizeDim("shape", dim, rank())];
  }

  /** A copy of the strides, in elements: {@code NDArray.zeros(2, 3).t().strides()} is [1, 3]. */
  public int[] strides() {
    return strides.clone();
  }

  /** The index of the first element in the storage: {@code x.select(0, 1).offset()}. */
  public int offset() {
    return offset;
  }

  /** The number of dims: {@code NDArray.scalar(1).rank()} is 0. */
  public int rank() {
    return shape.length;
  }

  /** The number of dims (PyTorch's name): {@code NDArray.zeros(2, 3).dim()} is 2. */
  public int dim() {
    return shape.length;
  }

  /** The number of elements: {@code NDArray.zeros(2, 3).numel()} is 6. */
  public int numel() {
    return Shapes.numel(shape);
  }

  /** True when the elements lie in row-major order with no gaps: false for {@code x.t()}. */
  public boolean isContiguous() {
    return Views.isContiguous(shape, strides);
  }

  /** True when this array and {@code other} are views of one storage: {@code x.t()} and x. */
  public boolean sharesStorage(NDArray other) {
    return data == other.data;
  }

  // ------------------------------------------------------------------ element access

  /**
   * The element at {@code index} (negative indices count from the end), as a double: {@code
   * m.getDouble(0, -1)}.
   *
   * @throws IllegalArgumentException if the number of indices is not the rank
   * @throws IndexOutOfBoundsException if an index is out of range
   */
  public double getDouble(int... index) {
    return Storage.get(data, Views.storageIndex("getDouble", this, index));
  }

  /**
   * The element at {@code index} as a float: {@code m.getFloat(1, 2)}.
   *
   * @throws IllegalArgumentException if the number of indices is not the rank
   * @throws IndexOutOfBoundsException if an index is out of range
   */
  public float getFloat(int... index) {
    return (float) Storage.get(data, Views.storageIndex("getFloat", this, index));
  }

  /**
   * The element at {@code index} as an int (truncated toward zero for floats): {@code
   * labels.getInt(i)}.
   *
   * @throws IllegalArgumentException if the number of indices is not the rank
   * @throws IndexOutOfBoundsException if an index is out of range
   */
  public int getInt(int... index) {
    return (int) Storage.get(data, Views.storageIndex("getInt", this, index));
  }

  /**
   * Sets the element at {@code index} (converted to this dtype); returns this: {@code m.set(1.5, 0,
   * 0)}.
   *
   * @throws IllegalArgumentException if the number of indices is not the rank, or this is an
   *     expanded (broadcast) view
   * @throws IndexOutOfBoundsException if an index is out of range
   */
  public NDArray set(double value, int... index) {
    checkWritable("set");
    Storage.set(data, Views.storageIndex("set", this, index), value);
    return this;
  }

  /**
   * The value of a one-element array: {@code loss.item()}.
   *
   * @throws IllegalArgumentException if the array has more or fewer than one element
   */
  public double item() {
    if (numel() != 1) {
      throw new IllegalArgumentException(
          "item: only one-element arrays can be converted to a number, got shape "
              + Shapes.toString(shape));
    }
    return Storage.get(data, offset); // every dim has size 1: the element is at the offset
  }

  /** The elements in row-major order as floats, in a new Java array: {@code x.toFloatArray()}. */
  public float[] toFloatArray() {
    return (float[]) ownedCopy(DType.FLOAT32).data;
  }

  /** The elements in row-major order as doubles, in a new Java array. */
  public double[] toDoubleArray() {
    return (double[]) ownedCopy(DType.FLOAT64).data;
  }

  /** The elements in row-major order as ints (floats truncated toward zero), in a new array. */
  public int[] toIntArray() {
    return (int[]) ownedCopy(DType.INT32).data;
  }

  /**
   * A 2-D array's rows as new float arrays, the inverse of {@link #of(float[][])}: {@code
   * m.toFloatArray2d()[i][j]}.
   *
   * @throws IllegalArgumentException if the array is not 2-D
   */
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

  /** This array converted to {@code target}; this array itself when it already has it. */
  public NDArray to(DType target) {
    if (target == dtype) {
      return this;
    }
    NDArray out = Creation.empty("to", target, shape);
    Elementwise.copy(out, this);
    return out;
  }

  /** A contiguous copy with its own storage: {@code x.t().clone().isContiguous()} is true. */
  @Override
  public NDArray clone() {
    return copy("clone");
  }

  /** This array if contiguous, otherwise a contiguous copy: {@code x.t().contiguous()}. */
  public NDArray contiguous() {
    return isContiguous() ? this : copy("contiguous");
  }

  private NDArray copy(String op) {
    NDArray out = Creation.empty(op, dtype, shape);
    Elementwise.copy(out, this);
    return out;
  }

  // ------------------------------------------------------------------ views

  /**
   * A view with another shape (one size may be -1), or a copy when the strides do not allow one:
   * {@code x.reshape(-1, 784)}.
   *
   * @throws IllegalArgumentException if the shape holds another number of elements, has a negative
   *     size other than one -1, or two -1
   */
  public NDArray reshape(int... newShape) {
    return Views.reshape(this, newShape);
  }

  /**
   * A view with another shape (one size may be -1); refuses when that needs a copy: {@code
   * x.view(2, -1)}.
   *
   * @throws IllegalArgumentException as {@link #reshape}, and when no strides show this storage in
   *     the new shape
   */
  public NDArray view(int... newShape) {
    return Views.view(this, newShape);
  }

  /**
   * Swaps two dims (a view): {@code x.transpose(0, 1)} of a [2, 3] array is [3, 2].
   *
   * @throws IndexOutOfBoundsException if a dim is out of range
   */
  public NDArray transpose(int dim0, int dim1) {
    return Views.transpose(this, dim0, dim1);
  }

  /**
   * The transpose of a matrix; vectors and scalars are returned as they are (PyTorch's t()): {@code
   * w.t()}.
   *
   * @throws IllegalArgumentException if the array has more than 2 dims
   */
  public NDArray t() {
    return Views.t(this);
  }

  /**
   * Swaps the last two dims: the transpose of each matrix in a batch: {@code a.matmul(b.mT())}.
   *
   * @throws IllegalArgumentException if the array has fewer than 2 dims
   */
  public NDArray mT() {
    return Views.mT(this);
  }

  /**
   * Reorders the dims: dim i of the result is dim {@code order[i]} of this (a view): {@code
   * images.permute(0, 2, 3, 1)}.
   *
   * @throws IllegalArgumentException if order does not list every dim exactly once
   * @throws IndexOutOfBoundsException if a dim is out of range
   */
  public NDArray permute(int... order) {
    return Views.permute(this, order);
  }

  /** Removes every dim of size 1 (a view): a [1, 3, 1] array becomes [3]. */
  public NDArray squeeze() {
    return Views.squeeze(this);
  }

  /**
   * Removes {@code dim} if its size is 1; otherwise returns this unchanged, like PyTorch: {@code
   * x.squeeze(-1)}.
   *
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public NDArray squeeze(int dim) {
    return Views.squeeze(this, dim);
  }

  /**
   * Inserts a dim of size 1 at {@code dim}, in [-rank-1, rank] (a view): {@code v.unsqueeze(0)}
   * makes a row.
   *
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public NDArray unsqueeze(int dim) {
    return Views.unsqueeze(this, dim);
  }

  /**
   * A view repeating size-1 dims to the given shape without copying (stride 0); -1 keeps a size,
   * and new leading dims may be added: {@code bias.expand(64, -1)}.
   *
   * @throws IllegalArgumentException if the shape has fewer dims, asks to change a size other than
   *     1, or has -1 in a new leading dim
   */
  public NDArray expand(int... newShape) {
    return Views.expand("expand", this, newShape);
  }

  /**
   * A broadcast view of this array in {@code newShape}, numpy's and PyTorch's name for {@link
   * #expand}: {@code NDArray.of(1, 2).broadcastTo(3, 2)}.
   *
   * @throws IllegalArgumentException if this shape does not broadcast to {@code newShape}
   */
  public NDArray broadcastTo(int... newShape) {
    return Views.expand("broadcastTo", this, newShape);
  }

  /**
   * The {@code length} elements of {@code dim} starting at {@code start} (a view): {@code
   * x.narrow(0, 10, 5)}.
   *
   * @throws IndexOutOfBoundsException if dim is out of range or the part lies outside it
   */
  public NDArray narrow(int dim, int start, int length) {
    return Views.narrow(this, dim, start, length);
  }

  /**
   * Python's {@code x[start:end:step]} along {@code dim} (a view): negative start and end count
   * from the end, out-of-range bounds are clamped: {@code x.slice(0, 0, -1, 2)}.
   *
   * @throws IllegalArgumentException if step is not positive
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public NDArray slice(int dim, int start, int end, int step) {
    return Views.slice(this, dim, start, end, step);
  }

  /**
   * Python's {@code x[start:end]} along {@code dim} (a view): {@code x.slice(1, 2, 5)}.
   *
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public NDArray slice(int dim, int start, int end) {
    return slice(dim, start, end, 1);
  }

  /**
   * The slice at {@code index} of {@code dim}, with that dim removed (a view): {@code
   * batch.select(0, i)} is sample i.
   *
   * @throws IndexOutOfBoundsException if dim or index is out of range
   */
  public NDArray select(int dim, int index) {
    return Views.select(this, dim, index);
  }

  /** All dims merged into one (a view when possible): {@code x.flatten()}. */
  public NDArray flatten() {
    return reshape(numel());
  }

  /**
   * Dims {@code startDim..endDim} (inclusive) merged into one: {@code images.flatten(1, -1)} of [N,
   * 1, 28, 28] is [N, 784].
   *
   * @throws IllegalArgumentException if startDim comes after endDim
   * @throws IndexOutOfBoundsException if a dim is out of range
   */
  public NDArray flatten(int startDim, int endDim) {
    return Views.flatten(this, startDim, endDim);
  }

  /**
   * Joins arrays along an existing dim (a copy, in the promoted dtype); all other sizes must agree:
   * {@code NDArray.cat(0, a, b)}.
   *
   * @throws IllegalArgumentException if there is no array, they are 0-d, or other sizes differ
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public static NDArray cat(int dim, NDArray... arrays) {
    return Views.cat(dim, arrays);
  }

  /**
   * Stacks arrays of one shape along a new dim (a copy): {@code NDArray.stack(0, x, y)} of two [3]
   * arrays is [2, 3].
   *
   * @throws IllegalArgumentException if there is no array or the shapes differ
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public static NDArray stack(int dim, NDArray... arrays) {
    return Views.stack(dim, arrays);
  }

  // ------------------------------------------------------------------ elementwise binary
  //
  // Every binary op broadcasts like numpy and computes in the promoted dtype (INT32 with a float
  // gives the float, FLOAT32 with FLOAT64 gives FLOAT64); the NDArray forms throw
  // IllegalArgumentException naming the op and both shapes when they do not broadcast. A double
  // operand is a scalar of this dtype (FLOAT32 when it has a fraction and this is INT32).

  /**
   * {@code this + other}, broadcast: {@code x.matmul(w).add(bias)}.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public NDArray add(NDArray other) {
    return Elementwise.binary(BinaryOp.ADD, this, other);
  }

  /** {@code this + value}: {@code x.add(1)}. */
  public NDArray add(double value) {
    return Elementwise.binary(BinaryOp.ADD, this, Elementwise.scalarLike(this, value));
  }

  /**
   * {@code this - other}, broadcast: {@code x.sub(x.mean(0, true))}.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public NDArray sub(NDArray other) {
    return Elementwise.binary(BinaryOp.SUB, this, other);
  }

  /** {@code this - value}: {@code x.sub(0.5)}. */
  public NDArray sub(double value) {
    return Elementwise.binary(BinaryOp.SUB, this, Elementwise.scalarLike(this, value));
  }

  /**
   * {@code this * other}, broadcast: {@code x.mul(mask)}.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public NDArray mul(NDArray other) {
    return Elementwise.binary(BinaryOp.MUL, this, other);
  }

  /** {@code this * value}: {@code w.mul(0.01)}. */
  public NDArray mul(double value) {
    return Elementwise.binary(BinaryOp.MUL, this, Elementwise.scalarLike(this, value));
  }

  /**
   * {@code this / other}, broadcast; integers divide truly, giving FLOAT32: {@code x.div(norms)}.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public NDArray div(NDArray other) {
    return Elementwise.binary(BinaryOp.DIV, this, other);
  }

  /** {@code this / value}: {@code pixels.div(255)}. */
  public NDArray div(double value) {
    return Elementwise.binary(BinaryOp.DIV, this, Elementwise.scalarLike(this, value));
  }

  /**
   * {@code this ^ other}, broadcast: {@code base.pow(exponents)}.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public NDArray pow(NDArray other) {
    return Elementwise.binary(BinaryOp.POW, this, other);
  }

  /** {@code this ^ exponent}; 2 is computed as {@link #square}: {@code x.pow(3)}. */
  public NDArray pow(double exponent) {
    if (exponent == 2.0) {
      return square();
    }
    return Elementwise.binary(BinaryOp.POW, this, Elementwise.scalarLike(this, exponent));
  }

  /**
   * The larger of each pair (NaN if either is NaN), broadcast: {@code x.maximum(y)}.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public NDArray maximum(NDArray other) {
    return Elementwise.binary(BinaryOp.MAXIMUM, this, other);
  }

  /**
   * The smaller of each pair (NaN if either is NaN), broadcast: {@code x.minimum(y)}.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public NDArray minimum(NDArray other) {
    return Elementwise.binary(BinaryOp.MINIMUM, this, other);
  }

  /**
   * 1 where {@code this == other}, else 0; INT32, broadcast: {@code predicted.eq(labels)}.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public NDArray eq(NDArray other) {
    return Elementwise.binary(BinaryOp.EQ, this, other);
  }

  /** 1 where {@code this == value}, else 0; INT32: {@code x.eq(0)}. */
  public NDArray eq(double value) {
    return Elementwise.binary(BinaryOp.EQ, this, Elementwise.scalarLike(this, value));
  }

  /**
   * 1 where {@code this != other}, else 0; INT32, broadcast: {@code x.ne(y)}.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public NDArray ne(NDArray other) {
    return Elementwise.binary(BinaryOp.NE, this, other);
  }

  /** 1 where {@code this != value}, else 0; INT32: {@code x.ne(0)} marks the non-zeros. */
  public NDArray ne(double value) {
    return Elementwise.binary(BinaryOp.NE, this, Elementwise.scalarLike(this, value));
  }

  /**
   * 1 where {@code this < other}, else 0; INT32, broadcast: {@code x.lt(y)}.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public NDArray lt(NDArray other) {
    return Elementwise.binary(BinaryOp.LT, this, other);
  }

  /** 1 where {@code this < value}, else 0; INT32: {@code x.lt(0)}. */
  public NDArray lt(double value) {
    return Elementwise.binary(BinaryOp.LT, this, Elementwise.scalarLike(this, value));
  }

  /**
   * 1 where {@code this <= other}, else 0; INT32, broadcast: {@code x.le(y)}.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public NDArray le(NDArray other) {
    return Elementwise.binary(BinaryOp.LE, this, other);
  }

  /** 1 where {@code this <= value}, else 0; INT32: {@code x.le(1)}. */
  public NDArray le(double value) {
    return Elementwise.binary(BinaryOp.LE, this, Elementwise.scalarLike(this, value));
  }

  /**
   * 1 where {@code this > other}, else 0; INT32, broadcast: {@code x.gt(y)}.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public NDArray gt(NDArray other) {
    return Elementwise.binary(BinaryOp.GT, this, other);
  }

  /** 1 where {@code this > value}, else 0; INT32: {@code x.gt(0)} is ReLU's mask. */
  public NDArray gt(double value) {
    return Elementwise.binary(BinaryOp.GT, this, Elementwise.scalarLike(this, value));
  }

  /**
   * 1 where {@code this >= other}, else 0; INT32, broadcast: {@code x.ge(y)}.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public NDArray ge(NDArray other) {
    return Elementwise.binary(BinaryOp.GE, this, other);
  }

  /** 1 where {@code this >= value}, else 0; INT32: {@code x.ge(0.5)}. */
  public NDArray ge(double value) {
    return Elementwise.binary(BinaryOp.GE, this, Elementwise.scalarLike(this, value));
  }

  /**
   * {@code cond != 0 ? a : b} elementwise, all three broadcast together, in the dtype of a and b
   * promoted: {@code NDArray.where(x.gt(0), x, x.mul(0.01))}.
   *
   * @throws IllegalArgumentException if the three shapes do not broadcast
   */
  public static NDArray where(NDArray cond, NDArray a, NDArray b) {
    return Elementwise.where(cond, a, b);
  }

  /** {@code cond != 0 ? a : b} with scalar branches, FLOAT32: {@code NDArray.where(mask, 1, 0)}. */
  public static NDArray where(NDArray cond, double a, double b) {
    return where(cond, scalar(a), scalar(b));
  }

  // ------------------------------------------------------------------ elementwise unary
  //
  // A new array of this shape; INT32 input is computed in FLOAT32, except by neg, abs, sign,
  // square and relu, which map integers to integers.

  /** −x: {@code x.neg()}. */
  public NDArray neg() {
    return Elementwise.unary(UnaryOp.NEG, this);
  }

  /** |x|: {@code x.sub(y).abs()}. */
  public NDArray abs() {
    return Elementwise.unary(UnaryOp.ABS, this);
  }

  /** −1, 0 or 1 by the sign of x (±0 and NaN stay as they are): {@code x.sign()}. */
  public NDArray sign() {
    return Elementwise.unary(UnaryOp.SIGN, this);
  }

  /** eˣ: {@code x.exp()}. */
  public NDArray exp() {
    return Elementwise.unary(UnaryOp.EXP, this);
  }

  /** The natural logarithm: {@code p.log()}. */
  public NDArray log() {
    return Elementwise.unary(UnaryOp.LOG, this);
  }

  /** log(1 + x), accurate for small x: {@code x.log1p()}. */
  public NDArray log1p() {
    return Elementwise.unary(UnaryOp.LOG1P, this);
  }

  /** eˣ − 1, accurate for small x: {@code x.expm1()}. */
  public NDArray expm1() {
    return Elementwise.unary(UnaryOp.EXPM1, this);
  }

  /** √x: {@code variance.sqrt()}. */
  public NDArray sqrt() {
    return Elementwise.unary(UnaryOp.SQRT, this);
  }

  /** 1/√x: {@code variance.add(1e-5).rsqrt()}. */
  public NDArray rsqrt() {
    return Elementwise.unary(UnaryOp.RSQRT, this);
  }

  /** x²: {@code error.square()}. */
  public NDArray square() {
    return Elementwise.unary(UnaryOp.SQUARE, this);
  }

  /** 1/x: {@code x.reciprocal()}. */
  public NDArray reciprocal() {
    return Elementwise.unary(UnaryOp.RECIPROCAL, this);
  }

  /** sin x: {@code angles.sin()}. */
  public NDArray sin() {
    return Elementwise.unary(UnaryOp.SIN, this);
  }

  /** cos x: {@code angles.cos()}. */
  public NDArray cos() {
    return Elementwise.unary(UnaryOp.COS, this);
  }

  /** tanh x: {@code h.tanh()}. */
  public NDArray tanh() {
    return Elementwise.unary(UnaryOp.TANH, this);
  }

  /** σ(x) = 1 / (1 + e⁻ˣ): {@code logits.sigmoid()}. */
  public NDArray sigmoid() {
    return Elementwise.unary(UnaryOp.SIGMOID, this);
  }

  /** max(x, 0): {@code h.relu()}. */
  public NDArray relu() {
    return Elementwise.unary(UnaryOp.RELU, this);
  }

  /** GELU, exact form: x·Φ(x) = ½x(1 + erf(x/√2)), PyTorch's default: {@code h.gelu()}. */
  public NDArray gelu() {
    return Elementwise.unary(UnaryOp.GELU_ERF, this);
  }

  /** GELU, tanh approximation: ½x(1 + tanh(√(2/π)(x + 0.044715x³))): {@code h.geluTanh()}. */
  public NDArray geluTanh() {
    return Elementwise.unary(UnaryOp.GELU_TANH, this);
  }

  /** The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt: {@code x.erf()}. */
  public NDArray erf() {
    return Elementwise.unary(UnaryOp.ERF, this);
  }

  /** log(1 + eˣ), computed stably: {@code x.softplus()}. */
  public NDArray softplus() {
    return Elementwise.unary(UnaryOp.SOFTPLUS, this);
  }

  /**
   * Limits every element to [min, max], in this dtype: {@code p.clamp(1e-7, 1 - 1e-7)}.
   *
   * @throws IllegalArgumentException if min is greater than max
   */
  public NDArray clamp(double min, double max) {
    return Elementwise.clamp("clamp", this, min, max);
  }

  /** max(x, min): {@code x.clampMin(0)}. */
  public NDArray clampMin(double min) {
    return Elementwise.clamp("clampMin", this, min, Double.NaN);
  }

  /** min(x, max): {@code x.clampMax(1)}. */
  public NDArray clampMax(double max) {
    return Elementwise.clamp("clampMax", this, Double.NaN, max);
  }

  // ------------------------------------------------------------------ reductions
  //
  // dims lists the dims to reduce (all of them when empty); keepDim keeps them with size 1, as
  // PyTorch's keepdim. A dim out of range raises IndexOutOfBoundsException, a dim named twice
  // IllegalArgumentException, each naming the op.

  /**
   * Sums the dims that broadcasting added or stretched, so that the result has {@code target}'s
   * shape, the adjoint of {@code expand(target → this shape)}: {@code y.sumTo(bias.shape())} of a
   * [64, 10] y and a [10] bias is [10].
   *
   * @throws IllegalArgumentException if target does not broadcast to this shape
   */
  public NDArray sumTo(int... target) {
    return Reductions.sumTo(this, target);
  }

  /** The sum of all elements, as a 0-d array: {@code x.sum().item()}. */
  public NDArray sum() {
    return sum(new int[0], false);
  }

  /**
   * The sum over one dim: {@code x.sum(1, false)} of [N, 10] is [N].
   *
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public NDArray sum(int dim, boolean keepDim) {
    return sum(new int[] {dim}, keepDim);
  }

  /**
   * The sum over the given dims (all dims when empty): {@code x.sum(new int[] {0, 2}, true)}.
   *
   * @throws IndexOutOfBoundsException if a dim is out of range
   * @throws IllegalArgumentException if a dim appears twice
   */
  public NDArray sum(int[] dims, boolean keepDim) {
    return Reductions.reduce("sum", Reductions.Combine.SUM, this, dims, keepDim);
  }

  /** The mean of all elements, as a 0-d array (FLOAT32 for integers): {@code loss.mean()}. */
  public NDArray mean() {
    return mean(new int[0], false);
  }

  /**
   * The mean over one dim: {@code x.mean(0, true)}.
   *
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public NDArray mean(int dim, boolean keepDim) {
    return mean(new int[] {dim}, keepDim);
  }

  /**
   * The mean over the given dims (all dims when empty); integers give FLOAT32: {@code x.mean(new
   * int[] {0, 1}, false)}.
   *
   * @throws IndexOutOfBoundsException if a dim is out of range
   * @throws IllegalArgumentException if a dim appears twice
   */
  public NDArray mean(int[] dims, boolean keepDim) {
    return Reductions.mean("mean", this, dims, keepDim);
  }

  /** The product of all elements, as a 0-d array: {@code NDArray.of(2, 3).prod().item()} is 6. */
  public NDArray prod() {
    return Reductions.reduce("prod", Reductions.Combine.PROD, this, new int[0], false);
  }

  /**
   * The product over one dim: {@code x.prod(-1, false)}.
   *
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public NDArray prod(int dim, boolean keepDim) {
    return Reductions.reduce("prod", Reductions.Combine.PROD, this, new int[] {dim}, keepDim);
  }

  /**
   * The variance over the given dims (all when empty): Σ(x − mean)² / (N − correction); 1 is
   * Bessel's correction (PyTorch's default), 0 the population variance: {@code x.var(new int[] {0},
   * 0, true)}.
   *
   * @throws IndexOutOfBoundsException if a dim is out of range
   * @throws IllegalArgumentException if a dim appears twice
   */
  public NDArray var(int[] dims, int correction, boolean keepDim) {
    return Reductions.var("var", this, dims, correction, keepDim);
  }

  /** The unbiased variance of all elements: {@code x.var().item()}. */
  public NDArray var() {
    return var(new int[0], 1, false);
  }

  /**
   * The standard deviation √var over the given dims: {@code x.std(new int[] {0}, 1, false)}.
   *
   * @throws IndexOutOfBoundsException if a dim is out of range
   * @throws IllegalArgumentException if a dim appears twice
   */
  public NDArray std(int[] dims, int correction, boolean keepDim) {
    return Reductions.var("std", this, dims, correction, keepDim).sqrt();
  }

  /** The unbiased standard deviation of all elements: {@code x.std().item()}. */
  public NDArray std() {
    return std(new int[0], 1, false);
  }

  /**
   * The largest element, as a 0-d array (NaN if any is NaN): {@code x.max().item()}.
   *
   * @throws IllegalArgumentException if the array is empty
   */
  public NDArray max() {
    return Reductions.reduce("max", Reductions.Combine.MAX, this, new int[0], false);
  }

  /**
   * The smallest element, as a 0-d array (NaN if any is NaN): {@code x.min().item()}.
   *
   * @throws IllegalArgumentException if the array is empty
   */
  public NDArray min() {
    return Reductions.reduce("min", Reductions.Combine.MIN, this, new int[0], false);
  }

  /**
   * The largest values over the given dims (all when empty), without indices: {@code
   * logits.amax(new int[] {1}, true)}.
   *
   * @throws IndexOutOfBoundsException if a dim is out of range
   * @throws IllegalArgumentException if a dim appears twice or a reduced dim has size 0
   */
  public NDArray amax(int[] dims, boolean keepDim) {
    return Reductions.reduce("amax", Reductions.Combine.MAX, this, dims, keepDim);
  }

  /**
   * The smallest values over the given dims (all when empty), without indices: {@code x.amin(new
   * int[] {0}, false)}.
   *
   * @throws IndexOutOfBoundsException if a dim is out of range
   * @throws IllegalArgumentException if a dim appears twice or a reduced dim has size 0
   */
  public NDArray amin(int[] dims, boolean keepDim) {
    return Reductions.reduce("amin", Reductions.Combine.MIN, this, dims, keepDim);
  }

  /**
   * The largest values along {@code dim} and their first indices: {@code logits.max(1,
   * false).indices()} are the predicted classes.
   *
   * @throws IndexOutOfBoundsException if dim is out of range
   * @throws IllegalArgumentException if dim has size 0
   */
  public ValuesAndIndices max(int dim, boolean keepDim) {
    return Reductions.extreme("max", true, this, dim, keepDim, true);
  }

  /**
   * The smallest values along {@code dim} and their first indices: {@code d.min(1, false)}.
   *
   * @throws IndexOutOfBoundsException if dim is out of range
   * @throws IllegalArgumentException if dim has size 0
   */
  public ValuesAndIndices min(int dim, boolean keepDim) {
    return Reductions.extreme("min", false, this, dim, keepDim, true);
  }

  /**
   * The index of the largest element of the flattened array, as a 0-d INT32 array: {@code
   * x.argmax().item()}.
   *
   * @throws IllegalArgumentException if the array is empty
   */
  public NDArray argmax() {
    return Reductions.argExtremeAll("argmax", true, this);
  }

  /**
   * The indices of the largest values along {@code dim}, INT32: {@code logits.argmax(1, false)}.
   *
   * @throws IndexOutOfBoundsException if dim is out of range
   * @throws IllegalArgumentException if dim has size 0
   */
  public NDArray argmax(int dim, boolean keepDim) {
    return Reductions.extreme("argmax", true, this, dim, keepDim, false).indices();
  }

  /**
   * The index of the smallest element of the flattened array, as a 0-d INT32 array: {@code
   * distances.argmin().item()}.
   *
   * @throws IllegalArgumentException if the array is empty
   */
  public NDArray argmin() {
    return Reductions.argExtremeAll("argmin", false, this);
  }

  /**
   * The indices of the smallest values along {@code dim}, INT32: {@code distances.argmin(1,
   * false)}.
   *
   * @throws IndexOutOfBoundsException if dim is out of range
   * @throws IllegalArgumentException if dim has size 0
   */
  public NDArray argmin(int dim, boolean keepDim) {
    return Reductions.extreme("argmin", false, this, dim, keepDim, false).indices();
  }

  /** The 2-norm of all elements, as a 0-d array: {@code v.norm().item()}. */
  public NDArray norm() {
    return norm(2, new int[0], false);
  }

  /**
   * The p-norm over the given dims (all when empty): (Σ|x|ᵖ)^(1/p); p = ∞ gives max|x|, −∞ min|x|,
   * 0 the count of non-zeros: {@code rows.norm(1, new int[] {1}, true)}.
   *
   * @throws IndexOutOfBoundsException if a dim is out of range
   * @throws IllegalArgumentException if a dim appears twice, or p = ±∞ over a dim of size 0
   */
  public NDArray norm(double p, int[] dims, boolean keepDim) {
    return Reductions.norm(this, p, dims, keepDim);
  }

  /**
   * log Σ exp(x) over the given dims, computed stably by shifting by the max: {@code
   * logits.logsumexp(new int[] {1}, true)}.
   *
   * @throws IndexOutOfBoundsException if a dim is out of range
   * @throws IllegalArgumentException if a dim appears twice or a reduced dim has size 0
   */
  public NDArray logsumexp(int[] dims, boolean keepDim) {
    return Reductions.logsumexp(this, dims, keepDim);
  }

  /**
   * log Σ exp(x) over one dim: {@code logits.logsumexp(-1, false)}.
   *
   * @throws IndexOutOfBoundsException if dim is out of range
   * @throws IllegalArgumentException if dim has size 0
   */
  public NDArray logsumexp(int dim, boolean keepDim) {
    return logsumexp(new int[] {dim}, keepDim);
  }

  /**
   * exp(xᵢ) / Σⱼ exp(xⱼ) along {@code dim}, fused and stable: {@code logits.softmax(-1)}.
   *
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public NDArray softmax(int dim) {
    return Softmax.softmax("softmax", false, this, dim);
  }

  /**
   * xᵢ − log Σⱼ exp(xⱼ) along {@code dim}, fused and stable: {@code logits.logSoftmax(1)}.
   *
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public NDArray logSoftmax(int dim) {
    return Softmax.softmax("logSoftmax", true, this, dim);
  }

  // ------------------------------------------------------------------ pooling (Pooling)
  //
  // Over the last two dims of an (N, C, H, W) or (C, H, W) array, with PyTorch's geometry: a
  // kernel, stride, padding or dilation of one value applies to both dims, a stride of null (or
  // none) is the kernel size, padding is at most half the kernel, and ceil mode rounds the output
  // size up (a last window must still start inside the input or the left padding). INT32 input is
  // pooled in FLOAT32.

  /**
   * The maximum of each (dilated) window and its index in the flattened H·W plane of its (n, c),
   * like PyTorch's {@code max_pool2d(..., return_indices=True)}; padding never wins. Of equal
   * maxima the first in row-major order is taken; a NaN is always taken.
   *
   * <pre>{@code
   * ValuesAndIndices pooled = images.maxPool2d(new int[] {2}, null, new int[] {0}, new int[] {1}, false);
   * NDArray halved = pooled.values();   // [N, C, H/2, W/2]
   * }</pre>
   *
   * @throws IllegalArgumentException if the input is not 3-D or 4-D or has an empty plane, a kernel
   *     size, stride or dilation is not positive, padding is negative or above half the kernel, the
   *     dilated kernel does not fit the padded input, or a window holds only padding
   */
  public ValuesAndIndices maxPool2d(
      int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
    return Pooling.maxPool2d(this, kernelSize, stride, padding, dilation, ceilMode);
  }

  /**
   * The mean of each window. The divisor is the window's size clipped to the padded input when
   * {@code countIncludePad}, else the number of input elements it covers (PyTorch's {@code
   * avg_pool2d}).
   *
   * <pre>{@code
   * NDArray smooth = images.avgPool2d(new int[] {3}, new int[] {1}, new int[] {1}, false, true);
   * }</pre>
   *
   * @throws IllegalArgumentException if the input is not 3-D or 4-D or has an empty plane, a kernel
   *     size or stride is not positive, padding is negative or above half the kernel, or the kernel
   *     does not fit the padded input
   */
  public NDArray avgPool2d(
      int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
    return Pooling.avgPool2d(this, kernelSize, stride, padding, ceilMode, countIncludePad);
  }

  /**
   * The adjoint (transpose) of {@link #avgPool2d} with these arguments on an {@code inH × inW}
   * plane: this array, shaped like that pooling's output, is spread back over the windows, each
   * value divided by its window's divisor and added to every input position the window covers. For
   * all x and y, ⟨avgPool2d(x), y⟩ = ⟨x, y.avgPool2dAdjoint(H, W, …)⟩.
   *
   * <pre>{@code
   * NDArray spread = pooled.avgPool2dAdjoint(28, 28, new int[] {2}, null, new int[] {0}, false, true);
   * }</pre>
   *
   * @throws IllegalArgumentException if the arguments are invalid as for {@link #avgPool2d}, or
   *     this array's last two sizes are not the output size of that pooling
   */
  public NDArray avgPool2dAdjoint(
      int inH,
      int inW,
      int[] kernelSize,
      int[] stride,
      int[] padding,
      boolean ceilMode,
      boolean countIncludePad) {
    return Pooling.avgPool2dAdjoint(
        this, inH, inW, kernelSize, stride, padding, ceilMode, countIncludePad);
  }

  /**
   * The mean over PyTorch's adaptive windows, giving an {@code outH × outW} plane: output row i
   * averages input rows ⌊i·H/outH⌋ to ⌈(i + 1)·H/outH⌉ − 1, and likewise for columns.
   *
   * <pre>{@code
   * NDArray features = maps.adaptiveAvgPool2d(1, 1);   // global average: [N, C, 1, 1]
   * }</pre>
   *
   * @throws IllegalArgumentException if the input is not 3-D or 4-D or has an empty plane, or an
   *     output size is not positive
   */
  public NDArray adaptiveAvgPool2d(int outH, int outW) {
    return Pooling.adaptiveAvgPool2d(this, outH, outW);
  }

  /**
   * The adjoint (transpose) of {@link #adaptiveAvgPool2d} from an {@code inH × inW} plane to this
   * array's last two sizes: each value divided by its window's size and added over the window.
   *
   * <pre>{@code
   * NDArray spread = pooled.adaptiveAvgPool2dAdjoint(7, 7);
   * }</pre>
   *
   * @throws IllegalArgumentException if this array is not 3-D or 4-D, or a size is not positive
   */
  public NDArray adaptiveAvgPool2dAdjoint(int inH, int inW) {
    return Pooling.adaptiveAvgPool2dAdjoint(this, inH, inW);
  }

  // ------------------------------------------------------------------ indexing

  /**
   * {@code out[i][j][k] = this[i][index[i][j][k]][k]} for dim 1 (and likewise for other dims): the
   * result has the index's shape, which may be smaller than this one's outside {@code dim}: {@code
   * logProbs.gather(1, targets.unsqueeze(1))}.
   *
   * @throws IllegalArgumentException if index is not INT32, has another rank, or is larger than
   *     this array outside dim
   * @throws IndexOutOfBoundsException if dim or an index value is out of range
   */
  public NDArray gather(int dim, NDArray index) {
    return Indexing.gather(this, dim, index);
  }

  /**
   * A copy of this array with {@code src} added at the positions {@code index} names along {@code
   * dim}: {@code out[i][index[i][j]] += src[i][j]} for dim 1. Repeated indices accumulate: {@code
   * zeros.scatterAdd(1, targets.unsqueeze(1), g)}.
   *
   * @throws IllegalArgumentException if index is not INT32, has another rank, or is larger than
   *     this array (outside dim) or src
   * @throws IndexOutOfBoundsException if dim or an index value is out of range (then nothing is
   *     written)
   */
  public NDArray scatterAdd(int dim, NDArray index, NDArray src) {
    return Indexing.scatterAdd(this, dim, index, src, false);
  }

  /**
   * {@link #scatterAdd} into this array; returns this. Into a new zero array it is the scatter
   * without a copy of the zeros: {@code NDArray.zeros(4, 10).scatterAddInPlace(1,
   * targets.unsqueeze(1), ones)}.
   *
   * <pre>{@code
   * NDArray counts = NDArray.zeros(1, 3);
   * counts.scatterAddInPlace(1, NDArray.ofInts(0, 2, 2).reshape(1, 3), NDArray.ones(1, 3));
   * // counts = [[1, 0, 2]]
   * }</pre>
   *
   * @throws IllegalArgumentException as {@link #scatterAdd}, or if this array is a broadcast view
   * @throws IndexOutOfBoundsException if dim or an index value is out of range (then nothing is
   *     written)
   */
  public NDArray scatterAddInPlace(int dim, NDArray index, NDArray src) {
    return Indexing.scatterAdd(this, dim, index, src, true);
  }

  /**
   * The slices of {@code dim} at the positions in a 1-D INT32 {@code index}, in that order: {@code
   * images.indexSelect(0, batchIndices)}.
   *
   * @throws IllegalArgumentException if index is not 1-D INT32 or this array is 0-d
   * @throws IndexOutOfBoundsException if dim or an index value is out of range
   */
  public NDArray indexSelect(int dim, NDArray index) {
    return Indexing.indexSelect(this, dim, index);
  }

  /**
   * One-hot encoding of an INT32 array of class indices: shape + [numClasses], INT32; -1 takes the
   * largest label + 1: {@code labels.oneHot(10)}.
   *
   * @throws IllegalArgumentException if this array is not INT32, numClasses is below -1, or the
   *     result would have more than 2³¹ − 9 elements
   * @throws IndexOutOfBoundsException if a label is negative or not below numClasses
   */
  public NDArray oneHot(int numClasses) {
    return Indexing.oneHot(this, numClasses);
  }

  /**
   * A copy with {@code value} wherever {@code mask} (broadcast to this shape) is non-zero: {@code
   * scores.maskedFill(padding, Double.NEGATIVE_INFINITY)}.
   *
   * @throws IllegalArgumentException if the mask does not broadcast to this shape
   */
  public NDArray maskedFill(NDArray mask, double value) {
    return Elementwise.maskedFill(this, mask, value);
  }

  // ------------------------------------------------------------------ matrix products

  /**
   * The matrix product with numpy semantics: vector·vector gives a scalar, matrix·vector a vector,
   * and leading batch dims broadcast: {@code x.matmul(w)}.
   *
   * @throws IllegalArgumentException if an operand is 0-d or INT32, the inner sizes differ, or the
   *     batch dims do not broadcast
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
   *
   * @throws IllegalArgumentException if an operand is not 2-D, the dtypes differ or are not
   *     floating point, the shapes do not fit, or c is an expanded view
   */
  public static void gemm(
      boolean transA, boolean transB, double alpha, NDArray a, NDArray b, double beta, NDArray c) {
    MatMul.gemm(transA, transB, alpha, a, b, beta, c);
  }

  // ------------------------------------------------------------------ convolution

  /**
   * The 2-D convolution of this [N, C, H, W] image batch with a kernel [O, C/groups, kH, kW], as in
   * PyTorch (a cross-correlation, NCHW): out[n, o, p, q] = b[o] + Σ w[o, c, i, j]·x[n, g·C/groups +
   * c, p·sH + i·dH − padTop, q·sW + j·dW − padLeft], with x zero outside the image and o in group
   * g. The output is [N, O, OH, OW] with OH = ⌊(H + padTop + padBottom − dH·(kH − 1) − 1)/sH⌋ + 1.
   *
   * <pre>{@code
   * NDArray y = x.conv2d(w, b, new int[] {1}, new int[] {1}, new int[] {1}, 1); // 3x3, "same"
   * }</pre>
   *
   * @param bias [O], or null
   * @param stride {s} or {sH, sW}, each at least 1
   * @param padding {p}, {pH, pW} or {top, bottom, left, right}, each non-negative
   * @param dilation {d} or {dH, dW}, each at least 1
   * @param groups divides C and O; C/groups input channels feed each output channel
   * @throws IllegalArgumentException if an operand is not 4-D (bias 1-D of size O), the dtypes are
   *     not one floating-point type, the channels do not match the weight and groups, the dilated
   *     kernel is larger than the padded input, or a stride, padding or dilation is out of range
   */
  public NDArray conv2d(
      NDArray weight, NDArray bias, int[] stride, int[] padding, int[] dilation, int groups) {
    return Convolution.conv2d(this, weight, bias, stride, padding, dilation, groups);
  }

  /**
   * The transposed 2-D convolution of this [N, C, H, W] batch with a kernel [C, O/groups, kH, kW],
   * as in PyTorch: the adjoint of {@link #conv2d} in its input, so every input element spreads
   * w-weighted copies of itself over an sH×sW-strided window: out[n, g·O/groups + o, p·sH + i·dH −
   * padTop, q·sW + j·dW − padLeft] += x[n, c, p, q]·w[c, o, i, j], plus b. The output is [N, O, OH,
   * OW] with OH = (H − 1)·sH − (padTop + padBottom) + dH·(kH − 1) + outputPaddingH + 1.
   *
   * <pre>{@code
   * NDArray up = x.convTranspose2d(w, null, new int[] {2}, new int[] {0}, new int[] {0}, 1,
   *     new int[] {1});                       // [N, C, H, W] -> [N, O, 2H, 2W] for a 2x2 kernel
   * }</pre>
   *
   * @param bias [O], or null
   * @param outputPadding {e} or {eH, eW}: extra rows and columns at the end, each below max(stride,
   *     dilation) of its dim
   * @throws IllegalArgumentException if an operand is not 4-D (bias 1-D of size O), the dtypes are
   *     not one floating-point type, C is not the weight's first size or not divisible by groups,
   *     the output would be empty, or a stride, padding, output padding or dilation is out of range
   */
  public NDArray convTranspose2d(
      NDArray weight,
      NDArray bias,
      int[] stride,
      int[] padding,
      int[] outputPadding,
      int groups,
      int[] dilation) {
    return Convolution.convTranspose2d(
        this, weight, bias, stride, padding, outputPadding, groups, dilation);
  }

  /**
   * The cross-correlation of this image batch x [N, C, H, W] with an array y [N, O, OH, OW] on
   * conv2d's output side, giving a kernel-shaped [O, C/groups, kH, kW]: result[o, c, i, j] = Σ_{n,
   * p, q} y[n, o, p, q]·x[n, g·C/groups + c, p·sH + i·dH − padTop, q·sW + j·dW − padLeft] (x zero
   * outside the image, o in group g). It is the adjoint of {@link #conv2d} in its weight:
   * ⟨conv2d(x, w), y⟩ = ⟨w, x.conv2dWeightCorrelation(y, …)⟩. OH and OW may be at most conv2d's
   * output size.
   *
   * <pre>{@code
   * NDArray k = x.conv2dWeightCorrelation(y, new int[] {3, 3}, new int[] {1}, new int[] {1},
   *     new int[] {1}, 1);                    // [O, C, 3, 3]
   * }</pre>
   *
   * @param kernelSize {k} or {kH, kW}
   * @throws IllegalArgumentException if an operand is not 4-D, the batch sizes or dtypes differ,
   *     groups does not divide C and O, y is larger than conv2d's output, or a size, stride,
   *     padding or dilation is out of range
   */
  public NDArray conv2dWeightCorrelation(
      NDArray y, int[] kernelSize, int[] stride, int[] padding, int[] dilation, int groups) {
    return Convolution.weightCorrelation(this, y, kernelSize, stride, padding, dilation, groups);
  }

  // ------------------------------------------------------------------ in place
  //
  // Each returns this. The operand broadcasts to this array's shape and is converted to its dtype;
  // an overlapping view of this array is read from a snapshot. They throw IllegalArgumentException
  // when this is an expanded (broadcast) view, the operand does not broadcast into this shape, or
  // a floating-point result would be stored in an INT32 array.

  /** Refuses writes into an expanded (stride 0) view, whose elements share storage. */
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

  /**
   * {@code this += other} (other broadcast to this shape): {@code total.addInPlace(x)}.
   *
   * @throws IllegalArgumentException see the in-place rules above
   */
  public NDArray addInPlace(NDArray other) {
    return Elementwise.binaryInPlace(BinaryOp.ADD, "addInPlace", this, other);
  }

  /**
   * {@code this += alpha·other}, PyTorch's {@code add_(other, alpha=…)}: {@code y.addInPlace(x,
   * -0.5)}.
   *
   * @throws IllegalArgumentException see the in-place rules above
   */
  public NDArray addInPlace(NDArray other, double alpha) {
    return Elementwise.addInPlace("addInPlace", this, other, alpha);
  }

  /**
   * {@code this += value}: {@code x.addInPlace(1)}.
   *
   * @throws IllegalArgumentException if this is an expanded view, or value has a fraction and this
   *     is INT32
   */
  public NDArray addInPlace(double value) {
    return Elementwise.binaryInPlace(
        BinaryOp.ADD, "addInPlace", this, Elementwise.scalarLike(this, value));
  }

  /**
   * {@code this -= other}: {@code w.subInPlace(update)}.
   *
   * @throws IllegalArgumentException see the in-place rules above
   */
  public NDArray subInPlace(NDArray other) {
    return Elementwise.binaryInPlace(BinaryOp.SUB, "subInPlace", this, other);
  }

  /**
   * {@code this -= value}: {@code x.subInPlace(mean)}.
   *
   * @throws IllegalArgumentException if this is an expanded view, or value has a fraction and this
   *     is INT32
   */
  public NDArray subInPlace(double value) {
    return Elementwise.binaryInPlace(
        BinaryOp.SUB, "subInPlace", this, Elementwise.scalarLike(this, value));
  }

  /**
   * {@code this *= other}: {@code x.mulInPlace(mask)}.
   *
   * @throws IllegalArgumentException see the in-place rules above
   */
  public NDArray mulInPlace(NDArray other) {
    return Elementwise.binaryInPlace(BinaryOp.MUL, "mulInPlace", this, other);
  }

  /**
   * {@code this *= value}: {@code x.mulInPlace(0.9)}.
   *
   * @throws IllegalArgumentException if this is an expanded view, or value has a fraction and this
   *     is INT32
   */
  public NDArray mulInPlace(double value) {
    return Elementwise.binaryInPlace(
        BinaryOp.MUL, "mulInPlace", this, Elementwise.scalarLike(this, value));
  }

  /**
   * {@code this /= other}: {@code x.divInPlace(norms)}.
   *
   * @throws IllegalArgumentException see the in-place rules above; also when this is INT32, since
   *     division is true division
   */
  public NDArray divInPlace(NDArray other) {
    return Elementwise.binaryInPlace(BinaryOp.DIV, "divInPlace", this, other);
  }

  /**
   * {@code this /= value}: {@code total.divInPlace(count)}.
   *
   * @throws IllegalArgumentException if this is an expanded view or INT32 (division is true
   *     division)
   */
  public NDArray divInPlace(double value) {
    return Elementwise.binaryInPlace(
        BinaryOp.DIV, "divInPlace", this, Elementwise.scalarLike(this, value));
  }

  /**
   * {@code this += value·t1·t2}, PyTorch's {@code addcmul_}: {@code y.addcmulInPlace(a, b, 0.5)}.
   *
   * @throws IllegalArgumentException if t1 and t2 do not broadcast, or see the in-place rules above
   */
  public NDArray addcmulInPlace(NDArray t1, NDArray t2, double value) {
    return Elementwise.addcInPlace("addcmulInPlace", BinaryOp.MUL, this, t1, t2, value);
  }

  /**
   * {@code this += value·t1/t2}, PyTorch's {@code addcdiv_}: {@code y.addcdivInPlace(a, b, -0.1)}.
   *
   * @throws IllegalArgumentException if t1 and t2 do not broadcast, or see the in-place rules above
   */
  public NDArray addcdivInPlace(NDArray t1, NDArray t2, double value) {
    return Elementwise.addcInPlace("addcdivInPlace", BinaryOp.DIV, this, t1, t2, value);
  }

  /**
   * Sets every element to {@code value}: {@code x.fill(0)}.
   *
   * @throws IllegalArgumentException if this is an expanded view
   */
  public NDArray fill(double value) {
    checkWritable("fill");
    Elementwise.fill(this, value);
    return this;
  }

  /**
   * Copies {@code src} (broadcast to this shape, converted to this dtype): {@code
   * w.copyFrom(loaded)}.
   *
   * @throws IllegalArgumentException if this is an expanded view or src does not broadcast into
   *     this shape
   */
  public NDArray copyFrom(NDArray src) {
    return Elementwise.copyFrom(this, src);
  }

  // ------------------------------------------------------------------ comparison and printing

  /**
   * True when both arrays have one shape and every pair of elements satisfies {@code |a − b| <=
   * atol + rtol·|b|} (NaNs equal each other; an infinity is close only to itself), like {@code
   * torch.allclose(a, b, equal_nan=True)}; dtypes may differ: {@code out.allClose(expected, 1e-5,
   * 1e-8)}.
   */
  public boolean allClose(NDArray other, double rtol, double atol) {
    return Elementwise.allClose(this, other, rtol, atol);
  }

  // ------------------------------------------------------------------ sequence models (#12)
  //
  // Splitting into views, triangles, index-add, batched products, sorting, sampling and row
  // normalisation: the tensor ops a transformer needs beyond the ones above.

  /**
   * Consecutive pieces of {@code size} along {@code dim}, the last one shorter when size does not
   * divide the dim; each piece is a view (no copy): {@code qkv.split(768, -1)} of [B, T, 2304] is
   * three [B, T, 768] views.
   *
   * @throws IllegalArgumentException if size is not positive
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public java.util.List<NDArray> split(int size, int dim) {
    return Views.split(this, size, dim);
  }

  /**
   * Pieces of the given sizes along {@code dim}, each a view: {@code x.split(new int[] {2, 3}, 0)}
   * of a [5, 4] array is a [2, 4] and a [3, 4] view.
   *
   * @throws IllegalArgumentException if a size is negative or the sizes do not add up to the dim
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public java.util.List<NDArray> split(int[] sizes, int dim) {
    return Views.split(this, sizes, dim);
  }

  /**
   * At most {@code chunks} views of ⌈size / chunks⌉ along {@code dim} (fewer when the last ones
   * would be empty, as in PyTorch): {@code x.chunk(3, -1)}.
   *
   * @throws IllegalArgumentException if chunks is not positive
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public java.util.List<NDArray> chunk(int chunks, int dim) {
    return Views.chunk(this, chunks, dim);
  }

  /**
   * The lower triangle of the matrices in the last two dims: element (i, j) is kept when {@code j −
   * i <= diagonal}, otherwise 0 (a copy): {@code NDArray.ones(4, 4).tril(0)} is a causal mask.
   *
   * @throws IllegalArgumentException if this array has fewer than 2 dims
   */
  public NDArray tril(int diagonal) {
    return Triangular.tril(this, diagonal);
  }

  /**
   * The upper triangle of the matrices in the last two dims: element (i, j) is kept when {@code j −
   * i >= diagonal}, otherwise 0 (a copy): {@code NDArray.ones(4, 4).triu(1)} marks the future.
   *
   * @throws IllegalArgumentException if this array has fewer than 2 dims
   */
  public NDArray triu(int diagonal) {
    return Triangular.triu(this, diagonal);
  }

  /**
   * A copy with slice i of {@code src} along {@code dim} added to slice {@code index[i]}; repeated
   * indices accumulate (PyTorch's {@code index_add}): {@code NDArray.zeros(10, 4).indexAdd(0, ids,
   * rows)} sums rows by id.
   *
   * @throws IllegalArgumentException if index is not 1-D INT32, this array is 0-d, or src is not
   *     this shape with index.numel() along dim
   * @throws IndexOutOfBoundsException if dim or an index value is out of range
   */
  public NDArray indexAdd(int dim, NDArray index, NDArray src) {
    return Indexing.indexAdd(this, dim, index, src, false);
  }

  /**
   * {@link #indexAdd} into this array; returns this: {@code grad.indexAddInPlace(0, ids, rows)}.
   *
   * @throws IllegalArgumentException as {@link #indexAdd}, or if this array is a broadcast view
   * @throws IndexOutOfBoundsException if dim or an index value is out of range
   */
  public NDArray indexAddInPlace(int dim, NDArray index, NDArray src) {
    return Indexing.indexAdd(this, dim, index, src, true);
  }

  /**
   * {@code beta·input + alpha·(b1 @ b2)} for batches b1 [B, n, m] and b2 [B, m, p], input broadcast
   * to [B, n, p], one GEMM per batch writing into the sum; with beta = 0 the input is ignored:
   * {@code NDArray.baddbmm(mask, q, kT, 1, 0.125)}.
   *
   * @throws IllegalArgumentException if b1 or b2 is not 3-D floating-point, their sizes do not fit,
   *     or input does not broadcast to [B, n, p]
   */
  public static NDArray baddbmm(NDArray input, NDArray b1, NDArray b2, double beta, double alpha) {
    return MatMul.baddbmm(input, b1, b2, beta, alpha);
  }

  /**
   * Scaled dot-product attention: {@code softmax(scale·q·kᵀ + mask)·v} row by row, for q [.., L,
   * E], k [.., S, E] and v [.., S, Ev] with broadcasting batch dims, returning the values [.., L,
   * Ev] and the probabilities [.., L, S]. An INT32 mask keeps the positions where it is non-zero; a
   * floating mask is added to the scores; either broadcasts to [.., L, S] and may be null. With
   * {@code causal} row i sees the columns j ≤ i only (no mask array is made). A row with every
   * position masked gives NaN: {@code NDArray y = NDArray.scaledDotProductAttention(q, k, v, null,
   * true, 0.125).output()}.
   *
   * @throws IllegalArgumentException if an operand is null or has fewer than 2 dims, q, k and v do
   *     not share one floating dtype, q and k differ in E or k and v in S, the batch dims do not
   *     broadcast, the mask does not broadcast to [.., L, S], a mask is given with causal, or the
   *     scale is not finite
   */
  public static Attended scaledDotProductAttention(
      NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal, double scale) {
    return Attention.scaledDotProductAttention(q, k, v, mask, causal, scale);
  }

  /**
   * The values along {@code dim} sorted (stably; NaN counts as the largest) and, INT32, the
   * positions they came from: {@code x.sort(-1, true).indices()} ranks each row.
   *
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public ValuesAndIndices sort(int dim, boolean descending) {
    return Sorting.sort(this, dim, descending);
  }

  /**
   * The INT32 positions that sort the values along {@code dim} (stably; NaN counts as the largest):
   * {@code x.argsort(0, false)}.
   *
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public NDArray argsort(int dim, boolean descending) {
    return Sorting.argsort(this, dim, descending);
  }

  /**
   * The {@code k} largest (or smallest) values along {@code dim} and their INT32 positions, in
   * sorted order (also when {@code sorted} is false, for which PyTorch leaves the order open); ties
   * go to the earlier position: {@code logits.topk(5, -1, true, true)}.
   *
   * @throws IllegalArgumentException if k is negative or larger than the dim
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public ValuesAndIndices topk(int k, int dim, boolean largest, boolean sorted) {
    return Sorting.topk(this, k, dim, largest);
  }

  /**
   * Draws {@code numSamples} INT32 category indices from each row of non-negative weights ([C]
   * gives [numSamples], [N, C] gives [N, numSamples]); category c is drawn with probability {@code
   * w[c] / Σw}, with or without replacement: {@code probs.multinomial(1, true, g)}.
   *
   * @throws IllegalArgumentException if this array is not a floating-point [C] or [N, C], a row
   *     holds a negative, infinite or NaN weight or sums to zero, numSamples is not positive, or
   *     (without replacement) a row has fewer non-zero categories than numSamples
   */
  public NDArray multinomial(int numSamples, boolean replacement, Generator generator) {
    return Sampling.multinomial(this, numSamples, replacement, generator);
  }

  /**
   * Layer normalisation over the trailing {@code normalizedShape} dims: {@code (x − mean) /
   * sqrt(var + eps) · weight + bias} with the biased variance of each row; weight and bias have the
   * normalized shape or are null: {@code x.layerNorm(new int[] {768}, w, b, 1e-5)}.
   *
   * @throws IllegalArgumentException if normalizedShape is not the trailing dims, weight or bias
   *     has another shape, this array is INT32, or eps is negative
   */
  public NDArray layerNorm(int[] normalizedShape, NDArray weight, NDArray bias, double eps) {
    return Normalization.layerNorm(this, normalizedShape, weight, bias, eps);
  }

  /**
   * Root-mean-square normalisation over the trailing {@code normalizedShape} dims: {@code x /
   * sqrt(mean(x²) + eps) · weight}; weight has the normalized shape or is null: {@code
   * x.rmsNorm(new int[] {768}, w, 1e-6)}.
   *
   * @throws IllegalArgumentException if normalizedShape is not the trailing dims, weight has
   *     another shape, this array is INT32, or eps is negative
   */
  public NDArray rmsNorm(int[] normalizedShape, NDArray weight, double eps) {
    return Normalization.rmsNorm(this, normalizedShape, weight, eps);
  }

  /**
   * The mean and biased variance of each channel (dim 1) of an (N, C, …) array over all its other
   * dims, as a [2, C] array: row 0 holds the means μ_c, row 1 the variances Σ(x − μ_c)²/n, with n =
   * numel / C (two passes per channel, the second the corrected sum of squares; NaN when n is 0).
   *
   * <pre>{@code
   * NDArray moments = images.channelMoments(); // images [N, C, H, W]
   * NDArray mean = moments.select(0, 0);        // [C]
   * NDArray variance = moments.select(0, 1);    // [C]
   * }</pre>
   *
   * @throws IllegalArgumentException if this array has fewer than 2 dims or is INT32
   */
  public NDArray channelMoments() {
    return Normalization.channelMoments(this);
  }

  /**
   * Normalises each channel (dim 1) of an (N, C, …) array with given per-channel statistics and an
   * optional affine map: {@code y = (x − mean[c]) · invstd[c] · weight[c] + bias[c]}, all four [C]
   * (weight and bias may be null: 1 and 0). The result has this array's dtype and shape.
   *
   * <pre>{@code
   * NDArray m = x.channelMoments();
   * NDArray y = x.channelNormalize(m.select(0, 0), m.select(0, 1).add(1e-5).rsqrt(), gamma, beta);
   * }</pre>
   *
   * @throws IllegalArgumentException if this array has fewer than 2 dims or is INT32, mean or
   *     invstd is null, or a statistic or parameter is not a floating-point [C]
   */
  public NDArray channelNormalize(NDArray mean, NDArray invstd, NDArray weight, NDArray bias) {
    return Normalization.channelNormalize(this, mean, invstd, weight, bias);
  }

  /**
   * PyTorch-style text: values (elided when large), shape and dtype: {@code tensor([1.0000,
   * 2.0000], shape=[2], dtype=float32)}.
   */
  @Override
  public String toString() {
    return Printer.format(this);
  }
}
