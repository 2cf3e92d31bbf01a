package dev.jgrad.autograd;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.GradKernels;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.ValuesAndIndices;
import dev.jgrad.tensor.kernel.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An {@link NDArray} that remembers how it was made, so that gradients flow back through it.
 *
 * <p>Every op here is declared once: its forward is one tensor-module kernel, and its gradient
 * formula per input sits beside it, written with Tensor ops so that it can be differentiated again
 * ({@code createGraph}). {@link #backward()} walks the recorded graph once in reverse topological
 * order and leaves {@code d loss / d leaf} in each leaf's {@link #grad()}.
 *
 * <pre>{@code
 * Tensor x = Tensor.randn(64, 784);
 * Tensor w = Tensor.randn(784, 128).requiresGrad(true);
 * Tensor loss = x.matmul(w).relu().mean();
 * loss.backward();
 * Tensor g = w.grad();          // d loss / d w, same shape as w
 * }</pre>
 */
public final class Tensor {
  private static final int SAVES_NONE = 0;
  private static final int SAVES_INPUTS = 1;
  private static final int SAVES_OUTPUT = 2;
  private static final double SQRT_2 = Math.sqrt(2.0);
  private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
  private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
  private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
  private static final double GELU_CUBIC = 0.044715;
  private static Generator defaultGenerator = new Generator(0);

  private final NDArray data;
  private final Node gradFn;
  private final int[] version; // shared by a tensor and its views
  private boolean requiresGrad;
  private boolean retainsGrad;
  private Tensor grad;
  private List<UnaryOperator<Tensor>> hooks;

  private Tensor(NDArray data, Node gradFn, boolean requiresGrad, int[] version) {
    this.data = data;
    this.gradFn = gradFn;
    this.requiresGrad = requiresGrad;
    this.version = version;
  }

  /** A leaf tensor over {@code data} (not copied) that does not require grad. */
  public Tensor(NDArray data) {
    this(data, null, false, new int[1]);
  }

  // ------------------------------------------------------------------ recording

  private static boolean anyRequiresGrad(Tensor[] inputs) {
    for (Tensor t : inputs) {
      if (t.requiresGrad) {
        return true;
      }
    }
    return false;
  }

  /**
   * Wraps a kernel's result and, when grad mode is on and an input requires grad, records the op
   * with one gradient formula per input. This is the single place where the graph grows.
   */
  private static Tensor record(
      String op, NDArray result, int saves, Tensor[] inputs, Formula... formulas) {
    return record(op, result, saves, null, inputs, formulas);
  }

  /** As above; a view shares its base's version counter. */
  private static Tensor record(
      String op, NDArray result, int saves, int[] viewOf, Tensor[] inputs, Formula... formulas) {
    int[] version = viewOf != null ? viewOf : new int[1];
    if (!GradMode.isEnabled() || !anyRequiresGrad(inputs)) {
      return new Tensor(result, null, false, version);
    }
    Tensor[] saved = (saves & SAVES_INPUTS) != 0 ? inputs : new Tensor[0];
    Node node = new Node(op, inputs, formulas, saved, (saves & SAVES_OUTPUT) != 0);
    Tensor out = new Tensor(result, node, true, version);
    node.outputVersion = out.version();
    return out;
  }

  private static Tensor[] in(Tensor... inputs) {
    return inputs;
  }

  /** A tensor that never requires grad, for masks and other constants in formulas. */
  private static Tensor constant(NDArray a) {
    return new Tensor(a);
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

  /** Zeros, FLOAT32. */
  public static Tensor zeros(int... shape) {
    return new Tensor(NDArray.zeros(shape));
  }

  /** Zeros of a dtype. */
  public static Tensor zeros(DType dtype, int... shape) {
    return new Tensor(NDArray.zeros(dtype, shape));
  }

  /** Ones, FLOAT32. */
  public static Tensor ones(int... shape) {
    return new Tensor(NDArray.ones(shape));
  }

  /** Every element {@code value}, FLOAT32. */
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

  /** A 2-D FLOAT32 tensor of the rows. */
  public static Tensor of(float[][] rows) {
    return new Tensor(NDArray.of(rows));
  }

  /** A 1-D FLOAT64 tensor of the values. */
  public static Tensor of(double... values) {
    return new Tensor(NDArray.of(values));
  }

  /** A 2-D FLOAT64 tensor of the rows. */
  public static Tensor of(double[][] rows) {
    return new Tensor(NDArray.of(rows));
  }

  /** A 1-D INT32 tensor, e.g. class labels. */
  public static Tensor ofInts(int... values) {
    return new Tensor(NDArray.ofInts(values));
  }

  /** {@code [0, …, end-1]}, INT32. */
  public static Tensor arange(int end) {
    return new Tensor(NDArray.arange(end));
  }

  /** The n×n identity, FLOAT32. */
  public static Tensor eye(int n) {
    return new Tensor(NDArray.eye(n));
  }

  /** Standard normal, FLOAT32, from the default generator (see {@link #manualSeed}). */
  public static Tensor randn(int... shape) {
    return new Tensor(NDArray.randn(generator(), shape));
  }

  /** Standard normal of a dtype from an explicit generator. */
  public static Tensor randn(Generator g, DType dtype, int... shape) {
    return new Tensor(NDArray.randn(g, dtype, shape));
  }

  /** Standard normal, FLOAT32, from an explicit generator. */
  public static Tensor randn(Generator g, int... shape) {
    return new Tensor(NDArray.randn(g, shape));
  }

  /** Uniform in [0, 1), FLOAT32, from the default generator. */
  public static Tensor rand(int... shape) {
    return new Tensor(NDArray.rand(generator(), shape));
  }

  /** Uniform in [0, 1) of a dtype from an explicit generator. */
  public static Tensor rand(Generator g, DType dtype, int... shape) {
    return new Tensor(NDArray.rand(g, dtype, shape));
  }

  /** Uniform integers in [low, high), INT32, from the default generator. */
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

  /** The size of one dim. */
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

  /** The value of a one-element tensor. */
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
  public void zeroGrad() {
    grad = null;
  }

  /** Replaces the gradient, e.g. for clipping or tests. */
  public void setGrad(Tensor newGrad) {
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

  /** Keeps the gradient of this non-leaf tensor in {@link #grad()} after backward. Returns this. */
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

  /**
   * Registers a function called with the gradient of this tensor during backward; a non-null return
   * value replaces the gradient.
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
        g = replaced;
      }
    }
    return g;
  }

  /**
   * Adds {@code g} to {@link #grad()}. A first gradient is copied, unless {@code owned} says that
   * nothing else refers to its storage (the engine knows when a built-in formula made it): then it
   * is adopted as it is, which saves a copy of every weight gradient per step.
   */
  void accumulateGrad(Tensor g, boolean createGraph, boolean owned) {
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

  /** Backpropagates from this one-element tensor (d this / d this = 1). */
  public void backward() {
    backward(null, false, false);
  }

  /** Backpropagates with the given gradient of some scalar with respect to this tensor. */
  public void backward(Tensor gradient) {
    backward(gradient, false, false);
  }

  /**
   * Backpropagates, accumulating into the leaves' {@link #grad()}. With {@code retainGraph} the
   * graph can be walked again; with {@code createGraph} the gradients are themselves recorded, so
   * that they can be differentiated (higher-order gradients).
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

  /** {@code this += other} (broadcast into this shape). Returns this. */
  public Tensor addInPlace(Tensor other) {
    checkInPlace("addInPlace");
    data.addInPlace(other.data);
    return bump();
  }

  /** {@code this += alpha·other}. Returns this. */
  public Tensor addInPlace(Tensor other, double alpha) {
    checkInPlace("addInPlace");
    data.addInPlace(other.data, alpha);
    return bump();
  }

  /** {@code this -= other}. Returns this. */
  public Tensor subInPlace(Tensor other) {
    checkInPlace("subInPlace");
    data.subInPlace(other.data);
    return bump();
  }

  /** {@code this *= value}. Returns this. */
  public Tensor mulInPlace(double value) {
    checkInPlace("mulInPlace");
    data.mulInPlace(value);
    return bump();
  }

  /** {@code this *= other}. Returns this. */
  public Tensor mulInPlace(Tensor other) {
    checkInPlace("mulInPlace");
    data.mulInPlace(other.data);
    return bump();
  }

  /** {@code this /= other}. Returns this. */
  public Tensor divInPlace(Tensor other) {
    checkInPlace("divInPlace");
    data.divInPlace(other.data);
    return bump();
  }

  /** Sets every element. Returns this. */
  public Tensor fill(double value) {
    checkInPlace("fill");
    data.fill(value);
    return bump();
  }

  /** Copies the values of {@code src} (broadcast). Returns this. */
  public Tensor copyFrom(Tensor src) {
    checkInPlace("copyFrom");
    data.copyFrom(src.data);
    return bump();
  }

  // ------------------------------------------------------------------ arithmetic

  /** {@code this + other}, broadcast. */
  public Tensor add(Tensor other) {
    return record(
        "Add", data.add(other.data), SAVES_NONE, in(this, other), (g, o) -> g, (g, o) -> g);
  }

  /** {@code this + value}. */
  public Tensor add(double value) {
    return record("Add", data.add(value), SAVES_NONE, in(this), (g, o) -> g);
  }

  /** {@code this - other}, broadcast. */
  public Tensor sub(Tensor other) {
    return record(
        "Sub", data.sub(other.data), SAVES_NONE, in(this, other), (g, o) -> g, (g, o) -> g.neg());
  }

  /** {@code this - value}. */
  public Tensor sub(double value) {
    return record("Sub", data.sub(value), SAVES_NONE, in(this), (g, o) -> g);
  }

  /** {@code this * other}, broadcast: d/da = b, d/db = a. */
  public Tensor mul(Tensor other) {
    return record(
        "Mul",
        data.mul(other.data),
        SAVES_INPUTS,
        in(this, other),
        (g, o) -> g.mul(other),
        (g, o) -> g.mul(this));
  }

  /** {@code this * value}. */
  public Tensor mul(double value) {
    return record("Mul", data.mul(value), SAVES_NONE, in(this), (g, o) -> g.mul(value));
  }

  /** {@code this / other}, broadcast: d/da = 1/b, d/db = −a/b². */
  public Tensor div(Tensor other) {
    return record(
        "Div",
        data.div(other.data),
        SAVES_INPUTS,
        in(this, other),
        (g, o) -> g.div(other),
        (g, o) -> g.neg().mul(this).div(other.square()));
  }

  /** {@code this / value}. */
  public Tensor div(double value) {
    return record("Div", data.div(value), SAVES_NONE, in(this), (g, o) -> g.div(value));
  }

  /** {@code this ^ exponent}: d/dx = p·x^(p−1). */
  public Tensor pow(double exponent) {
    return record(
        "Pow",
        data.pow(exponent),
        SAVES_INPUTS,
        in(this),
        (g, o) -> exponent == 0 ? null : g.mul(pow(exponent - 1).mul(exponent)));
  }

  /** {@code this ^ exponent}, broadcast: d/da = b·a^(b−1), d/db = a^b·ln a. */
  public Tensor pow(Tensor exponent) {
    return record(
        "Pow",
        data.pow(exponent.data),
        SAVES_INPUTS | SAVES_OUTPUT,
        in(this, exponent),
        (g, o) -> g.mul(exponent).mul(pow(exponent.sub(1))),
        (g, o) -> g.mul(o).mul(log()));
  }

  /** The larger of each pair; at ties the gradient is split evenly, as in PyTorch. */
  public Tensor maximum(Tensor other) {
    return extremum("Maximum", data.maximum(other.data), data.gt(other.data), other);
  }

  /** The smaller of each pair; at ties the gradient is split evenly. */
  public Tensor minimum(Tensor other) {
    return extremum("Minimum", data.minimum(other.data), data.lt(other.data), other);
  }

  private Tensor extremum(String op, NDArray result, NDArray wins, Tensor other) {
    DType dt = result.dtype();
    NDArray share = wins.to(dt).add(data.eq(other.data).to(dt).mul(0.5));
    Tensor mine = constant(share);
    Tensor theirs = constant(share.neg().add(1));
    return record(
        op, result, SAVES_INPUTS, in(this, other), (g, o) -> g.mul(mine), (g, o) -> g.mul(theirs));
  }

  // ------------------------------------------------------------------ comparisons (no gradient)

  /** 1 where equal, else 0 (INT32, no gradient). */
  public Tensor eq(Tensor other) {
    return constant(data.eq(other.data));
  }

  /** 1 where {@code this != other}. */
  public Tensor ne(Tensor other) {
    return constant(data.ne(other.data));
  }

  /** 1 where {@code this < other}. */
  public Tensor lt(Tensor other) {
    return constant(data.lt(other.data));
  }

  /** 1 where {@code this <= other}. */
  public Tensor le(Tensor other) {
    return constant(data.le(other.data));
  }

  /** 1 where {@code this > other}. */
  public Tensor gt(Tensor other) {
    return constant(data.gt(other.data));
  }

  /** 1 where {@code this >= other}. */
  public Tensor ge(Tensor other) {
    return constant(data.ge(other.data));
  }

  /** 1 where {@code this > value}. */
  public Tensor gt(double value) {
    return constant(data.gt(value));
  }

  /** 1 where {@code this < value}. */
  public Tensor lt(double value) {
    return constant(data.lt(value));
  }

  /** 1 where {@code this == value}. */
  public Tensor eq(double value) {
    return constant(data.eq(value));
  }

  /** The indices of the largest values along {@code dim} (INT32, no gradient). */
  public Tensor argmax(int dim, boolean keepDim) {
    return constant(data.argmax(dim, keepDim));
  }

  /** The indices of the smallest values along {@code dim} (INT32, no gradient). */
  public Tensor argmin(int dim, boolean keepDim) {
    return constant(data.argmin(dim, keepDim));
  }

  /** −1, 0 or 1 (derivative zero, so no gradient flows). */
  public Tensor sign() {
    return constant(data.sign());
  }

  // ------------------------------------------------------------------ unary

  /** −x. */
  public Tensor neg() {
    return record("Neg", data.neg(), SAVES_NONE, in(this), (g, o) -> g.neg());
  }

  /** |x|: d/dx = sign(x). */
  public Tensor abs() {
    return record("Abs", data.abs(), SAVES_INPUTS, in(this), (g, o) -> g.mul(sign()));
  }

  /** eˣ: d/dx = eˣ, the output itself. */
  public Tensor exp() {
    return record("Exp", data.exp(), SAVES_OUTPUT, in(this), (g, o) -> g.mul(o));
  }

  /** ln x: d/dx = 1/x. */
  public Tensor log() {
    return record("Log", data.log(), SAVES_INPUTS, in(this), (g, o) -> g.div(this));
  }

  /** ln(1 + x): d/dx = 1/(1 + x). */
  public Tensor log1p() {
    return record("Log1p", data.log1p(), SAVES_INPUTS, in(this), (g, o) -> g.div(add(1)));
  }

  /** eˣ − 1: d/dx = eˣ = out + 1. */
  public Tensor expm1() {
    return record("Expm1", data.expm1(), SAVES_OUTPUT, in(this), (g, o) -> g.mul(o.add(1)));
  }

  /** √x: d/dx = 1/(2√x). */
  public Tensor sqrt() {
    return record("Sqrt", data.sqrt(), SAVES_OUTPUT, in(this), (g, o) -> g.div(o.mul(2)));
  }

  /** 1/√x: d/dx = −½·x^(−3/2) = −½·out³. */
  public Tensor rsqrt() {
    return record(
        "Rsqrt", data.rsqrt(), SAVES_OUTPUT, in(this), (g, o) -> g.mul(o.pow(3)).mul(-0.5));
  }

  /** x²: d/dx = 2x. */
  public Tensor square() {
    return record("Square", data.square(), SAVES_INPUTS, in(this), (g, o) -> g.mul(this).mul(2));
  }

  /** 1/x: d/dx = −1/x² = −out². */
  public Tensor reciprocal() {
    return record(
        "Reciprocal", data.reciprocal(), SAVES_OUTPUT, in(this), (g, o) -> g.neg().mul(o.square()));
  }

  /** sin x: d/dx = cos x. */
  public Tensor sin() {
    return record("Sin", data.sin(), SAVES_INPUTS, in(this), (g, o) -> g.mul(cos()));
  }

  /** cos x: d/dx = −sin x. */
  public Tensor cos() {
    return record("Cos", data.cos(), SAVES_INPUTS, in(this), (g, o) -> g.neg().mul(sin()));
  }

  /** tanh x: d/dx = 1 − tanh² x. */
  public Tensor tanh() {
    return record(
        "Tanh", data.tanh(), SAVES_OUTPUT, in(this), (g, o) -> g.mul(o.square().neg().add(1)));
  }

  /** σ(x) = 1/(1 + e⁻ˣ): d/dx = σ(x)(1 − σ(x)). */
  public Tensor sigmoid() {
    return record(
        "Sigmoid",
        data.sigmoid(),
        SAVES_OUTPUT,
        in(this),
        (g, o) ->
            GradMode.isEnabled() // a graph of the gradient is wanted: compose differentiable ops
                ? g.mul(o.mul(o.neg().add(1)))
                : new Tensor(GradKernels.sigmoidBackward(g.data, o.data)));
  }

  /** max(x, 0): d/dx = 1 where x > 0, else 0, which is sign(out) since out ≥ 0. */
  public Tensor relu() {
    return record(
        "Relu",
        data.relu(),
        SAVES_OUTPUT,
        in(this),
        (g, o) ->
            GradMode.isEnabled()
                ? g.mul(o.sign())
                : new Tensor(GradKernels.reluBackward(g.data, o.data)));
  }

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
    Tensor p = this;
    return record(
        "BinaryCrossEntropy",
        GradKernels.binaryCrossEntropy(data, target.data),
        SAVES_INPUTS,
        in(this, target),
        (g, o) ->
            GradMode.isEnabled()
                ? g.mul(p.sub(target)).div(p.mul(p.neg().add(1)).clampMin(GradKernels.BCE_EPSILON))
                : new Tensor(GradKernels.binaryCrossEntropyBackward(g.data, p.data, target.data)),
        (g, o) ->
            g.mul(
                p.neg()
                    .add(1)
                    .log()
                    .clampMin(GradKernels.BCE_LOG_MIN)
                    .sub(p.log().clampMin(GradKernels.BCE_LOG_MIN))));
  }

  /** erf x: d/dx = 2/√π·e^(−x²). */
  public Tensor erf() {
    return record(
        "Erf",
        data.erf(),
        SAVES_INPUTS,
        in(this),
        (g, o) -> g.mul(square().neg().exp().mul(TWO_OVER_SQRT_PI)));
  }

  /** GELU, exact: x·Φ(x); d/dx = Φ(x) + x·φ(x). */
  public Tensor gelu() {
    return record(
        "Gelu",
        data.gelu(),
        SAVES_INPUTS,
        in(this),
        (g, o) -> {
          Tensor cdf = div(SQRT_2).erf().add(1).mul(0.5);
          Tensor pdf = square().mul(-0.5).exp().mul(INV_SQRT_2PI);
          return g.mul(cdf.add(mul(pdf)));
        });
  }

  /**
   * GELU, tanh form: ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³); d/dx = ½(1 + tanh u) + ½x(1 −
   * tanh² u)·√(2/π)(1 + 3·0.044715x²).
   */
  public Tensor geluTanh() {
    return record(
        "GeluTanh",
        data.geluTanh(),
        SAVES_INPUTS,
        in(this),
        (g, o) -> {
          Tensor t = pow(3).mul(GELU_CUBIC).add(this).mul(SQRT_2_OVER_PI).tanh();
          Tensor du = square().mul(3 * GELU_CUBIC).add(1).mul(SQRT_2_OVER_PI);
          Tensor left = t.add(1).mul(0.5);
          Tensor right = mul(0.5).mul(t.square().neg().add(1)).mul(du);
          return g.mul(left.add(right));
        });
  }

  /** log(1 + eˣ): d/dx = σ(x). */
  public Tensor softplus() {
    return record("Softplus", data.softplus(), SAVES_INPUTS, in(this), (g, o) -> g.mul(sigmoid()));
  }

  /** Limits to [min, max]: the gradient passes where the input is inside the range. */
  public Tensor clamp(double min, double max) {
    Tensor inside = constant(data.ge(min).mul(data.le(max)));
    return record("Clamp", data.clamp(min, max), SAVES_INPUTS, in(this), (g, o) -> g.mul(inside));
  }

  /** max(x, min). */
  public Tensor clampMin(double min) {
    Tensor inside = constant(data.ge(min));
    return record("Clamp", data.clampMin(min), SAVES_INPUTS, in(this), (g, o) -> g.mul(inside));
  }

  /** min(x, max). */
  public Tensor clampMax(double max) {
    Tensor inside = constant(data.le(max));
    return record("Clamp", data.clampMax(max), SAVES_INPUTS, in(this), (g, o) -> g.mul(inside));
  }

  // ------------------------------------------------------------------ reductions

  private int[] keptShape(int[] dims) {
    int[] s = shape();
    if (dims.length == 0) {
      Arrays.fill(s, 1);
      return s;
    }
    for (int d : dims) {
      s[Shapes.normalizeDim("sum", d, dim())] = 1;
    }
    return s;
  }

  /** The gradient of a reduction, put back in the kept shape and broadcast over the input. */
  private Tensor spread(Tensor g, int[] dims) {
    return g.reshape(keptShape(dims)).expand(shape());
  }

  /** Sums every element. */
  public Tensor sum() {
    return sum(new int[0], false);
  }

  /** Sums one dim. */
  public Tensor sum(int dim, boolean keepDim) {
    return sum(new int[] {dim}, keepDim);
  }

  /** Sums the given dims (all when empty): the gradient is broadcast back. */
  public Tensor sum(int[] dims, boolean keepDim) {
    int[] d = dims.clone();
    return record("Sum", data.sum(d, keepDim), SAVES_NONE, in(this), (g, o) -> spread(g, d));
  }

  /** The mean of every element. */
  public Tensor mean() {
    return mean(new int[0], false);
  }

  /** The mean over one dim. */
  public Tensor mean(int dim, boolean keepDim) {
    return mean(new int[] {dim}, keepDim);
  }

  /** The mean over the given dims: the gradient is broadcast back divided by the count. */
  public Tensor mean(int[] dims, boolean keepDim) {
    int[] d = dims.clone();
    double count = (double) numel() / Math.max(1, Shapes.numel(keptShape(d)));
    return record(
        "Mean", data.mean(d, keepDim), SAVES_NONE, in(this), (g, o) -> spread(g, d).div(count));
  }

  /** The product of all elements. */
  public Tensor prod() {
    return reshape(-1).prod(0, false);
  }

  /**
   * The product along {@code dim}. Its gradient is the product of the other elements of the slice:
   * out/xᵢ when the slice has no zero; when it has one zero, the product of the non-zeros at that
   * zero and 0 elsewhere; 0 everywhere with two or more zeros. Written with Tensor ops (masks are
   * constants), so it is differentiable again.
   */
  public Tensor prod(int dim, boolean keepDim) {
    int d = Shapes.normalizeDim("prod", dim, Math.max(dim(), 1));
    int[] dims = {d};
    return record(
        "Prod",
        data.prod(d, keepDim),
        SAVES_INPUTS,
        in(this),
        (g, o) -> {
          NDArray isZero = data.eq(0).to(dtype());
          NDArray zeros = isZero.sum(dims, true);
          Tensor safe = where(constant(isZero), Tensor.scalar(1).to(dtype()), this);
          Tensor others = safe.prod(d, true); // the product of the non-zero elements
          Tensor noZero = others.div(safe).mul(constant(zeros.eq(0).to(dtype())));
          Tensor oneZero = others.mul(constant(zeros.eq(1).to(dtype()).mul(isZero)));
          return spread(g, dims).mul(noZero.add(oneZero));
        });
  }

  /** Sums the broadcast dims away so that the result has {@code target}'s shape. */
  public Tensor sumTo(int... target) {
    int[] inShape = shape();
    if (Arrays.equals(inShape, target)) {
      return this;
    }
    return record("SumTo", data.sumTo(target), SAVES_NONE, in(this), (g, o) -> g.expand(inShape));
  }

  /**
   * The largest values over the given dims; the gradient goes to the maxima, split evenly between
   * ties.
   */
  public Tensor amax(int[] dims, boolean keepDim) {
    return extremeOver("Amax", data.amax(dims, true), dims, keepDim);
  }

  /** The smallest values over the given dims; the gradient goes to the minima. */
  public Tensor amin(int[] dims, boolean keepDim) {
    return extremeOver("Amin", data.amin(dims, true), dims, keepDim);
  }

  private Tensor extremeOver(String op, NDArray kept, int[] dims, boolean keepDim) {
    int[] d = dims.clone();
    NDArray hits = data.eq(kept).to(data.dtype());
    Tensor share = constant(hits.div(hits.sum(d, true)));
    NDArray result = keepDim ? kept : kept.reshape(squeezedShape(d, shape()));
    return record(op, result, SAVES_INPUTS, in(this), (g, o) -> spread(g, d).mul(share));
  }

  private int[] squeezedShape(int[] dims, int[] full) {
    int[] keep = keptShape(dims);
    int rank = full.length;
    boolean[] drop = new boolean[rank];
    if (dims.length == 0) {
      Arrays.fill(drop, true);
    }
    for (int d : dims) {
      drop[Shapes.normalizeDim("reduce", d, rank)] = true;
    }
    return java.util.stream.IntStream.range(0, rank)
        .filter(i -> !drop[i])
        .map(i -> keep[i])
        .toArray();
  }

  /** The largest element. */
  public Tensor max() {
    return amax(new int[0], false);
  }

  /** The smallest element. */
  public Tensor min() {
    return amin(new int[0], false);
  }

  /** The largest values along {@code dim} and their indices; gradients flow to those indices. */
  public IndexedValues max(int dim, boolean keepDim) {
    return located(data.max(dim, true), dim, keepDim);
  }

  /** The smallest values along {@code dim} and their indices. */
  public IndexedValues min(int dim, boolean keepDim) {
    return located(data.min(dim, true), dim, keepDim);
  }

  private IndexedValues located(ValuesAndIndices found, int dim, boolean keepDim) {
    Tensor values = gather(dim, constant(found.indices()));
    Tensor indices = constant(found.indices());
    if (!keepDim) {
      values = values.squeeze(dim);
      indices = indices.squeeze(dim);
    }
    return new IndexedValues(values, indices);
  }

  /** Σ(x − mean)² / (N − correction) over the given dims (a composite of differentiable ops). */
  public Tensor var(int[] dims, int correction, boolean keepDim) {
    int n = numel() / Math.max(1, Shapes.numel(keptShape(dims)));
    Tensor centered = sub(mean(dims, true));
    return centered.square().sum(dims, keepDim).div((double) n - correction);
  }

  /** The unbiased variance of all elements. */
  public Tensor var() {
    return var(new int[0], 1, false);
  }

  /** √var over the given dims. */
  public Tensor std(int[] dims, int correction, boolean keepDim) {
    return var(dims, correction, keepDim).sqrt();
  }

  /** The p-norm over the given dims (all when empty); p = ∞ gives max |x|. */
  public Tensor norm(double p, int[] dims, boolean keepDim) {
    if (p == 2) {
      return square().sum(dims, keepDim).sqrt();
    }
    if (p == 1) {
      return abs().sum(dims, keepDim);
    }
    if (p == Double.POSITIVE_INFINITY) {
      return abs().amax(dims, keepDim);
    }
    return abs().pow(p).sum(dims, keepDim).pow(1.0 / p);
  }

  /** The 2-norm of all elements. */
  public Tensor norm() {
    return norm(2, new int[0], false);
  }

  /**
   * log Σ exp(x) over the given dims, shifted by the (constant) max for stability: for any constant
   * m, log Σ eˣ = m + log Σ e^(x−m), so the gradient is the softmax either way.
   */
  public Tensor logsumexp(int[] dims, boolean keepDim) {
    NDArray m = data.amax(dims, true);
    m = m.maskedFill(m.abs().eq(Double.POSITIVE_INFINITY), 0);
    Tensor shift = constant(m);
    Tensor out = sub(shift).exp().sum(dims, true).log().add(shift);
    return keepDim ? out : out.reshape(squeezedShape(dims, shape()));
  }

  /** log Σ exp(x) over one dim. */
  public Tensor logsumexp(int dim, boolean keepDim) {
    return logsumexp(new int[] {dim}, keepDim);
  }

  /** softmax along a dim (fused forward): d/dx = s ⊙ (g − Σ g ⊙ s). */
  public Tensor softmax(int dim) {
    return record(
        "Softmax",
        data.softmax(dim),
        SAVES_OUTPUT,
        in(this),
        (g, o) -> o.mul(g.sub(g.mul(o).sum(dim, true))));
  }

  /** log-softmax along a dim (fused, stable): d/dx = g − softmax ⊙ Σ g. */
  public Tensor logSoftmax(int dim) {
    return record(
        "LogSoftmax",
        data.logSoftmax(dim),
        SAVES_OUTPUT,
        in(this),
        (g, o) ->
            GradMode.isEnabled()
                ? g.sub(o.exp().mul(g.sum(dim, true)))
                : new Tensor(GradKernels.logSoftmaxBackward(g.data, o.data, dim)));
  }

  // ------------------------------------------------------------------ matrix product

  /**
   * The matrix product with numpy semantics. For matrices d/dA = G·Bᵀ and d/dB = Aᵀ·G, where the
   * transposes are strided views that the GEMM reads without copying; vectors are handled by
   * unsqueezing them into matrices, so their gradients follow from the same rule.
   */
  public Tensor matmul(Tensor other) {
    if (dim() == 0 || other.dim() == 0) {
      data.matmul(other.data); // throws the tensor module's message
    }
    if (dim() == 1 && other.dim() == 1) {
      return unsqueeze(0).matmul(other.unsqueeze(1)).reshape();
    }
    if (dim() == 1) {
      return unsqueeze(0).matmul(other).squeeze(-2);
    }
    if (other.dim() == 1) {
      return matmul(other.unsqueeze(1)).squeeze(-1);
    }
    return record(
        "MatMul",
        data.matmul(other.data),
        SAVES_INPUTS,
        in(this, other),
        (g, o) -> g.matmul(other.mT()),
        (g, o) -> mT().matmul(g));
  }

  /**
   * {@code this · otherᵀ} for matrices (or batches of them), the product of a linear layer with its
   * weight stored [out, in]. d/dA = G·B and d/dB = Gᵀ·A: both gradients come out of the GEMM
   * contiguous, in their input's layout, with no transpose copied.
   */
  public Tensor matmulT(Tensor other) {
    if (dim() < 2 || other.dim() < 2) {
      return matmul(other.t());
    }
    return record(
        "MatMulT",
        data.matmul(other.data.mT()),
        SAVES_INPUTS,
        in(this, other),
        (g, o) -> g.matmul(other),
        (g, o) -> g.mT().matmul(this));
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
   */
  public Tensor linear(Tensor weight, Tensor bias) {
    boolean matrices = dim() == 2 && weight.dim() == 2;
    if (!matrices
        || (bias != null && (bias.dim() != 1 || bias.shape(0) != weight.shape(0)))
        || (bias != null && bias.dtype() != DType.promote(dtype(), weight.dtype()))) {
      Tensor y = matmulT(weight);
      return bias == null ? y : y.add(bias);
    }
    if (shape(1) != weight.shape(1)) {
      throw new IllegalArgumentException(
          "linear: input of shape "
              + Shapes.toString(shape())
              + " and weight of shape "
              + Shapes.toString(weight.shape())
              + ": the weight must be [out, "
              + shape(1)
              + "]");
    }
    NDArray out = data.matmul(weight.data.mT());
    if (bias != null) {
      out.addInPlace(bias.data);
    }
    Tensor x = this;
    Formula dx = (g, o) -> g.matmul(weight);
    Formula dw = (g, o) -> g.mT().matmul(x);
    return bias == null
        ? record("Linear", out, SAVES_INPUTS, in(this, weight), dx, dw)
        : record(
            "Linear",
            out,
            SAVES_INPUTS,
            in(this, weight, bias),
            dx,
            dw,
            (g, o) -> g.sum(new int[] {0}, false));
  }

  // ------------------------------------------------------------------ views

  /** Another shape over the same values (copies only when the strides require it). */
  public Tensor reshape(int... newShape) {
    int[] inShape = shape();
    NDArray r = data.reshape(newShape);
    return record(
        "Reshape",
        r,
        SAVES_NONE,
        r.sharesStorage(data) ? version : null,
        in(this),
        (g, o) -> g.reshape(inShape));
  }

  /** Another shape over the same values; refuses when that needs a copy. */
  public Tensor view(int... newShape) {
    int[] inShape = shape();
    return record(
        "View", data.view(newShape), SAVES_NONE, version, in(this), (g, o) -> g.reshape(inShape));
  }

  /** All dims merged into one. */
  public Tensor flatten() {
    return reshape(-1);
  }

  /** Dims startDim..endDim merged into one. */
  public Tensor flatten(int startDim, int endDim) {
    int[] inShape = shape();
    NDArray r = data.flatten(startDim, endDim);
    return record(
        "Flatten",
        r,
        SAVES_NONE,
        r.sharesStorage(data) ? version : null,
        in(this),
        (g, o) -> g.reshape(inShape));
  }

  /** Swaps two dims. */
  public Tensor transpose(int dim0, int dim1) {
    return record(
        "Transpose",
        data.transpose(dim0, dim1),
        SAVES_NONE,
        version,
        in(this),
        (g, o) -> g.transpose(dim0, dim1));
  }

  /** The matrix transpose (vectors unchanged). */
  public Tensor t() {
    return dim() < 2 ? this : transpose(0, 1);
  }

  /** Swaps the last two dims. */
  public Tensor mT() {
    return transpose(-2, -1);
  }

  /** Reorders the dims. */
  public Tensor permute(int... order) {
    NDArray r = data.permute(order);
    int[] inverse = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      inverse[Shapes.normalizeDim("permute", order[i], dim())] = i;
    }
    return record("Permute", r, SAVES_NONE, version, in(this), (g, o) -> g.permute(inverse));
  }

  /** Removes size-1 dims. */
  public Tensor squeeze() {
    int[] inShape = shape();
    return record(
        "Squeeze", data.squeeze(), SAVES_NONE, version, in(this), (g, o) -> g.reshape(inShape));
  }

  /** Removes one size-1 dim. */
  public Tensor squeeze(int dim) {
    int[] inShape = shape();
    return record(
        "Squeeze", data.squeeze(dim), SAVES_NONE, version, in(this), (g, o) -> g.reshape(inShape));
  }

  /** Inserts a size-1 dim. */
  public Tensor unsqueeze(int dim) {
    int[] inShape = shape();
    return record(
        "Unsqueeze",
        data.unsqueeze(dim),
        SAVES_NONE,
        version,
        in(this),
        (g, o) -> g.reshape(inShape));
  }

  /** Broadcasts size-1 dims (a view): the gradient is summed back. */
  public Tensor expand(int... newShape) {
    int[] inShape = shape();
    return record(
        "Expand", data.expand(newShape), SAVES_NONE, version, in(this), (g, o) -> g.sumTo(inShape));
  }

  /** Python's {@code x[start:end:step]} along a dim: the gradient lands in those positions. */
  public Tensor slice(int dim, int start, int end, int step) {
    NDArray r = data.slice(dim, start, end, step);
    int d = Shapes.normalizeDim("slice", dim, dim());
    int first = (r.offset() - data.offset()) / Math.max(1, Math.abs(data.strides()[d]));
    int[] inShape = shape();
    return record(
        "Slice",
        r,
        SAVES_NONE,
        version,
        in(this),
        (g, o) -> g.embedInto(inShape, d, r.shape(d) == 0 ? 0 : first, step));
  }

  /** {@code length} elements of a dim from {@code start}. */
  public Tensor narrow(int dim, int start, int length) {
    int d = Shapes.normalizeDim("narrow", dim, dim());
    int s = start < 0 ? start + shape(d) : start;
    data.narrow(d, s, length); // validates with the tensor module's message
    return slice(d, s, s + length, 1);
  }

  /** The slice at {@code index}, with the dim removed. */
  public Tensor select(int dim, int index) {
    int d = Shapes.normalizeDim("select", dim, dim());
    NDArray r = data.select(d, index);
    int i = index < 0 ? index + shape(d) : index;
    int[] inShape = shape();
    return record(
        "Select",
        r,
        SAVES_NONE,
        version,
        in(this),
        (g, o) -> g.unsqueeze(d).embedInto(inShape, d, i, 1));
  }

  /**
   * The backward of slicing: zeros of {@code shape} with this tensor placed at positions start,
   * start+step, … of {@code dim}. Differentiable: its own gradient is the slice again.
   */
  Tensor embedInto(int[] shape, int dim, int start, int step) {
    NDArray out = NDArray.zeros(dtype(), shape);
    int end = start + (shape(dim) - 1) * step + 1;
    if (shape(dim) > 0) {
      out.slice(dim, start, end, step).copyFrom(data);
    }
    return record(
        "SliceScatter",
        out,
        SAVES_NONE,
        in(this),
        (g, o) -> g.slice(dim, start, Math.max(end, start), step));
  }

  /** A contiguous tensor with the same values. */
  public Tensor contiguous() {
    return data.isContiguous()
        ? this
        : record("Contiguous", data.contiguous(), SAVES_NONE, in(this), (g, o) -> g);
  }

  /** A copy with its own storage. */
  public Tensor cloneTensor() {
    return record("Clone", data.clone(), SAVES_NONE, in(this), (g, o) -> g);
  }

  /** The values in another dtype; the gradient is converted back. */
  public Tensor to(DType dtype) {
    DType from = dtype();
    if (dtype == from) {
      return this;
    }
    return record("ToCopy", data.to(dtype), SAVES_NONE, in(this), (g, o) -> g.to(from));
  }

  /** Joins tensors along a dim: each gets its slice of the gradient. */
  public static Tensor cat(int dim, Tensor... tensors) {
    NDArray[] arrays = new NDArray[tensors.length];
    for (int i = 0; i < tensors.length; i++) {
      arrays[i] = tensors[i].data;
    }
    NDArray result = NDArray.cat(dim, arrays);
    int d = Shapes.normalizeDim("cat", dim, result.rank());
    Formula[] formulas = new Formula[tensors.length];
    int offset = 0;
    for (int i = 0; i < tensors.length; i++) {
      int start = offset;
      int size = tensors[i].shape(d);
      formulas[i] = (g, o) -> g.narrow(d, start, size);
      offset += size;
    }
    return record("Cat", result, SAVES_NONE, tensors.clone(), formulas);
  }

  /** Stacks tensors of one shape along a new dim. */
  public static Tensor stack(int dim, Tensor... tensors) {
    if (tensors.length == 0) {
      throw new IllegalArgumentException("stack: expected at least one tensor");
    }
    int d = Shapes.normalizeDim("stack", dim, tensors[0].dim() + 1);
    Tensor[] expanded = new Tensor[tensors.length];
    for (int i = 0; i < tensors.length; i++) {
      if (!Arrays.equals(tensors[i].shape(), tensors[0].shape())) {
        throw new IllegalArgumentException(
            String.format(
                "stack: expects tensors of one shape, got %s and %s",
                Shapes.toString(tensors[0].shape()), Shapes.toString(tensors[i].shape())));
      }
      expanded[i] = tensors[i].unsqueeze(d);
    }
    return cat(d, expanded);
  }

  // ------------------------------------------------------------------ indexing

  /** Picks elements along a dim by an INT32 index: the gradient is scattered back. */
  public Tensor gather(int dim, Tensor index) {
    int[] inShape = shape();
    DType dt = dtype();
    return record(
        "Gather",
        data.gather(dim, index.data),
        SAVES_NONE,
        in(this),
        (g, o) -> zeros(dt, inShape).scatterAdd(dim, index, g));
  }

  /** A copy with {@code src} added at the indexed positions: d/dsrc = gather of the gradient. */
  public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
    return record(
        "ScatterAdd",
        data.scatterAdd(dim, index.data, src.data),
        SAVES_NONE,
        in(this, src),
        (g, o) -> g,
        (g, o) -> g.gather(dim, index));
  }

  /** The slices of a dim at a 1-D INT32 index: the gradient is summed back into them. */
  public Tensor indexSelect(int dim, Tensor index) {
    NDArray r = data.indexSelect(dim, index.data);
    int d = Shapes.normalizeDim("indexSelect", dim, dim());
    int[] inShape = shape();
    DType dt = dtype();
    int[] lineShape = new int[dim()];
    Arrays.fill(lineShape, 1);
    lineShape[d] = index.numel();
    Tensor spread = constant(index.data.reshape(lineShape).expand(r.shape()).clone());
    return record(
        "IndexSelect",
        r,
        SAVES_NONE,
        in(this),
        (g, o) -> zeros(dt, inShape).scatterAdd(d, spread, g));
  }

  /** A copy with {@code value} where {@code mask} is non-zero; no gradient flows there. */
  public Tensor maskedFill(Tensor mask, double value) {
    return record(
        "MaskedFill",
        data.maskedFill(mask.data, value),
        SAVES_NONE,
        in(this),
        (g, o) -> g.maskedFill(mask, 0));
  }

  /** {@code cond ? a : b}, broadcast: each branch gets the gradient where it was chosen. */
  public static Tensor where(Tensor cond, Tensor a, Tensor b) {
    Tensor notCond = constant(cond.data.eq(0));
    return record(
        "Where",
        NDArray.where(cond.data, a.data, b.data),
        SAVES_NONE,
        in(a, b),
        (g, o) -> g.maskedFill(notCond, 0),
        (g, o) -> g.maskedFill(cond, 0));
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

  // ------------------------------------------------------------------ custom functions

  /** Records a user-defined op (see {@link Function}). */
  static Tensor recordCustom(String op, NDArray result, Tensor[] inputs, Formula[] formulas) {
    Tensor out = record(op, result, SAVES_INPUTS, inputs, formulas);
    if (out.gradFn != null) {
      out.gradFn.custom = true; // its backward is user code: never adopt what it returns
    }
    return out;
  }
}
