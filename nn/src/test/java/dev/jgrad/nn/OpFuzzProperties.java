package dev.jgrad.nn;

import dev.jgrad.nn.Fuzz.Call;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Bad-input fuzzing of {@link NDArray}'s op families (issue #14): 10,000 generated calls per family
 * with incompatible shapes, bad dims, out-of-range indices, zero-size and huge dims, NaN and ∞,
 * mixed dtypes; each outcome must be a result or a clear refusal ({@link Fuzz#check}). The counts
 * are printed once (the README quotes them for seed 14). It lives in nn's tests, beside the module
 * and loss fuzzing that shares {@link Fuzz}, because tensor's own tests cannot see nn's.
 */
class OpFuzzProperties {
  static final int TRIES = 10_000;
  static final Fuzz.Tally TALLY = new Fuzz.Tally();

  @AfterContainer
  static void printOutcomes() {
    System.out.println(TALLY.summary("NDArray fuzzing, calls per family"));
    if (Fuzz.COLLECT) {
      Fuzz.NANOS.forEach(
          (op, ns) -> System.out.println("TIME " + op + " " + ns / 1_000_000 + " ms"));
    }
  }

  static void fuzz(String family, List<Call> calls, long seed) {
    TALLY.run(family, calls, seed);
  }

  // ------------------------------------------------------------------ creation

  static final List<Call> CREATION =
      List.of(
          Fuzz.call("zeros", f -> NDArray.zeros(f.dtype(), f.shape())),
          Fuzz.call("ones", f -> NDArray.ones(f.dtype(), f.shape())),
          Fuzz.call("full", f -> NDArray.full(f.dtype(), f.number(), f.shape())),
          Fuzz.call("arange", f -> NDArray.arange(f.integer())),
          Fuzz.call("arange", f -> NDArray.arange(f.integer(), f.integer())),
          Fuzz.call("arange", f -> NDArray.arange(f.number(), f.number(), f.number())),
          Fuzz.call("linspace", f -> NDArray.linspace(f.number(), f.number(), f.integer())),
          Fuzz.call("eye", f -> NDArray.eye(f.integer())),
          Fuzz.call("eye", f -> NDArray.eye(f.integer(), f.integer())),
          Fuzz.call("fromArray", f -> NDArray.fromArray(new float[f.small(0, 6)], f.shape())),
          Fuzz.call("fromArray", f -> NDArray.fromArray(new int[f.small(0, 6)], f.shape())),
          Fuzz.call("rand", f -> NDArray.rand(new Generator(1), f.dtype(), f.shape())),
          Fuzz.call("randn", f -> NDArray.randn(new Generator(1), f.dtype(), f.shape())),
          Fuzz.call(
              "randint",
              f -> NDArray.randint(new Generator(1), f.integer(), f.integer(), f.shape())),
          Fuzz.call("scalar", f -> NDArray.scalar(f.dtype(), f.number())),
          Fuzz.call(
              "of",
              f -> {
                float[][] rows = new float[f.small(0, 3)][];
                for (int i = 0; i < rows.length; i++) {
                  rows[i] = new float[f.small(0, 3)];
                }
                return NDArray.of(rows);
              }),
          Fuzz.call("zerosLike", f -> NDArray.zerosLike(f.array())),
          Fuzz.call("to", f -> f.array().to(f.dtype())),
          Fuzz.call("clone", f -> f.array().clone()),
          Fuzz.call("contiguous", f -> f.array().contiguous()),
          Fuzz.call("oneHot", f -> f.indices(f.smallShape(0, 2), 5).oneHot(f.integer())));

  @Property(tries = TRIES, seed = "14", shrinking = ShrinkingMode.OFF)
  void creation(@ForAll long seed) {
    fuzz("creation", CREATION, seed);
  }

  // ------------------------------------------------------------------ views

  static final List<Call> VIEWS =
      List.of(
          Fuzz.call("reshape", f -> f.array().reshape(f.shape())),
          Fuzz.call("reshape", f -> f.array().reshape(f.ints(3))),
          Fuzz.call("view", f -> f.array().view(f.shape())),
          Fuzz.call(
              "transpose",
              f -> {
                NDArray a = f.array();
                return a.transpose(f.dim(a.rank()), f.dim(a.rank()));
              }),
          Fuzz.call("t", f -> f.array().t()),
          Fuzz.call("mT", f -> f.array().mT()),
          Fuzz.call("permute", f -> f.array().permute(f.ints(4))),
          Fuzz.call("squeeze", f -> f.array().squeeze(f.integer())),
          Fuzz.call(
              "unsqueeze",
              f -> {
                NDArray a = f.array();
                return a.unsqueeze(f.dim(a.rank() + 1));
              }),
          Fuzz.call("expand", f -> f.array().expand(f.shape())),
          Fuzz.call("broadcastTo", f -> f.array().broadcastTo(f.shape())),
          Fuzz.call(
              "narrow",
              f -> {
                NDArray a = f.array(1, 4);
                int d = f.dim(a.rank());
                return a.narrow(d, f.integer(), f.integer());
              }),
          Fuzz.call(
              "slice",
              f -> {
                NDArray a = f.array(1, 4);
                return a.slice(f.dim(a.rank()), f.integer(), f.integer(), f.integer());
              }),
          Fuzz.call(
              "select",
              f -> {
                NDArray a = f.array();
                int d = f.dim(a.rank());
                return a.select(
                    d, f.index(a.rank() > 0 && d >= 0 && d < a.rank() ? a.shape(d) : 1));
              }),
          Fuzz.call("flatten", f -> f.array().flatten(f.integer(), f.integer())),
          Fuzz.call("cat", f -> NDArray.cat(f.integer(), arrays(f))),
          Fuzz.call("stack", f -> NDArray.stack(f.integer(), arrays(f))),
          Fuzz.call("split", f -> f.array().split(f.integer(), f.integer())),
          Fuzz.call("split", f -> f.array().split(f.ints(3), f.integer())),
          Fuzz.call("chunk", f -> f.array().chunk(f.integer(), f.integer())),
          Fuzz.call("getDouble|index", f -> f.array().getDouble(f.ints(4))),
          Fuzz.call("set|index|clone", f -> f.array().clone().set(f.number(), f.ints(4))),
          Fuzz.call("item", f -> f.array().item()),
          Fuzz.call("tril", f -> f.array().tril(f.integer())),
          Fuzz.call("triu", f -> f.array().triu(f.integer())));

  /** Zero to three arrays: often of one shape (but other dtypes), sometimes of any. */
  static NDArray[] arrays(Fuzz f) {
    NDArray[] a = new NDArray[f.small(0, 3)];
    int[] shape = f.smallShape(0, 3);
    for (int i = 0; i < a.length; i++) {
      a[i] = f.chance(0.6) ? f.array(f.dtype(), shape) : f.array();
    }
    return a;
  }

  @Property(tries = TRIES, seed = "14", shrinking = ShrinkingMode.OFF)
  void views(@ForAll long seed) {
    fuzz("views", VIEWS, seed);
  }

  // ------------------------------------------------------------------ binary, broadcasting

  /**
   * Two arrays whose shapes often broadcast (one a suffix of the other with ones) and often not.
   */
  static NDArray[] pair(Fuzz f) {
    NDArray a = f.array();
    int[] s = a.shape();
    int[] other;
    if (f.chance(0.6)) {
      int keep = f.pick(s.length + 1);
      other = new int[keep];
      for (int d = 0; d < keep; d++) {
        int size = s[s.length - keep + d];
        other[d] = f.coin() || size > 4 ? 1 : size;
      }
    } else {
      other = f.smallShape(0, 4);
    }
    NDArray b = f.array(f.dtype(), other);
    return f.coin() ? new NDArray[] {a, b} : new NDArray[] {b, a};
  }

  interface Binary {
    Object apply(NDArray a, NDArray b);
  }

  static Call binary(String op, Binary body) {
    return Fuzz.call(
        op,
        f -> {
          NDArray[] p = pair(f);
          return body.apply(p[0], p[1]);
        });
  }

  static final List<Call> BINARY =
      List.of(
          binary("add", NDArray::add),
          binary("sub", NDArray::sub),
          binary("mul", NDArray::mul),
          binary("div", NDArray::div),
          binary("pow", NDArray::pow),
          binary("maximum", NDArray::maximum),
          binary("minimum", NDArray::minimum),
          binary("eq", NDArray::eq),
          binary("ne", NDArray::ne),
          binary("lt", NDArray::lt),
          binary("le", NDArray::le),
          binary("gt", NDArray::gt),
          binary("ge", NDArray::ge),
          binary("where", (a, b) -> NDArray.where(a.gt(0), a, b)),
          binary("where", (a, b) -> NDArray.where(b, a, a)),
          binary("maskedFill", (a, b) -> a.maskedFill(b, 1.5)),
          binary("addInPlace|clone", (a, b) -> a.clone().addInPlace(b)),
          binary("addInPlace|clone", (a, b) -> a.clone().addInPlace(b, -2)),
          binary("subInPlace|clone", (a, b) -> a.clone().subInPlace(b)),
          binary("mulInPlace|clone", (a, b) -> a.clone().mulInPlace(b)),
          binary("divInPlace|clone", (a, b) -> a.clone().divInPlace(b)),
          binary("addcmulInPlace|clone", (a, b) -> a.clone().addcmulInPlace(b, b, 0.5)),
          binary("addcdivInPlace|clone", (a, b) -> a.clone().addcdivInPlace(a, b, 0.5)),
          binary("copyFrom|clone", (a, b) -> a.clone().copyFrom(b)),
          binary("addInPlace", (a, b) -> a.addInPlace(b)), // into a view, expanded ones included
          binary("allClose", (a, b) -> a.allClose(b, 1e-5, 1e-8)),
          binary("sumTo", (a, b) -> a.sumTo(b.shape())));

  @Property(tries = TRIES, seed = "14", shrinking = ShrinkingMode.OFF)
  void binaryAndBroadcasting(@ForAll long seed) {
    fuzz("binary and broadcasting", BINARY, seed);
  }

  // ------------------------------------------------------------------ unary

  static final List<Call> UNARY =
      List.of(
          Fuzz.call("neg", f -> f.array().neg()),
          Fuzz.call("abs", f -> f.array().abs()),
          Fuzz.call("sign", f -> f.array().sign()),
          Fuzz.call("exp", f -> f.array().exp()),
          Fuzz.call("log", f -> f.array().log()),
          Fuzz.call("log1p", f -> f.array().log1p()),
          Fuzz.call("expm1", f -> f.array().expm1()),
          Fuzz.call("sqrt", f -> f.array().sqrt()),
          Fuzz.call("rsqrt", f -> f.array().rsqrt()),
          Fuzz.call("square", f -> f.array().square()),
          Fuzz.call("reciprocal", f -> f.array().reciprocal()),
          Fuzz.call("sin", f -> f.array().sin()),
          Fuzz.call("cos", f -> f.array().cos()),
          Fuzz.call("tanh", f -> f.array().tanh()),
          Fuzz.call("sigmoid", f -> f.array().sigmoid()),
          Fuzz.call("relu", f -> f.array().relu()),
          Fuzz.call("gelu", f -> f.array().gelu()),
          Fuzz.call("geluTanh", f -> f.array().geluTanh()),
          Fuzz.call("erf", f -> f.array().erf()),
          Fuzz.call("softplus", f -> f.array().softplus()),
          Fuzz.call("clamp", f -> f.array().clamp(f.number(), f.number())),
          Fuzz.call("clampMin", f -> f.array().clampMin(f.number())),
          Fuzz.call("clampMax", f -> f.array().clampMax(f.number())),
          Fuzz.call("pow", f -> f.array().pow(f.number())),
          Fuzz.call("add", f -> f.array().add(f.number())),
          Fuzz.call("mul", f -> f.array().mul(f.number())),
          Fuzz.call("div", f -> f.array().div(f.number())),
          Fuzz.call("eq", f -> f.array().eq(f.number())),
          Fuzz.call("lt", f -> f.array().lt(f.number())),
          Fuzz.call("where", f -> NDArray.where(f.array(), f.number(), f.number())),
          Fuzz.call("fill|clone", f -> f.array().clone().fill(f.number())),
          Fuzz.call("mulInPlace|clone", f -> f.array().clone().mulInPlace(f.number())),
          Fuzz.call("addInPlace|clone", f -> f.array().clone().addInPlace(f.number())),
          Fuzz.call("divInPlace|clone", f -> f.array().clone().divInPlace(f.number())));

  @Property(tries = TRIES, seed = "14", shrinking = ShrinkingMode.OFF)
  void unary(@ForAll long seed) {
    fuzz("unary", UNARY, seed);
  }

  // ------------------------------------------------------------------ reductions

  static final List<Call> REDUCTIONS =
      List.of(
          Fuzz.call("sum", f -> f.array().sum()),
          Fuzz.call(
              "sum",
              f -> {
                NDArray a = f.array();
                return a.sum(f.dim(a.rank()), f.coin());
              }),
          Fuzz.call("sum", f -> f.array().sum(f.ints(3), f.coin())),
          Fuzz.call("mean", f -> f.array().mean()),
          Fuzz.call("mean", f -> f.array().mean(f.ints(3), f.coin())),
          Fuzz.call(
              "prod",
              f -> {
                NDArray a = f.array();
                return a.prod(f.dim(a.rank()), f.coin());
              }),
          Fuzz.call("var", f -> f.array().var(f.ints(2), f.integer(), f.coin())),
          Fuzz.call("std", f -> f.array().std(f.ints(2), f.integer(), f.coin())),
          Fuzz.call("max", f -> f.array().max()),
          Fuzz.call("min", f -> f.array().min()),
          Fuzz.call("amax", f -> f.array().amax(f.ints(2), f.coin())),
          Fuzz.call("amin", f -> f.array().amin(f.ints(2), f.coin())),
          Fuzz.call(
              "max",
              f -> {
                NDArray a = f.array();
                return a.max(f.dim(a.rank()), f.coin());
              }),
          Fuzz.call(
              "min",
              f -> {
                NDArray a = f.array();
                return a.min(f.dim(a.rank()), f.coin());
              }),
          Fuzz.call("argmax", f -> f.array().argmax()),
          Fuzz.call(
              "argmin",
              f -> {
                NDArray a = f.array();
                return a.argmin(f.dim(a.rank()), f.coin());
              }),
          Fuzz.call("norm", f -> f.array().norm(f.number(), f.ints(2), f.coin())),
          Fuzz.call("logsumexp", f -> f.array().logsumexp(f.ints(2), f.coin())),
          Fuzz.call(
              "softmax",
              f -> {
                NDArray a = f.array();
                return a.softmax(f.dim(a.rank()));
              }),
          Fuzz.call(
              "logSoftmax",
              f -> {
                NDArray a = f.array();
                return a.logSoftmax(f.dim(a.rank()));
              }),
          Fuzz.call("sumTo", f -> f.array().sumTo(f.shape())),
          Fuzz.call(
              "sort",
              f -> {
                NDArray a = f.array();
                return a.sort(f.dim(a.rank()), f.coin());
              }),
          Fuzz.call(
              "argsort",
              f -> {
                NDArray a = f.array();
                return a.argsort(f.dim(a.rank()), f.coin());
              }),
          Fuzz.call(
              "topk",
              f -> {
                NDArray a = f.array();
                return a.topk(f.integer(), f.dim(a.rank()), f.coin(), f.coin());
              }),
          Fuzz.call(
              "multinomial",
              f -> f.array(1, 2).multinomial(f.integer(), f.coin(), new Generator(3))));

  @Property(tries = TRIES, seed = "14", shrinking = ShrinkingMode.OFF)
  void reductions(@ForAll long seed) {
    fuzz("reductions", REDUCTIONS, seed);
  }

  // ------------------------------------------------------------------ matmul, linear algebra

  /** Shapes for a product: inner dims equal more often than not, ranks 0 to 4, batches varied. */
  static NDArray[] factors(Fuzz f) {
    int[] a = f.smallShape(0, 4);
    int[] b = f.smallShape(0, 4);
    if (a.length > 0 && b.length > 0 && f.chance(0.7)) {
      b[Math.max(0, b.length - 2)] = a[a.length - 1];
    }
    DType t = f.chance(0.7) ? (f.coin() ? DType.FLOAT32 : DType.FLOAT64) : f.dtype();
    return new NDArray[] {f.array(t, a), f.array(f.chance(0.8) ? t : f.dtype(), b)};
  }

  static final List<Call> LINEAR_ALGEBRA =
      List.of(
          Fuzz.call(
              "matmul",
              f -> {
                NDArray[] p = factors(f);
                return p[0].matmul(p[1]);
              }),
          Fuzz.call(
              "gemm",
              f -> {
                NDArray[] p = factors(f);
                NDArray c = f.array(f.dtype(), f.smallShape(0, 3));
                NDArray.gemm(f.coin(), f.coin(), f.number(), p[0], p[1], f.number(), c);
                return c;
              }),
          Fuzz.call(
              "baddbmm",
              f -> {
                NDArray[] p = factors(f);
                return NDArray.baddbmm(f.array(), p[0], p[1], f.number(), f.number());
              }));

  @Property(tries = TRIES, seed = "14", shrinking = ShrinkingMode.OFF)
  void matmulAndLinearAlgebra(@ForAll long seed) {
    fuzz("matmul and linear algebra", LINEAR_ALGEBRA, seed);
  }

  // ------------------------------------------------------------------ indexing

  /** An index for {@code a} along a drawn dim: a's shape or another, positions sometimes out. */
  static NDArray indexFor(Fuzz f, NDArray a, int dim) {
    int size = dim >= -a.rank() && dim < a.rank() && a.rank() > 0 ? a.shape(dim) : 3;
    int[] shape = f.chance(0.6) ? a.shape() : f.smallShape(0, 3);
    for (int s : shape) {
      if (s > 4) {
        shape = f.smallShape(0, 3); // no index as large as a huge expanded dim
        break;
      }
    }
    return f.indices(shape, size);
  }

  static final List<Call> INDEXING =
      List.of(
          Fuzz.call(
              "gather",
              f -> {
                NDArray a = f.array();
                int d = f.dim(a.rank());
                return a.gather(d, indexFor(f, a, d));
              }),
          Fuzz.call(
              "scatterAdd",
              f -> {
                NDArray a = f.array();
                int d = f.dim(a.rank());
                NDArray index = indexFor(f, a, d);
                NDArray src = f.chance(0.7) ? f.arrayLike(a.dtype(), index.shape()) : f.array();
                return a.scatterAdd(d, index, src);
              }),
          Fuzz.call(
              "scatterAddInPlace|clone",
              f -> {
                NDArray a = f.array().clone();
                int d = f.dim(a.rank());
                NDArray index = indexFor(f, a, d);
                return a.scatterAddInPlace(d, index, f.arrayLike(f.dtype(), index.shape()));
              }),
          Fuzz.call(
              "indexSelect",
              f -> {
                NDArray a = f.array();
                int d = f.dim(a.rank());
                int size = d >= -a.rank() && d < a.rank() && a.rank() > 0 ? a.shape(d) : 3;
                return a.indexSelect(d, f.indices(f.smallShape(0, 2), size));
              }),
          Fuzz.call(
              "indexAdd|indexAddInPlace|clone",
              f -> {
                NDArray a = f.array(1, 3);
                int d = f.dim(a.rank());
                int size = d >= -a.rank() && d < a.rank() ? a.shape(d) : 3;
                NDArray index = f.indices(f.smallShape(0, 1), size);
                int[] srcShape = a.shape().clone();
                if (d >= -a.rank() && d < a.rank() && index.rank() == 1 && f.chance(0.7)) {
                  srcShape[Math.floorMod(d, a.rank())] = index.shape(0);
                }
                return f.coin()
                    ? a.indexAdd(d, index, f.arrayLike(a.dtype(), srcShape))
                    : a.clone().indexAddInPlace(d, index, f.arrayLike(f.dtype(), srcShape));
              }),
          Fuzz.call("oneHot", f -> f.indices(f.smallShape(0, 2), 4).oneHot(f.integer())),
          Fuzz.call("maskedFill", f -> f.array().maskedFill(f.array(), f.number())));

  @Property(tries = TRIES, seed = "14", shrinking = ShrinkingMode.OFF)
  void indexingGatherScatter(@ForAll long seed) {
    fuzz("indexing, gather, scatter", INDEXING, seed);
  }

  // ------------------------------------------------------------------ convolution, pooling

  /** Pair arguments (stride, padding, …): mostly two small values, sometimes hostile or 1 or 3. */
  static int[] pair2(Fuzz f, int lo, int hi) {
    if (f.chance(0.8)) {
      int a = f.small(lo, hi);
      return f.remember(new int[] {a, f.coin() ? a : f.small(lo, hi)});
    }
    return f.ints(3);
  }

  static NDArray image(Fuzz f) {
    return f.chance(0.85)
        ? f.array(f.chance(0.8) ? DType.FLOAT32 : f.dtype(), f.smallShape(3, 4))
        : f.array();
  }

  static NDArray kernel(Fuzz f, NDArray x) {
    int c = x.rank() >= 3 ? x.shape(x.rank() - 3) : 1;
    if (f.chance(0.7) && c <= 4) {
      return f.array(
          f.chance(0.8) ? x.dtype() : f.dtype(),
          new int[] {f.small(1, 3), c, f.small(1, 3), f.small(1, 3)});
    }
    return f.array();
  }

  static final List<Call> CONV_POOL =
      List.of(
          Fuzz.call(
              "conv2d",
              f -> {
                NDArray x = image(f);
                NDArray w = kernel(f, x);
                NDArray b = f.coin() ? null : f.array(w.dtype(), new int[] {f.small(0, 3)});
                return x.conv2d(
                    w,
                    b,
                    pair2(f, 1, 2),
                    pair2(f, 0, 2),
                    pair2(f, 1, 2),
                    f.chance(0.8) ? 1 : f.integer());
              }),
          Fuzz.call(
              "convTranspose2d",
              f -> {
                NDArray x = image(f);
                NDArray w = kernel(f, x);
                return x.convTranspose2d(
                    w,
                    null,
                    pair2(f, 1, 2),
                    pair2(f, 0, 2),
                    pair2(f, 0, 1),
                    f.chance(0.8) ? 1 : f.integer(),
                    pair2(f, 1, 2));
              }),
          Fuzz.call(
              "conv2dWeightCorrelation",
              f -> {
                NDArray x = image(f);
                NDArray y = image(f);
                return x.conv2dWeightCorrelation(
                    y, pair2(f, 1, 3), pair2(f, 1, 2), pair2(f, 0, 1), pair2(f, 1, 2), 1);
              }),
          Fuzz.call(
              "maxPool2d",
              f ->
                  image(f)
                      .maxPool2d(
                          pair2(f, 1, 3),
                          pair2(f, 1, 2),
                          pair2(f, 0, 1),
                          pair2(f, 1, 2),
                          f.coin())),
          Fuzz.call(
              "avgPool2d",
              f ->
                  image(f)
                      .avgPool2d(
                          pair2(f, 1, 3), pair2(f, 1, 2), pair2(f, 0, 1), f.coin(), f.coin())),
          Fuzz.call(
              "avgPool2dAdjoint",
              f ->
                  image(f)
                      .avgPool2dAdjoint(
                          f.small(0, 6),
                          f.chance(0.8) ? f.small(0, 6) : f.integer(),
                          pair2(f, 1, 3),
                          pair2(f, 1, 2),
                          pair2(f, 0, 1),
                          f.coin(),
                          f.coin())),
          Fuzz.call(
              "adaptiveAvgPool2d",
              f ->
                  image(f)
                      .adaptiveAvgPool2d(f.integer(), f.chance(0.7) ? f.small(0, 4) : f.integer())),
          Fuzz.call(
              "adaptiveAvgPool2dAdjoint",
              f ->
                  image(f)
                      .adaptiveAvgPool2dAdjoint(
                          f.small(0, 6), f.chance(0.7) ? f.small(0, 6) : f.integer())));

  @Property(tries = TRIES, seed = "14", shrinking = ShrinkingMode.OFF)
  void convolutionAndPooling(@ForAll long seed) {
    fuzz("convolution and pooling", CONV_POOL, seed);
  }

  // ------------------------------------------------------------------ norms

  /** The trailing dims of x (a suffix), sometimes another shape. */
  static int[] normalized(Fuzz f, NDArray x) {
    if (f.chance(0.7) && x.rank() > 0) {
      int k = 1 + f.pick(x.rank());
      return f.remember(java.util.Arrays.copyOfRange(x.shape(), x.rank() - k, x.rank()));
    }
    return f.shape();
  }

  static NDArray affine(Fuzz f, int[] shape) {
    if (f.chance(0.3)) {
      return null;
    }
    boolean fits = true;
    for (int s : shape) {
      fits &= s >= 0 && s <= 4;
    }
    return fits && f.chance(0.7) ? f.array(f.dtype(), shape) : f.array();
  }

  static final List<Call> NORMS =
      List.of(
          Fuzz.call(
              "layerNorm",
              f -> {
                NDArray x = f.array();
                int[] n = normalized(f, x);
                return x.layerNorm(n, affine(f, n), affine(f, n), f.number());
              }),
          Fuzz.call(
              "rmsNorm",
              f -> {
                NDArray x = f.array();
                int[] n = normalized(f, x);
                return x.rmsNorm(n, affine(f, n), f.number());
              }),
          Fuzz.call("channelMoments", f -> f.array().channelMoments()),
          Fuzz.call(
              "channelNormalize",
              f -> {
                NDArray x = f.array(f.chance(0.8) ? 2 : 0, 4);
                int[] c = {x.rank() >= 2 ? x.shape(1) : f.small(0, 3)};
                if (c[0] > 4) {
                  c[0] = f.small(1, 3);
                }
                return x.channelNormalize(
                    f.array(f.dtype(), c), f.array(f.dtype(), c), affine(f, c), affine(f, c));
              }));

  @Property(tries = TRIES, seed = "14", shrinking = ShrinkingMode.OFF)
  void norms(@ForAll long seed) {
    fuzz("norms", NORMS, seed);
  }

  // ------------------------------------------------------------------ attention, sequences

  static final List<Call> ATTENTION =
      List.of(
          Fuzz.call(
              "scaledDotProductAttention",
              f -> {
                int[] q = f.smallShape(2, 4);
                int[] k = q.clone();
                if (f.chance(0.7)) {
                  k[k.length - 2] = f.small(0, 4);
                } else {
                  k = f.smallShape(0, 4);
                }
                int[] v = k.clone();
                if (v.length > 0 && f.chance(0.3)) {
                  v[v.length - 1] = f.small(0, 4);
                }
                DType t = f.chance(0.8) ? DType.FLOAT32 : f.dtype();
                NDArray mask = null;
                if (f.coin()) {
                  mask =
                      f.array(
                          f.coin() ? DType.INT32 : f.dtype(),
                          k.length >= 2 && f.chance(0.7)
                              ? new int[] {q[q.length - 2], k[k.length - 2]}
                              : f.smallShape(0, 3));
                }
                return NDArray.scaledDotProductAttention(
                    f.array(t, q),
                    f.array(f.chance(0.9) ? t : f.dtype(), k),
                    f.array(t, v),
                    mask,
                    f.coin(),
                    f.number());
              }),
          Fuzz.call(
              "tril",
              f -> {
                NDArray a = f.array(2, 3);
                return a.tril(f.integer());
              }),
          Fuzz.call("split", f -> f.array(1, 3).split(f.small(-1, 3), f.integer())),
          Fuzz.call(
              "topk",
              f -> {
                NDArray a = f.array(1, 3);
                return a.topk(f.small(-1, 5), f.dim(a.rank()), f.coin(), true);
              }));

  @Property(tries = TRIES, seed = "14", shrinking = ShrinkingMode.OFF)
  void attentionAndSequenceOps(@ForAll long seed) {
    fuzz("attention and sequence ops", ATTENTION, seed);
  }
}
