package dev.jgrad.autograd;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.kernel.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An {@link NDArray} that remembers how it was made, so that gradients flow back through it.
 *
 * <p>This class holds a tensor's state (values, gradient, hooks, version counter) and names every
 * op; each op is declared once, in the rule file of its family, its forward one tensor-module
 * kernel and its gradient formula per input beside it, written with Tensor ops so that it can be
 * differentiated again ({@code createGraph}): {@code ArithmeticRules}, {@code PointwiseRules},
 * {@code ActivationRules}, {@code ReductionRules}, {@code LinearAlgebraRules}, {@code ViewRules},
 * {@code IndexingRules}, {@code LossRules}, {@code NormalizationRules}, {@code ConvolutionRules},
 * {@code PoolingRules}. {@link #backward()} walks the recorded graph once in reverse topological
 * order and leaves {@code d loss / d leaf} in each leaf's {@link #grad()}.
 *
 * <pre>{@code
 * Tensor x = Tensor.randn(64, 784);
 * Tensor w = Tensor.randn(784, 128).requiresGrad(true);
 * Tensor loss = x.matmul(w).relu().mean();
 * loss.backward();
 * Tensor g = w.grad();          // d loss / d w, same shape as w
 * }</pre>
 *
 * <p>Errors name the op and the shapes: dims and indices out of range raise {@link
 * IndexOutOfBoundsException}, other invalid arguments {@link IllegalArgumentException}, misuse of
 * the graph {@link IllegalStateException}.
 */
public final class Tensor {
  private static Generator defaultGenerator = new Generator(0);

  private final NDArray data;
  private final Node gradFn;
  private final int[] version; // shared by a tensor and its views
  private boolean requiresGrad;
  private boolean retainsGrad;
  private volatile Tensor grad; // written under the tensor's lock (backward may run on threads)
  private List<UnaryOperator<Tensor>> hooks;

  /** A tensor as {@link Graph} makes it: a recorded result, or a view sharing a version counter. */
  Tensor(NDArray data, Node gradFn, boolean requiresGrad, int[] version) {
    this.data = data;
    this.gradFn = gradFn;
    this.requiresGrad = requiresGrad;
    this.version = version;
  }

  /** A leaf tensor over {@code data} (not copied) that does not require grad. */
  public Tensor(NDArray data) {
    this(data, null, false, new int[1]);
  }

  // ------------------------------------------------------------------ creation

  /** Seeds the generator used by the factory methods that take none, like torch.manual_seed. */
  public static synchronized void manualSeed(long seed) {
    defaultGenerator = new Generator(seed);
  }

  /**
   * The generator behind {@link #randn(int...)} and friends, and behind the default initialisation
   * of {@code nn} layers; reseed it with {@link #manualSeed}.
   */
  public static synchronized Generator generator() {
    return defaultGenerator;
  }

  /**
   * Zeros, FLOAT32.
   *
   * @throws IllegalArgumentException if a size is negative
   */
  public static Tensor zeros(int... shape) {
    return new Tensor(NDArray.zeros(shape));
  }

  /**
   * Zeros of a dtype.
   *
   * @throws IllegalArgumentException if a size is negative
   */
  public static Tensor zeros(DType dtype, int... shape) {
    return new Tensor(NDArray.zeros(dtype, shape));
  }

  /**
   * Ones, FLOAT32.
   *
   * @throws IllegalArgumentException if a size is negative
   */
  public static Tensor ones(int... shape) {
    return new Tensor(NDArray.ones(shape));
  }

  /**
   * Every element {@code value}, FLOAT32.
   *
   * @throws IllegalArgumentException if a size is negative
   */
  public static Tensor full(double value, int... shape) {
    return new Tensor(NDArray.full(value, shape));
  }

  /** A 0-d FLOAT32 tensor. */
  public static Tensor scalar(double value) {
    return new Tensor(NDArray.scalar(value));
  }

  /** A 1-D FLOAT32 tensor of the values. */
  public static Tensor of(float... values) {
    return new Tensor(NDArray.of(values));
  }

  /**
   * A 2-D FLOAT32 tensor of the rows.
   *
   * @throws IllegalArgumentException if the rows differ in length
   */
  public static Tensor of(float[][] rows) {
    return new Tensor(NDArray.of(rows));
  }

  /** A 1-D FLOAT64 tensor of the values. */
  public static Tensor of(double... values) {
    return new Tensor(NDArray.of(values));
  }

  /**
   * A 2-D FLOAT64 tensor of the rows.
   *
   * @throws IllegalArgumentException if the rows differ in length
   */
  public static Tensor of(double[][] rows) {
    return new Tensor(NDArray.of(rows));
  }

  /** A 1-D INT32 tensor, e.g. class labels. */
  public static Tensor ofInts(int... values) {
    return new Tensor(NDArray.ofInts(values));
  }

  /** {@code [0, …, end-1]}, INT32 (empty when {@code end <= 0}). */
  public static Tensor arange(int end) {
    return new Tensor(NDArray.arange(end));
  }

  /**
   * The n×n identity, FLOAT32.
   *
   * @throws IllegalArgumentException if {@code n} is negative
   */
  public static Tensor eye(int n) {
    return new Tensor(NDArray.eye(n));
  }

  /**
   * Standard normal, FLOAT32, from the default generator (see {@link #manualSeed}).
   *
   * @throws IllegalArgumentException if a size is negative
   */
  public static Tensor randn(int... shape) {
    return new Tensor(NDArray.randn(generator(), shape));
  }

  /**
   * Standard normal of a dtype from an explicit generator.
   *
   * @throws IllegalArgumentException if the dtype is not floating-point or a size is negative
   */
  public static Tensor randn(Generator g, DType dtype, int... shape) {
    return new Tensor(NDArray.randn(g, dtype, shape));
  }

  /**
   * Standard normal, FLOAT32, from an explicit generator.
   *
   * @throws IllegalArgumentException if a size is negative
   */
  public static Tensor randn(Generator g, int... shape) {
    return new Tensor(NDArray.randn(g, shape));
  }

  /**
   * Uniform in [0, 1), FLOAT32, from the default generator.
   *
   * @throws IllegalArgumentException if a size is negative
   */
  public static Tensor rand(int... shape) {
    return new Tensor(NDArray.rand(generator(), shape));
  }

  /**
   * Uniform in [0, 1) of a dtype from an explicit generator.
   *
   * @throws IllegalArgumentException if the dtype is not floating-point or a size is negative
   */
  public static Tensor rand(Generator g, DType dtype, int... shape) {
    return new Tensor(NDArray.rand(g, dtype, shape));
  }

  /**
   * Uniform integers in [low, high), INT32, from the default generator.
   *
   * @throws IllegalArgumentException if {@code high <= low} or a size is negative
   */
  public static Tensor randint(int low, int high, int... shape) {
    return new Tensor(NDArray.randint(generator(), low, high, shape));
  }

  /** Zeros with the shape and dtype of another tensor. */
  public static Tensor zerosLike(Tensor like) {
    return new Tensor(NDArray.zerosLike(like.data));
  }

  /** Ones with the shape and dtype of another tensor. */
  public static Tensor onesLike(Tensor like) {
    return new Tensor(NDArray.onesLike(like.data));
  }

  // ------------------------------------------------------------------ grad mode

  /** Turns graph recording off on this thread until the scope closes. */
  public static GradMode.Scope noGrad() {
    return GradMode.set(false);
  }

  /** Turns graph recording on on this thread until the scope closes (inside a noGrad block). */
  public static GradMode.Scope enableGrad() {
    return GradMode.set(true);
  }

  // ------------------------------------------------------------------ properties

  /** The values (shared, not copied). Changing them in place is not tracked by the graph. */
  public NDArray data() {
    return data;
  }

  /** A copy of the shape. */
  public int[] shape() {
    return data.shape();
  }

  /**
   * The size of one dim (negative dims count from the end).
   *
   * @throws IndexOutOfBoundsException if {@code dim} is out of range
   */
  public int shape(int dim) {
    return data.shape(dim);
  }

  /** The element type. */
  public DType dtype() {
    return data.dtype();
  }

  /** The number of elements. */
  public int numel() {
    return data.numel();
  }

  /** The number of dims. */
  public int dim() {
    return data.rank();
  }

  /**
   * The value of a one-element tensor.
   *
   * @throws IllegalArgumentException if the tensor has more or fewer than one element
   */
  public double item() {
    return data.item();
  }

  /** Whether gradients are computed for this tensor. */
  public boolean requiresGrad() {
    return requiresGrad;
  }

  /**
   * Marks a leaf as needing its gradient (only floating-point leaves can). Returns this.
   *
   * @throws IllegalStateException on a non-leaf, whose flag follows from its inputs
   * @throws IllegalArgumentException when {@code flag} is true and the dtype is not floating-point
   */
  public Tensor requiresGrad(boolean flag) {
    if (gradFn != null) {
      throw new IllegalStateException(
          "requiresGrad: only leaf tensors can change it; this tensor was made by "
              + gradFn.name()
              + " (use detach() for a new leaf)");
    }
    if (flag && !data.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(
          "requiresGrad: only floating-point tensors can require gradients, got " + data.dtype());
    }
    requiresGrad = flag;
    return this;
  }

  /** True for tensors the user created (or that need no grad), false for recorded results. */
  public boolean isLeaf() {
    return gradFn == null;
  }

  /** The accumulated gradient, or null before any backward (or after {@link #zeroGrad}). */
  public Tensor grad() {
    return grad;
  }

  /** Clears the accumulated gradient (sets it to null, like PyTorch's default). */
  public synchronized void zeroGrad() {
    grad = null;
  }

  /**
   * Replaces the gradient, e.g. for clipping or tests; null clears it.
   *
   * @throws IllegalArgumentException if the gradient's shape is not this tensor's
   */
  public synchronized void setGrad(Tensor newGrad) {
    if (newGrad != null && !Arrays.equals(newGrad.shape(), shape())) {
      throw new IllegalArgumentException(
          "setGrad: gradient of shape "
              + Shapes.toString(newGrad.shape())
              + " does not match the tensor's shape "
              + Shapes.toString(shape()));
    }
    grad = newGrad;
  }

  /** The op that produced this tensor, or null for a leaf. */
  public GradFn gradFn() {
    return gradFn;
  }

  Node node() {
    return gradFn;
  }

  /**
   * Keeps the gradient of this non-leaf tensor in {@link #grad()} after backward. Returns this.
   *
   * @throws IllegalStateException if the tensor does not require grad
   */
  public Tensor retainGrad() {
    if (!requiresGrad) {
      throw new IllegalStateException("retainGrad: the tensor does not require grad");
    }
    retainsGrad = true;
    return this;
  }

  boolean retainsGrad() {
    return retainsGrad || gradFn == null;
  }

  /** A new leaf sharing this tensor's values, cut from the graph. */
  public Tensor detach() {
    return new Tensor(data, null, false, version);
  }

  /** How many times the values were changed in place (shared with views). */
  public int version() {
    return version[0];
  }

  /** The version counter itself, for a view to share. */
  int[] versionCounter() {
    return version;
  }

  /**
   * Registers a function called with the gradient of this tensor during backward; a non-null return
   * value replaces the gradient, and must have the gradient's shape and dtype (backward throws an
   * {@link IllegalStateException} otherwise, as PyTorch refuses a hook that changes them).
   *
   * <pre>{@code
   * w.registerHook(g -> g.clamp(-1, 1));     // clip this tensor's gradient
   * }</pre>
   *
   * @throws IllegalStateException if the tensor does not require grad
   */
  public HookHandle registerHook(UnaryOperator<Tensor> hook) {
    if (!requiresGrad) {
      throw new IllegalStateException(
          "registerHook: cannot register a hook on a tensor that does not require grad");
    }
    if (hooks == null) {
      hooks = new ArrayList<>();
    }
    hooks.add(hook);
    return () -> hooks.remove(hook);
  }

  Tensor applyHooks(Tensor g) {
    if (hooks == null) {
      return g;
    }
    for (UnaryOperator<Tensor> hook : List.copyOf(hooks)) {
      Tensor replaced = hook.apply(g);
      if (replaced != null) {
        if (!Arrays.equals(replaced.shape(), g.shape()) || replaced.dtype() != g.dtype()) {
          throw new IllegalStateException(
              String.format(
                  "backward: a hook returned a gradient of shape %s and dtype %s for a gradient"
                      + " of shape %s and dtype %s; a hook may change the values only",
                  Shapes.toString(replaced.shape()),
                  replaced.dtype(),
                  Shapes.toString(g.shape()),
                  g.dtype()));
        }
        g = replaced;
      }
    }
    return g;
  }

  /**
   * Adds {@code g} to {@link #grad()}. A first gradient is copied, unless {@code owned} says that
   * nothing else refers to its storage (the engine knows when a built-in formula made it): then it
   * is adopted as it is, which saves a copy of every weight gradient per step. Synchronised on this
   * tensor, as PyTorch locks a leaf's accumulation: threads running backward into one shared leaf
   * lose no update (uncontended, the lock costs nanoseconds per leaf per backward).
   */
  synchronized void accumulateGrad(Tensor g, boolean createGraph, boolean owned) {
    if (grad == null) {
      grad =
          createGraph || (owned && hooks == null)
              ? g
              : new Tensor(g.data.clone()) /* an owned, contiguous copy */;
    } else {
      grad = createGraph ? grad.add(g) : new Tensor(grad.data.add(g.data));
    }
  }

  // ------------------------------------------------------------------ backward

  /**
   * Backpropagates from this one-element tensor (d this / d this = 1).
   *
   * @throws IllegalStateException if this tensor does not require grad or has more than one
   *     element, if the graph was freed by an earlier backward, or if a tensor it saved was changed
   *     in place since
   */
  public void backward() {
    backward(null, false, false);
  }

  /**
   * Backpropagates with the given gradient of some scalar with respect to this tensor.
   *
   * @throws IllegalArgumentException if the gradient's shape is not this tensor's
   * @throws IllegalStateException as {@link #backward()} does
   */
  public void backward(Tensor gradient) {
    backward(gradient, false, false);
  }

  /**
   * Backpropagates, accumulating into the leaves' {@link #grad()}. With {@code retainGraph} the
   * graph can be walked again; with {@code createGraph} the gradients are themselves recorded, so
   * that they can be differentiated (higher-order gradients).
   *
   * @throws IllegalArgumentException if the gradient's shape is not this tensor's
   * @throws IllegalStateException as {@link #backward()} does
   */
  public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
    Engine.backward(this, gradient, retainGraph, createGraph);
  }

  // ------------------------------------------------------------------ in place

  private void checkInPlace(String op) {
    if (requiresGrad && GradMode.isEnabled()) {
      throw new IllegalStateException(
          op
              + ": "
              + (gradFn == null
                  ? "a leaf tensor that requires grad cannot be changed in place while grad mode is"
                      + " on; do it inside try (var g = Tensor.noGrad()) { ... }"
                  : "in-place ops on a tensor recorded in the graph are not supported; use the"
                      + " out-of-place op"));
    }
  }

  private Tensor bump() {
    version[0]++;
    return this;
  }

  /**
   * Records that code changed {@code data()} in place (as optimizers do), so that backward through
   * a graph that saved this tensor fails instead of using the new values.
   */
  public void markChangedInPlace() {
    bump();
  }

  /**
   * {@code this += other} (broadcast into this shape). Returns this.
   *
   * @throws IllegalStateException if this tensor requires grad and grad mode is on
   * @throws IllegalArgumentException if {@code other} does not broadcast to this shape or this is
   *     an expanded (broadcast) view
   */
  public Tensor addInPlace(Tensor other) {
    checkInPlace("addInPlace");
    data.addInPlace(other.data);
    return bump();
  }

  /**
   * {@code this += alpha·other}. Returns this.
   *
   * @throws IllegalStateException if this tensor requires grad and grad mode is on
   * @throws IllegalArgumentException if {@code other} does not broadcast to this shape or this is
   *     an expanded (broadcast) view
   */
  public Tensor addInPlace(Tensor other, double alpha) {
    checkInPlace("addInPlace");
    data.addInPlace(other.data, alpha);
    return bump();
  }

  /**
   * {@code this -= other}. Returns this.
   *
   * @throws IllegalStateException if this tensor requires grad and grad mode is on
   * @throws IllegalArgumentException if {@code other} does not broadcast to this shape or this is
   *     an expanded (broadcast) view
   */
  public Tensor subInPlace(Tensor other) {
    checkInPlace("subInPlace");
    data.subInPlace(other.data);
    return bump();
  }

  /**
   * {@code this *= value}. Returns this.
   *
   * @throws IllegalStateException if this tensor requires grad and grad mode is on
   * @throws IllegalArgumentException if this is an expanded (broadcast) view
   */
  public Tensor mulInPlace(double value) {
    checkInPlace("mulInPlace");
    data.mulInPlace(value);
    return bump();
  }

  /**
   * {@code this *= other}. Returns this.
   *
   * @throws IllegalStateException if this tensor requires grad and grad mode is on
   * @throws IllegalArgumentException if {@code other} does not broadcast to this shape or this is
   *     an expanded (broadcast) view
   */
  public Tensor mulInPlace(Tensor other) {
    checkInPlace("mulInPlace");
    data.mulInPlace(other.data);
    return bump();
  }

  /**
   * {@code this /= other}. Returns this.
   *
   * @throws IllegalStateException if this tensor requires grad and grad mode is on
   * @throws IllegalArgumentException if {@code other} does not broadcast to this shape or this is
   *     an expanded (broadcast) view
   */
  public Tensor divInPlace(Tensor other) {
    checkInPlace("divInPlace");
    data.divInPlace(other.data);
    return bump();
  }

  /**
   * Sets every element. Returns this.
   *
   * @throws IllegalStateException if this tensor requires grad and grad mode is on
   * @throws IllegalArgumentException if this is an expanded (broadcast) view
   */
  public Tensor fill(double value) {
    checkInPlace("fill");
    data.fill(value);
    return bump();
  }

  /**
   * Copies the values of {@code src} (broadcast). Returns this.
   *
   * @throws IllegalStateException if this tensor requires grad and grad mode is on
   * @throws IllegalArgumentException if {@code src} does not broadcast to this shape or this is an
   *     expanded (broadcast) view
   */
  public Tensor copyFrom(Tensor src) {
    checkInPlace("copyFrom");
    data.copyFrom(src.data);
    return bump();
  }

  // ---------------------------------------------------- arithmetic (ArithmeticRules)

  /**
   * {@code this + other}, broadcast.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public Tensor add(Tensor other) {
    return ArithmeticRules.add(this, other);
  }

  /** {@code this + value}. */
  public Tensor add(double value) {
    return ArithmeticRules.add(this, value);
  }

  /**
   * {@code this - other}, broadcast.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public Tensor sub(Tensor other) {
    return ArithmeticRules.sub(this, other);
  }

  /** {@code this - value}. */
  public Tensor sub(double value) {
    return ArithmeticRules.sub(this, value);
  }

  /**
   * {@code this * other}, broadcast: d/da = b, d/db = a.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public Tensor mul(Tensor other) {
    return ArithmeticRules.mul(this, other);
  }

  /** {@code this * value}. */
  public Tensor mul(double value) {
    return ArithmeticRules.mul(this, value);
  }

  /**
   * {@code this / other}, broadcast: d/da = 1/b, d/db = −a/b².
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public Tensor div(Tensor other) {
    return ArithmeticRules.div(this, other);
  }

  /** {@code this / value}. */
  public Tensor div(double value) {
    return ArithmeticRules.div(this, value);
  }

  /** {@code this ^ exponent}: d/dx = p·x^(p−1). */
  public Tensor pow(double exponent) {
    return ArithmeticRules.pow(this, exponent);
  }

  /**
   * {@code this ^ exponent}, broadcast: d/da = b·a^(b−1), d/db = a^b·ln a.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public Tensor pow(Tensor exponent) {
    return ArithmeticRules.pow(this, exponent);
  }

  /**
   * The larger of each pair; at ties the gradient is split evenly, as in PyTorch.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public Tensor maximum(Tensor other) {
    return ArithmeticRules.maximum(this, other);
  }

  /**
   * The smaller of each pair; at ties the gradient is split evenly.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public Tensor minimum(Tensor other) {
    return ArithmeticRules.minimum(this, other);
  }

  // ------------------------------------------------------------------ comparisons (no gradient)

  /**
   * 1 where equal, else 0 (INT32, no gradient).
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public Tensor eq(Tensor other) {
    return new Tensor(data.eq(other.data));
  }

  /**
   * 1 where {@code this != other}.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public Tensor ne(Tensor other) {
    return new Tensor(data.ne(other.data));
  }

  /**
   * 1 where {@code this < other}.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public Tensor lt(Tensor other) {
    return new Tensor(data.lt(other.data));
  }

  /**
   * 1 where {@code this <= other}.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public Tensor le(Tensor other) {
    return new Tensor(data.le(other.data));
  }

  /**
   * 1 where {@code this > other}.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public Tensor gt(Tensor other) {
    return new Tensor(data.gt(other.data));
  }

  /**
   * 1 where {@code this >= other}.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public Tensor ge(Tensor other) {
    return new Tensor(data.ge(other.data));
  }

  /** 1 where {@code this > value}. */
  public Tensor gt(double value) {
    return new Tensor(data.gt(value));
  }

  /** 1 where {@code this < value}. */
  public Tensor lt(double value) {
    return new Tensor(data.lt(value));
  }

  /** 1 where {@code this == value}. */
  public Tensor eq(double value) {
    return new Tensor(data.eq(value));
  }

  /**
   * The indices of the largest values along {@code dim} (INT32, no gradient).
   *
   * @throws IndexOutOfBoundsException if {@code dim} is out of range
   * @throws IllegalArgumentException if that dim has size 0
   */
  public Tensor argmax(int dim, boolean keepDim) {
    return new Tensor(data.argmax(dim, keepDim));
  }

  /**
   * The indices of the smallest values along {@code dim} (INT32, no gradient).
   *
   * @throws IndexOutOfBoundsException if {@code dim} is out of range
   * @throws IllegalArgumentException if that dim has size 0
   */
  public Tensor argmin(int dim, boolean keepDim) {
    return new Tensor(data.argmin(dim, keepDim));
  }

  /** −1, 0 or 1 (derivative zero, so no gradient flows). */
  public Tensor sign() {
    return new Tensor(data.sign());
  }

  // ---------------------------------------------------- elementwise (PointwiseRules)

  /** −x. */
  public Tensor neg() {
    return PointwiseRules.neg(this);
  }

  /** |x|: d/dx = sign(x). */
  public Tensor abs() {
    return PointwiseRules.abs(this);
  }

  /** eˣ: d/dx = eˣ, the output itself. */
  public Tensor exp() {
    return PointwiseRules.exp(this);
  }

  /** ln x: d/dx = 1/x. */
  public Tensor log() {
    return PointwiseRules.log(this);
  }

  /** ln(1 + x): d/dx = 1/(1 + x). */
  public Tensor log1p() {
    return PointwiseRules.log1p(this);
  }

  /** eˣ − 1: d/dx = eˣ = out + 1. */
  public Tensor expm1() {
    return PointwiseRules.expm1(this);
  }

  /** √x: d/dx = 1/(2√x). */
  public Tensor sqrt() {
    return PointwiseRules.sqrt(this);
  }

  /** 1/√x: d/dx = −½·x^(−3/2) = −½·out³. */
  public Tensor rsqrt() {
    return PointwiseRules.rsqrt(this);
  }

  /** x²: d/dx = 2x. */
  public Tensor square() {
    return PointwiseRules.square(this);
  }

  /** 1/x: d/dx = −1/x² = −out². */
  public Tensor reciprocal() {
    return PointwiseRules.reciprocal(this);
  }

  /** sin x: d/dx = cos x. */
  public Tensor sin() {
    return PointwiseRules.sin(this);
  }

  /** cos x: d/dx = −sin x. */
  public Tensor cos() {
    return PointwiseRules.cos(this);
  }

  /** erf x: d/dx = 2/√π·e^(−x²). */
  public Tensor erf() {
    return PointwiseRules.erf(this);
  }

  /**
   * Limits to [min, max]: the gradient passes where the input is inside the range.
   *
   * @throws IllegalArgumentException if {@code min > max}
   */
  public Tensor clamp(double min, double max) {
    return PointwiseRules.clamp(this, min, max);
  }

  /** max(x, min): the gradient passes where x ≥ min. */
  public Tensor clampMin(double min) {
    return PointwiseRules.clampMin(this, min);
  }

  /** min(x, max): the gradient passes where x ≤ max. */
  public Tensor clampMax(double max) {
    return PointwiseRules.clampMax(this, max);
  }

  // ---------------------------------------------------- activations (ActivationRules)

  /** tanh x: d/dx = 1 − tanh² x. */
  public Tensor tanh() {
    return ActivationRules.tanh(this);
  }

  /** σ(x) = 1/(1 + e⁻ˣ): d/dx = σ(x)(1 − σ(x)). */
  public Tensor sigmoid() {
    return ActivationRules.sigmoid(this);
  }

  /** max(x, 0): d/dx = 1 where x > 0, else 0, which is sign(out) since out ≥ 0. */
  public Tensor relu() {
    return ActivationRules.relu(this);
  }

  /** GELU, exact: x·Φ(x); d/dx = Φ(x) + x·φ(x). */
  public Tensor gelu() {
    return ActivationRules.gelu(this);
  }

  /**
   * GELU, tanh form: ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³); d/dx = ½(1 + tanh u) + ½x(1 −
   * tanh² u)·√(2/π)(1 + 3·0.044715x²).
   */
  public Tensor geluTanh() {
    return ActivationRules.geluTanh(this);
  }

  /** log(1 + eˣ): d/dx = σ(x). */
  public Tensor softplus() {
    return ActivationRules.softplus(this);
  }

  // ---------------------------------------------------- losses (LossRules)

  /**
   * Elementwise binary cross-entropy of these probabilities p against {@code target} y (same shape
   * and dtype), PyTorch's {@code binary_cross_entropy} before its reduction: −(y·log p + (1 − y)·
   * log(1 − p)) with each log clamped at −100. d/dp = (p − y) / max(p·(1 − p), 10⁻¹²); d/dy = log(1
   * − p) − log p (clamped).
   *
   * <pre>{@code
   * Tensor loss = probabilities.binaryCrossEntropy(labels).mean();
   * }</pre>
   *
   * @throws IllegalArgumentException if the shapes differ or a probability is outside [0, 1]
   */
  public Tensor binaryCrossEntropy(Tensor target) {
    return LossRules.binaryCrossEntropy(this, target);
  }

  // ---------------------------------------------------- reductions (ReductionRules)

  /** Sums every element. */
  public Tensor sum() {
    return ReductionRules.sum(this, new int[0], false);
  }

  /**
   * Sums one dim.
   *
   * @throws IndexOutOfBoundsException if {@code dim} is out of range
   */
  public Tensor sum(int dim, boolean keepDim) {
    return ReductionRules.sum(this, new int[] {dim}, keepDim);
  }

  /**
   * Sums the given dims (all when empty): the gradient is broadcast back.
   *
   * @throws IndexOutOfBoundsException if a dim is out of range
   * @throws IllegalArgumentException if a dim appears twice
   */
  public Tensor sum(int[] dims, boolean keepDim) {
    return ReductionRules.sum(this, dims, keepDim);
  }

  /** The mean of every element. */
  public Tensor mean() {
    return ReductionRules.mean(this, new int[0], false);
  }

  /**
   * The mean over one dim.
   *
   * @throws IndexOutOfBoundsException if {@code dim} is out of range
   */
  public Tensor mean(int dim, boolean keepDim) {
    return ReductionRules.mean(this, new int[] {dim}, keepDim);
  }

  /**
   * The mean over the given dims (all when empty): the gradient is broadcast back divided by the
   * count.
   *
   * @throws IndexOutOfBoundsException if a dim is out of range
   * @throws IllegalArgumentException if a dim appears twice
   */
  public Tensor mean(int[] dims, boolean keepDim) {
    return ReductionRules.mean(this, dims, keepDim);
  }

  /** The product of all elements. */
  public Tensor prod() {
    return ReductionRules.prod(this);
  }

  /**
   * The product along {@code dim}. Its gradient is the product of the other elements of the slice:
   * out/xᵢ when the slice has no zero; when it has one zero, the product of the non-zeros at that
   * zero and 0 elsewhere; 0 everywhere with two or more zeros. Written with Tensor ops (masks are
   * constants), so it is differentiable again.
   *
   * @throws IndexOutOfBoundsException if {@code dim} is out of range
   */
  public Tensor prod(int dim, boolean keepDim) {
    return ReductionRules.prod(this, dim, keepDim);
  }

  /**
   * Sums the broadcast dims away so that the result has {@code target}'s shape.
   *
   * @throws IllegalArgumentException if this shape does not reduce to {@code target}
   */
  public Tensor sumTo(int... target) {
    return ReductionRules.sumTo(this, target);
  }

  /**
   * The largest values over the given dims (all when empty); the gradient goes to the maxima, split
   * evenly between ties.
   *
   * @throws IndexOutOfBoundsException if a dim is out of range
   * @throws IllegalArgumentException if a dim appears twice or a reduced dim has size 0
   */
  public Tensor amax(int[] dims, boolean keepDim) {
    return ReductionRules.amax(this, dims, keepDim);
  }

  /**
   * The smallest values over the given dims (all when empty); the gradient goes to the minima.
   *
   * @throws IndexOutOfBoundsException if a dim is out of range
   * @throws IllegalArgumentException if a dim appears twice or a reduced dim has size 0
   */
  public Tensor amin(int[] dims, boolean keepDim) {
    return ReductionRules.amin(this, dims, keepDim);
  }

  /**
   * The largest element.
   *
   * @throws IllegalArgumentException if the tensor is empty
   */
  public Tensor max() {
    return ReductionRules.amax(this, new int[0], false);
  }

  /**
   * The smallest element.
   *
   * @throws IllegalArgumentException if the tensor is empty
   */
  public Tensor min() {
    return ReductionRules.amin(this, new int[0], false);
  }

  /**
   * The largest values along {@code dim} and their indices; gradients flow to those indices.
   *
   * @throws IndexOutOfBoundsException if {@code dim} is out of range
   * @throws IllegalArgumentException if that dim has size 0
   */
  public IndexedValues max(int dim, boolean keepDim) {
    return ReductionRules.located(this, data.max(dim, true), dim, keepDim);
  }

  /**
   * The smallest values along {@code dim} and their indices.
   *
   * @throws IndexOutOfBoundsException if {@code dim} is out of range
   * @throws IllegalArgumentException if that dim has size 0
   */
  public IndexedValues min(int dim, boolean keepDim) {
    return ReductionRules.located(this, data.min(dim, true), dim, keepDim);
  }

  /**
   * Σ(x − mean)² / (N − correction) over the given dims (all when empty), a composite of
   * differentiable ops.
   *
   * @throws IndexOutOfBoundsException if a dim is out of range
   * @throws IllegalArgumentException if a dim appears twice
   */
  public Tensor var(int[] dims, int correction, boolean keepDim) {
    return ReductionRules.variance("var", this, dims, correction, keepDim);
  }

  /** The unbiased variance of all elements. */
  public Tensor var() {
    return ReductionRules.variance("var", this, new int[0], 1, false);
  }

  /**
   * √var over the given dims (all when empty).
   *
   * @throws IndexOutOfBoundsException if a dim is out of range
   * @throws IllegalArgumentException if a dim appears twice
   */
  public Tensor std(int[] dims, int correction, boolean keepDim) {
    return ReductionRules.variance("std", this, dims, correction, keepDim).sqrt();
  }

  /**
   * The p-norm over the given dims (all when empty); p = ∞ gives max |x|.
   *
   * @throws IndexOutOfBoundsException if a dim is out of range
   * @throws IllegalArgumentException if a dim appears twice
   */
  public Tensor norm(double p, int[] dims, boolean keepDim) {
    return ReductionRules.norm(this, p, dims, keepDim);
  }

  /** The 2-norm of all elements. */
  public Tensor norm() {
    return ReductionRules.norm(this, 2, new int[0], false);
  }

  /**
   * log Σ exp(x) over the given dims (all when empty), shifted by the (constant) max for stability:
   * for any constant m, log Σ eˣ = m + log Σ e^(x−m), so the gradient is the softmax either way.
   *
   * @throws IndexOutOfBoundsException if a dim is out of range
   * @throws IllegalArgumentException if a dim appears twice
   */
  public Tensor logsumexp(int[] dims, boolean keepDim) {
    return ReductionRules.logsumexp(this, dims, keepDim);
  }

  /**
   * log Σ exp(x) over one dim.
   *
   * @throws IndexOutOfBoundsException if {@code dim} is out of range
   */
  public Tensor logsumexp(int dim, boolean keepDim) {
    return ReductionRules.logsumexp(this, new int[] {dim}, keepDim);
  }

  /**
   * softmax along a dim (fused forward): d/dx = s ⊙ (g − Σ g ⊙ s).
   *
   * @throws IndexOutOfBoundsException if {@code dim} is out of range
   */
  public Tensor softmax(int dim) {
    return ReductionRules.softmax(this, dim);
  }

  /**
   * log-softmax along a dim (fused, stable): d/dx = g − softmax ⊙ Σ g.
   *
   * @throws IndexOutOfBoundsException if {@code dim} is out of range
   */
  public Tensor logSoftmax(int dim) {
    return ReductionRules.logSoftmax(this, dim);
  }

  // ---------------------------------------------------- pooling (PoolingRules)
  //
  // NCHW, over the last two dims of a (C, H, W) or (N, C, H, W) tensor, with PyTorch's geometry
  // and arguments (see NDArray#maxPool2d): one value applies to both dims, a null stride is the
  // kernel size.

  /**
   * The maximum of each (dilated) window; the gradient flows to the position of each maximum.
   *
   * <pre>{@code
   * Tensor h = x.maxPool2d(new int[] {2}, null, new int[] {0}, new int[] {1}, false);
   * }</pre>
   *
   * @throws IllegalArgumentException if this tensor is not 3-D or 4-D, an argument is out of range,
   *     padding is above half the kernel, or the kernel does not fit the padded input
   */
  public Tensor maxPool2d(
      int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
    return PoolingRules.maxPool2d(this, kernelSize, stride, padding, dilation, ceilMode).values();
  }

  /**
   * {@link #maxPool2d} with the INT32 indices of the maxima in each flattened H·W plane (PyTorch's
   * {@code return_indices=True}); the values carry gradients, the indices do not.
   *
   * <pre>{@code
   * IndexedValues pooled = x.maxPool2dWithIndices(new int[] {2}, null, new int[] {0}, new int[] {1}, false);
   * }</pre>
   *
   * @throws IllegalArgumentException as {@link #maxPool2d}
   */
  public IndexedValues maxPool2dWithIndices(
      int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
    return PoolingRules.maxPool2d(this, kernelSize, stride, padding, dilation, ceilMode);
  }

  /**
   * The mean of each window (divided by the window size when {@code countIncludePad}, else by the
   * number of input elements it covers); the gradient is the pooling's adjoint applied to g.
   *
   * <pre>{@code
   * Tensor h = x.avgPool2d(new int[] {2}, null, new int[] {0}, false, true);
   * }</pre>
   *
   * @throws IllegalArgumentException if this tensor is not 3-D or 4-D, an argument is out of range,
   *     padding is above half the kernel, or the kernel does not fit the padded input
   */
  public Tensor avgPool2d(
      int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
    return PoolingRules.avgPool2d(this, kernelSize, stride, padding, ceilMode, countIncludePad);
  }

  /**
   * The mean over PyTorch's adaptive windows, giving an {@code outH × outW} plane; the gradient is
   * the adjoint applied to g.
   *
   * <pre>{@code
   * Tensor features = maps.adaptiveAvgPool2d(1, 1).flatten(1, -1);   // [N, C]
   * }</pre>
   *
   * @throws IllegalArgumentException if this tensor is not 3-D or 4-D or an output size is not
   *     positive
   */
  public Tensor adaptiveAvgPool2d(int outH, int outW) {
    return PoolingRules.adaptiveAvgPool2d(this, outH, outW);
  }

  // ---------------------------------------------------- matrix product (LinearAlgebraRules)

  /**
   * The matrix product with numpy semantics. For matrices d/dA = G·Bᵀ and d/dB = Aᵀ·G, where the
   * transposes are strided views that the GEMM reads without copying; vectors are handled by
   * unsqueezing them into matrices, so their gradients follow from the same rule.
   *
   * @throws IllegalArgumentException if an operand is 0-d or the shapes cannot be multiplied
   */
  public Tensor matmul(Tensor other) {
    return LinearAlgebraRules.matmul(this, other);
  }

  /**
   * {@code this · otherᵀ} for matrices (or batches of them), the product of a linear layer with its
   * weight stored [out, in]. d/dA = G·B and d/dB = Gᵀ·A: both gradients come out of the GEMM
   * contiguous, in their input's layout, with no transpose copied.
   *
   * @throws IllegalArgumentException if the shapes cannot be multiplied
   */
  public Tensor matmulT(Tensor other) {
    return LinearAlgebraRules.matmulT(this, other);
  }

  /**
   * A linear layer's {@code this·weightᵀ + bias} as one recorded op (PyTorch's {@code addmm}): the
   * bias is added in place to the product, so the layer costs one node and one result array. For a
   * matrix input [N, in], weight [out, in] and bias [out] (or null): d/dx = G·W, d/dW = Gᵀ·x, d/db
   * = Σ_rows G. Other ranks compose {@link #matmulT} and {@link #add}.
   *
   * <pre>{@code
   * Tensor y = x.linear(w, b); // [N, out]
   * }</pre>
   *
   * @throws IllegalArgumentException if the weight is not [out, in] for this [N, in] input, or the
   *     bias does not broadcast to [N, out]
   */
  public Tensor linear(Tensor weight, Tensor bias) {
    return LinearAlgebraRules.linear(this, weight, bias);
  }

  // ---------------------------------------------------- convolution (ConvolutionRules)

  /**
   * The 2-D convolution of this [N, C, H, W] batch with a kernel [O, C/groups, kH, kW] plus a bias
   * [O] (or null), as PyTorch's {@code conv2d}; see {@link NDArray#conv2d} for the sum and the
   * output size. d/dx = convTranspose2d(G, w), d/dw = x.conv2dWeightCorrelation(G), d/db = Σ G over
   * N, H, W: gradients of every order are convolutions again.
   *
   * <pre>{@code
   * Tensor y = x.conv2d(w, b, new int[] {1}, new int[] {1}, new int[] {1}, 1); // 3x3, same size
   * }</pre>
   *
   * @param padding {p}, {pH, pW} or {top, bottom, left, right}
   * @throws IllegalArgumentException if the shapes, dtypes, groups, stride, padding or dilation do
   *     not fit (the message names conv2d and the shapes)
   */
  public Tensor conv2d(
      Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
    return ConvolutionRules.conv2d(this, weight, bias, stride, padding, dilation, groups);
  }

  /**
   * The transposed 2-D convolution of this [N, C, H, W] batch with a kernel [C, O/groups, kH, kW]
   * plus a bias [O] (or null), as PyTorch's {@code conv_transpose2d}; see {@link
   * NDArray#convTranspose2d}. d/dx = conv2d(G, w), d/dw = G.conv2dWeightCorrelation(x), d/db = Σ G.
   *
   * <pre>{@code
   * Tensor up = x.convTranspose2d(w, b, new int[] {2}, new int[] {0}, new int[] {0}, 1,
   *     new int[] {1});
   * }</pre>
   *
   * @throws IllegalArgumentException if the shapes, dtypes, groups, stride, padding, output padding
   *     or dilation do not fit (the message names convTranspose2d and the shapes)
   */
  public Tensor convTranspose2d(
      Tensor weight,
      Tensor bias,
      int[] stride,
      int[] padding,
      int[] outputPadding,
      int groups,
      int[] dilation) {
    return ConvolutionRules.convTranspose2d(
        this, weight, bias, stride, padding, outputPadding, groups, dilation);
  }

  /**
   * The cross-correlation of this image batch [N, C, H, W] with y [N, O, OH, OW], kernel-shaped [O,
   * C/groups, kH, kW]: conv2d's weight gradient as an op of its own (see {@link
   * NDArray#conv2dWeightCorrelation}), so that second-order gradients of convolutions exist. d/dx =
   * convTranspose2d(y, G), d/dy = conv2d(x, G).
   *
   * <pre>{@code
   * Tensor k = x.conv2dWeightCorrelation(y, new int[] {3}, new int[] {1}, new int[] {1},
   *     new int[] {1}, 1);
   * }</pre>
   *
   * @throws IllegalArgumentException if the shapes, dtypes, groups, kernel size, stride, padding or
   *     dilation do not fit (the message names conv2dWeightCorrelation and the shapes)
   */
  public Tensor conv2dWeightCorrelation(
      Tensor y, int[] kernelSize, int[] stride, int[] padding, int[] dilation, int groups) {
    return ConvolutionRules.conv2dWeightCorrelation(
        this, y, kernelSize, stride, padding, dilation, groups);
  }

  // ---------------------------------------------------- views (ViewRules)

  /**
   * Another shape over the same values (copies only when the strides require it); one size may be
   * −1.
   *
   * @throws IllegalArgumentException if the shape does not hold this tensor's elements
   */
  public Tensor reshape(int... newShape) {
    return ViewRules.reshape(this, newShape);
  }

  /**
   * Another shape over the same values; refuses when that needs a copy.
   *
   * @throws IllegalArgumentException if the shape does not hold this tensor's elements or the
   *     strides do not allow a view
   */
  public Tensor view(int... newShape) {
    return ViewRules.view(this, newShape);
  }

  /** All dims merged into one. */
  public Tensor flatten() {
    return ViewRules.reshape(this, new int[] {-1});
  }

  /**
   * Dims startDim..endDim merged into one.
   *
   * @throws IndexOutOfBoundsException if a dim is out of range
   * @throws IllegalArgumentException if {@code startDim} comes after {@code endDim}
   */
  public Tensor flatten(int startDim, int endDim) {
    return ViewRules.flatten(this, startDim, endDim);
  }

  /**
   * Swaps two dims.
   *
   * @throws IndexOutOfBoundsException if a dim is out of range
   */
  public Tensor transpose(int dim0, int dim1) {
    return ViewRules.transpose(this, dim0, dim1);
  }

  /** The matrix transpose (vectors unchanged). */
  public Tensor t() {
    return dim() < 2 ? this : ViewRules.transpose(this, 0, 1);
  }

  /**
   * Swaps the last two dims.
   *
   * @throws IndexOutOfBoundsException if the tensor has fewer than 2 dims
   */
  public Tensor mT() {
    return ViewRules.transpose(this, -2, -1);
  }

  /**
   * Reorders the dims: dim i of the result is dim {@code order[i]} of this.
   *
   * @throws IllegalArgumentException if {@code order} is not a permutation of the dims
   * @throws IndexOutOfBoundsException if a dim is out of range
   */
  public Tensor permute(int... order) {
    return ViewRules.permute(this, order);
  }

  /** Removes size-1 dims. */
  public Tensor squeeze() {
    return ViewRules.squeeze(this);
  }

  /**
   * Removes one size-1 dim (a dim of another size stays).
   *
   * @throws IndexOutOfBoundsException if {@code dim} is out of range
   */
  public Tensor squeeze(int dim) {
    return ViewRules.squeeze(this, dim);
  }

  /**
   * Inserts a size-1 dim at {@code dim}, in [−rank−1, rank].
   *
   * @throws IndexOutOfBoundsException if {@code dim} is out of range
   */
  public Tensor unsqueeze(int dim) {
    return ViewRules.unsqueeze(this, dim);
  }

  /**
   * Broadcasts size-1 dims (a view): the gradient is summed back.
   *
   * @throws IllegalArgumentException if this shape cannot be expanded to {@code newShape}
   */
  public Tensor expand(int... newShape) {
    return ViewRules.expand(this, newShape);
  }

  /**
   * Python's {@code x[start:end:step]} along a dim: the gradient lands in those positions.
   *
   * @throws IndexOutOfBoundsException if {@code dim} is out of range
   * @throws IllegalArgumentException if {@code step} is not positive
   */
  public Tensor slice(int dim, int start, int end, int step) {
    return ViewRules.slice(this, dim, start, end, step);
  }

  /**
   * {@code length} elements of a dim from {@code start}.
   *
   * @throws IndexOutOfBoundsException if {@code dim} or the range is out of bounds
   */
  public Tensor narrow(int dim, int start, int length) {
    return ViewRules.narrow(this, dim, start, length);
  }

  /**
   * The slice at {@code index}, with the dim removed.
   *
   * @throws IndexOutOfBoundsException if {@code dim} or {@code index} is out of range
   */
  public Tensor select(int dim, int index) {
    return ViewRules.select(this, dim, index);
  }

  /**
   * The backward of slicing: zeros of {@code shape} with this tensor placed at positions start,
   * start+step, … of {@code dim}. Differentiable: its own gradient is the slice again.
   */
  Tensor embedInto(int[] shape, int dim, int start, int step) {
    return ViewRules.embedInto(this, shape, dim, start, step);
  }

  /** A contiguous tensor with the same values. */
  public Tensor contiguous() {
    return ViewRules.contiguous(this);
  }

  /** A copy with its own storage. */
  public Tensor cloneTensor() {
    return ViewRules.clone(this);
  }

  /** The values in another dtype; the gradient is converted back. */
  public Tensor to(DType dtype) {
    return ViewRules.to(this, dtype);
  }

  /**
   * Joins tensors along a dim: each gets its slice of the gradient.
   *
   * @throws IllegalArgumentException if no tensor is given, they are 0-d, or their shapes differ
   *     outside {@code dim}
   * @throws IndexOutOfBoundsException if {@code dim} is out of range
   */
  public static Tensor cat(int dim, Tensor... tensors) {
    return ViewRules.cat(dim, tensors);
  }

  /**
   * Stacks tensors of one shape along a new dim.
   *
   * @throws IllegalArgumentException if no tensor is given or their shapes differ
   * @throws IndexOutOfBoundsException if {@code dim} is out of range
   */
  public static Tensor stack(int dim, Tensor... tensors) {
    return ViewRules.stack(dim, tensors);
  }

  // ---------------------------------------------------- indexing (IndexingRules)

  /**
   * Picks elements along a dim by an INT32 index: the gradient is scattered back.
   *
   * @throws IndexOutOfBoundsException if {@code dim} or an index is out of range
   * @throws IllegalArgumentException if the index is not INT32 or its shape does not fit
   */
  public Tensor gather(int dim, Tensor index) {
    return IndexingRules.gather(this, dim, index);
  }

  /**
   * A copy with {@code src} added at the indexed positions: d/dsrc = gather of the gradient.
   *
   * @throws IndexOutOfBoundsException if {@code dim} or an index is out of range
   * @throws IllegalArgumentException if the index is not INT32 or the shapes do not fit
   */
  public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
    return IndexingRules.scatterAdd(this, dim, index, src);
  }

  /**
   * The slices of a dim at a 1-D INT32 index: the gradient is summed back into them.
   *
   * @throws IndexOutOfBoundsException if {@code dim} or an index is out of range
   * @throws IllegalArgumentException if the index is not 1-D INT32 or this tensor is 0-d
   */
  public Tensor indexSelect(int dim, Tensor index) {
    return IndexingRules.indexSelect(this, dim, index);
  }

  /**
   * A copy with {@code value} where {@code mask} is non-zero; no gradient flows there.
   *
   * @throws IllegalArgumentException if the mask does not broadcast to this shape
   */
  public Tensor maskedFill(Tensor mask, double value) {
    return IndexingRules.maskedFill(this, mask, value);
  }

  /**
   * {@code cond ? a : b}, broadcast: each branch gets the gradient where it was chosen.
   *
   * @throws IllegalArgumentException if the shapes do not broadcast
   */
  public static Tensor where(Tensor cond, Tensor a, Tensor b) {
    return IndexingRules.where(cond, a, b);
  }

  // ---------------------------------------------------- sequence models (#12)
  //
  // Splitting (ViewRules), triangles, index-add, sorting (IndexingRules), batched products
  // (LinearAlgebraRules) and row normalisation (NormalizationRules).

  /**
   * Consecutive views of {@code size} along {@code dim}, the last one shorter when size does not
   * divide the dim; the gradient of each piece flows back into its slice: {@code List<Tensor> qkv =
   * proj.split(768, -1)}.
   *
   * @throws IllegalArgumentException if size is not positive
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public List<Tensor> split(int size, int dim) {
    return ViewRules.split(this, size, dim);
  }

  /**
   * Views of the given sizes along {@code dim}: {@code x.split(new int[] {2, 3}, 0)}.
   *
   * @throws IllegalArgumentException if a size is negative or the sizes do not add up to the dim
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public List<Tensor> split(int[] sizes, int dim) {
    return ViewRules.split(this, sizes, dim);
  }

  /**
   * At most {@code chunks} views of ⌈size / chunks⌉ along {@code dim}, as in PyTorch: {@code
   * List<Tensor> qkv = proj.chunk(3, -1)}.
   *
   * @throws IllegalArgumentException if chunks is not positive
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public List<Tensor> chunk(int chunks, int dim) {
    return ViewRules.chunk(this, chunks, dim);
  }

  /**
   * The lower triangle of the last two dims (elements with {@code j − i <= diagonal}; 0 elsewhere);
   * the gradient is masked the same way: {@code scores.tril(0)}.
   *
   * @throws IllegalArgumentException if this tensor has fewer than 2 dims
   */
  public Tensor tril(int diagonal) {
    return IndexingRules.tril(this, diagonal);
  }

  /**
   * The upper triangle of the last two dims (elements with {@code j − i >= diagonal}; 0 elsewhere);
   * the gradient is masked the same way: {@code ones.triu(1)}.
   *
   * @throws IllegalArgumentException if this tensor has fewer than 2 dims
   */
  public Tensor triu(int diagonal) {
    return IndexingRules.triu(this, diagonal);
  }

  /**
   * A copy with slice i of {@code src} along {@code dim} added to slice {@code index[i]} (repeats
   * accumulate); d/dthis = g, d/dsrc = g's slices at the index: {@code Tensor.zeros(10,
   * 4).indexAdd(0, ids, rows)}.
   *
   * @throws IllegalArgumentException if the index is not 1-D INT32 or src has the wrong shape
   * @throws IndexOutOfBoundsException if dim or an index is out of range
   */
  public Tensor indexAdd(int dim, Tensor index, Tensor src) {
    return IndexingRules.indexAdd(this, dim, index, src);
  }

  /**
   * {@code beta·input + alpha·(b1 @ b2)} for batches b1 [B, n, m], b2 [B, m, p] and input broadcast
   * to [B, n, p], one GEMM per batch: {@code Tensor.baddbmm(mask, q, k.mT(), 1, 0.125)}.
   *
   * @throws IllegalArgumentException if the shapes do not fit or an operand is INT32
   */
  public static Tensor baddbmm(Tensor input, Tensor b1, Tensor b2, double beta, double alpha) {
    return LinearAlgebraRules.baddbmm(input, b1, b2, beta, alpha);
  }

  /**
   * Scaled dot-product attention {@code softmax(scale·q·kᵀ + mask)·v} in one fused pass per query
   * row, q [.., L, E], k [.., S, E], v [.., S, Ev] → [.., L, Ev] (batch dims broadcast). An INT32
   * mask keeps the positions where it is non-zero, a floating mask is added; it broadcasts to [..,
   * L, S], may be null, and gets no gradient. {@code causal} lets row i see columns j ≤ i only.
   * Backward reuses the saved probabilities; with {@code createGraph} it is differentiable again.
   * (nn's {@code F.scaledDotProductAttention} adds dropout and PyTorch's defaults.)
   *
   * <pre>{@code
   * Tensor y = Tensor.scaledDotProductAttention(q, k, v, null, true, 1 / Math.sqrt(64));
   * }</pre>
   *
   * @throws IllegalArgumentException if an operand is null or has fewer than 2 dims, the dtypes
   *     differ or are not floating, q and k differ in E or k and v in S, the batch dims or the mask
   *     do not broadcast, a mask is given with causal, or the scale is not finite
   */
  public static Tensor scaledDotProductAttention(
      Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, double scale) {
    return AttentionRules.scaledDotProductAttention(q, k, v, mask, causal, scale);
  }

  /**
   * The values along {@code dim} sorted (stably, NaN largest) and their INT32 positions; the
   * values' gradient is scattered back through the positions: {@code x.sort(-1, true)}.
   *
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public IndexedValues sort(int dim, boolean descending) {
    return IndexingRules.sort(this, dim, descending);
  }

  /**
   * The INT32 positions that sort the values along {@code dim} (no gradient): {@code x.argsort(-1,
   * false)}.
   *
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public Tensor argsort(int dim, boolean descending) {
    return new Tensor(data.argsort(dim, descending));
  }

  /**
   * The {@code k} largest (or smallest) values along {@code dim} in sorted order and their INT32
   * positions; the values' gradient goes back to those positions: {@code logits.topk(5, -1, true,
   * true)}.
   *
   * @throws IllegalArgumentException if k is negative or larger than the dim
   * @throws IndexOutOfBoundsException if dim is out of range
   */
  public IndexedValues topk(int k, int dim, boolean largest, boolean sorted) {
    return IndexingRules.topk(this, k, dim, largest, sorted);
  }

  /**
   * Layer normalisation over the trailing {@code normalizedShape} dims, {@code (x − mean) /
   * sqrt(var + eps) · weight + bias} (weight and bias may be null), in one pass per row; the
   * gradients are Tensor ops, differentiable again: {@code x.layerNorm(new int[] {768}, w, b,
   * 1e-5)}.
   *
   * @throws IllegalArgumentException if normalizedShape is not the trailing dims, weight or bias
   *     has another shape, this tensor is INT32, or eps is negative
   */
  public Tensor layerNorm(int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
    return NormalizationRules.layerNorm(this, normalizedShape, weight, bias, eps);
  }

  /**
   * Batch normalisation of an (N, C, …) tensor per channel (dim 1): {@code y = (x − μ) / √(σ² +
   * eps) · weight + bias}, μ and σ² taken over every other dim. When {@code training}, μ and the
   * biased σ² are the batch's, and running statistics that are given are updated in place (grad
   * mode off): {@code running ← (1 − momentum)·running + momentum·batch}, with the unbiased
   * variance for running_var. Otherwise the running statistics are used, and receive no gradient.
   * Weight, bias and the running statistics are [C] of this tensor's dtype, or null (the running
   * statistics are required when not training). One recorded op whose gradients are Tensor ops
   * (differentiable again); in training, the first-order gradients of the input and the weight run
   * as fused kernels.
   *
   * <pre>{@code
   * Tensor y = x.batchNorm(runningMean, runningVar, gamma, beta, true, 0.1, 1e-5);
   * }</pre>
   *
   * @throws IllegalArgumentException if this tensor has fewer than 2 dims or is INT32, a statistic
   *     or parameter is not a [C] of this tensor's dtype, the running statistics are given alone or
   *     missing when not training, or training sees only one value per channel
   */
  public Tensor batchNorm(
      Tensor runningMean,
      Tensor runningVar,
      Tensor weight,
      Tensor bias,
      boolean training,
      double momentum,
      double eps) {
    return NormalizationRules.batchNorm(
        this, runningMean, runningVar, weight, bias, training, momentum, eps);
  }

  /**
   * RMS normalisation over the trailing {@code normalizedShape} dims, {@code x / sqrt(mean(x²) +
   * eps) · weight} (weight may be null), in one pass per row: {@code x.rmsNorm(new int[] {768}, w,
   * 1e-6)}.
   *
   * @throws IllegalArgumentException if normalizedShape is not the trailing dims, weight has
   *     another shape, this tensor is INT32, or eps is negative
   */
  public Tensor rmsNorm(int[] normalizedShape, Tensor weight, double eps) {
    return NormalizationRules.rmsNorm(this, normalizedShape, weight, eps);
  }

  // ------------------------------------------------------------------ printing

  /** The values like PyTorch prints them, with {@code gradFn} or {@code requiresGrad}. */
  @Override
  public String toString() {
    String s = data.toString();
    String extra =
        gradFn != null ? ", gradFn=" + gradFn.name() : requiresGrad ? ", requiresGrad=true" : "";
    return s.substring(0, s.length() - 1) + extra + ")";
  }
}
