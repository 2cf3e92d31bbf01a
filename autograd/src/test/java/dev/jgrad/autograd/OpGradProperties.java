package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.kernel.Shapes;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every differentiable op passes GradCheck, first and second order, on random small shapes
 * (broadcast pairs for binary ops), FLOAT64 values in the op's domain, and non-contiguous inputs:
 * the gradient formulas of {@code ArithmeticRules}, {@code PointwiseRules}, {@code
 * ActivationRules}, {@code ReductionRules}, {@code LinearAlgebraRules}, {@code ViewRules}, {@code
 * IndexingRules}, {@code LossRules} and {@code NormalizationRules}. (FLOAT64 operands take the
 * composed formulas of the {@link FusedFormula}s; their fused kernels are checked against those bit
 * for bit by {@code FusedFormulaProperties}.)
 */
class OpGradProperties {
  /**
   * Generated cases each op sees per run (issue #14: at least 50 per op family; the enum-driven
   * properties run every op of their enum on each case, so each op sees all of them).
   */
  static final int PER_OP = 50;

  /** How an input is laid out: contiguous, or a transposed view of a contiguous array. */
  enum Layout {
    CONTIGUOUS,
    TRANSPOSED
  }

  @Provide
  Arbitrary<int[]> shapes() {
    return Arbitraries.integers()
        .between(1, 4)
        .list()
        .ofMinSize(0)
        .ofMaxSize(3)
        .map(l -> l.stream().mapToInt(Integer::intValue).toArray())
        .filter(s -> numel(s) <= 24);
  }

  @Provide
  Arbitrary<int[]> nonScalarShapes() {
    return shapes().filter(s -> s.length >= 1);
  }

  static int numel(int[] s) {
    int n = 1;
    for (int v : s) {
      n *= v;
    }
    return n;
  }

  /** A leaf of the shape with uniform values in [lo, hi), possibly a transposed view. */
  static Tensor leaf(int[] shape, Layout layout, long seed, double lo, double hi) {
    Generator g = new Generator(seed);
    if (layout == Layout.TRANSPOSED && shape.length >= 2) {
      int[] swapped = shape.clone();
      swapped[0] = shape[1];
      swapped[1] = shape[0];
      NDArray base = NDArray.rand(g, DType.FLOAT64, swapped).mul(hi - lo).add(lo);
      return new Tensor(base.transpose(0, 1)).requiresGrad(true);
    }
    NDArray a = NDArray.rand(g, DType.FLOAT64, shape).mul(hi - lo).add(lo);
    return new Tensor(a).requiresGrad(true);
  }

  /** Shapes that broadcast with {@code s}: a suffix of it with some sizes set to 1. */
  static int[] partner(int[] s, long bits) {
    int keep = (int) Math.floorMod(bits, (long) s.length + 1);
    int[] other = new int[keep];
    for (int d = 0; d < keep; d++) {
      other[d] = ((bits >>> (d + 3)) & 1) == 1 ? 1 : s[s.length - keep + d];
    }
    return other;
  }

  static void assertGradients(String what, Function<Tensor[], Tensor> f, Tensor... inputs) {
    GradCheck.Report first = GradCheck.firstOrder(f, inputs);
    assertTrue(first.passed(), () -> what + ": " + first);
    GradCheck.Report second = GradCheck.secondOrder(f, inputs);
    assertTrue(second.passed(), () -> what + ": " + second);
  }

  enum Unary {
    NEG(-2, 2, Tensor::neg),
    ABS(-2, 2, Tensor::abs),
    EXP(-2, 2, Tensor::exp),
    LOG(0.5, 2, Tensor::log),
    LOG1P(-0.5, 2, Tensor::log1p),
    EXPM1(-2, 2, Tensor::expm1),
    SQRT(0.5, 2, Tensor::sqrt),
    RSQRT(0.5, 2, Tensor::rsqrt),
    SQUARE(-2, 2, Tensor::square),
    RECIPROCAL(0.5, 2, Tensor::reciprocal),
    SIN(-2, 2, Tensor::sin),
    COS(-2, 2, Tensor::cos),
    TANH(-2, 2, Tensor::tanh),
    SIGMOID(-3, 3, Tensor::sigmoid),
    RELU(-2, 2, Tensor::relu),
    ERF(-2, 2, Tensor::erf),
    GELU(-3, 3, Tensor::gelu),
    GELU_TANH(-3, 3, Tensor::geluTanh),
    SOFTPLUS(-3, 3, Tensor::softplus),
    CLAMP(-2, 2, t -> t.clamp(-1, 1)),
    CLAMP_MIN(-2, 2, t -> t.clampMin(-0.5)),
    CLAMP_MAX(-2, 2, t -> t.clampMax(0.5)),
    POW_SCALAR(0.5, 2, t -> t.pow(2.5)),
    POW_INT(-2, 2, t -> t.pow(3)),
    MUL_SCALAR(-2, 2, t -> t.mul(-1.5).add(2).sub(1).div(4)),
    TO_FLOAT64_VIA_SELF(-2, 2, t -> t.to(DType.FLOAT64).contiguous().cloneTensor());

    final double lo;
    final double hi;
    final Function<Tensor, Tensor> op;

    Unary(double lo, double hi, Function<Tensor, Tensor> op) {
      this.lo = lo;
      this.hi = hi;
      this.op = op;
    }
  }

  /** Every unary op on each of the 50 generated cases (shape, layout, values). */
  @Property(tries = PER_OP)
  void unaryOpsPassGradCheck(
      @ForAll("shapes") int[] shape, @ForAll Layout layout, @ForAll long seed) {
    for (Unary op : Unary.values()) {
      Tensor x = leaf(shape, layout, seed, op.lo, op.hi);
      assertGradients(op.name() + " " + Shapes.toString(shape), in -> op.op.apply(in[0]), x);
    }
  }

  enum Binary {
    ADD(-2, 2, Tensor::add),
    SUB(-2, 2, Tensor::sub),
    MUL(-2, 2, Tensor::mul),
    DIV(0.5, 2, Tensor::div),
    POW(0.5, 2, Tensor::pow),
    MAXIMUM(-2, 2, Tensor::maximum),
    MINIMUM(-2, 2, Tensor::minimum),
    WHERE(-2, 2, (a, b) -> Tensor.where(a.gt(b.mul(0.5)), a, b));

    final double lo;
    final double hi;
    final java.util.function.BinaryOperator<Tensor> op;

    Binary(double lo, double hi, java.util.function.BinaryOperator<Tensor> op) {
      this.lo = lo;
      this.hi = hi;
      this.op = op;
    }
  }

  /** Every binary op on each of the 50 generated cases (broadcast pair, layout, values). */
  @Property(tries = PER_OP)
  void binaryOpsPassGradCheckWhileBroadcasting(
      @ForAll("shapes") int[] shape,
      @ForAll long bits,
      @ForAll boolean swap,
      @ForAll Layout layout,
      @ForAll long seed) {
    int[] other = partner(shape, bits);
    for (Binary op : Binary.values()) {
      Tensor a = leaf(swap ? other : shape, layout, seed, op.lo, op.hi);
      Tensor b = leaf(swap ? shape : other, Layout.CONTIGUOUS, seed + 1, op.lo, op.hi);
      assertGradients(op.name(), in -> op.op.apply(in[0], in[1]), a, b);
    }
  }

  /** The fused linear layer, with and without a bias, against its three inputs. */
  @Property(tries = 60)
  void linearPassesGradCheck(
      @ForAll("dims") int m,
      @ForAll("dims") int k,
      @ForAll("dims") int n,
      @ForAll boolean withBias,
      @ForAll Layout layout,
      @ForAll long seed) {
    Tensor x = leaf(new int[] {m, k}, layout, seed, -2, 2);
    Tensor w = leaf(new int[] {n, k}, Layout.CONTIGUOUS, seed + 1, -2, 2);
    if (withBias) {
      Tensor b = leaf(new int[] {n}, Layout.CONTIGUOUS, seed + 2, -2, 2);
      assertGradients("linear", in -> in[0].linear(in[1], in[2]), x, w, b);
    } else {
      assertGradients("linear", in -> in[0].linear(in[1], null), x, w);
    }
  }

  /**
   * Both inputs of the fused binary cross-entropy, the target too (its gradient is rarely used).
   */
  @Property(tries = 60)
  void binaryCrossEntropyPassesGradCheck(
      @ForAll("shapes") int[] shape, @ForAll Layout layout, @ForAll long seed) {
    Tensor p = leaf(shape, layout, seed, 0.05, 0.95);
    Tensor y = leaf(shape, Layout.CONTIGUOUS, seed + 1, 0, 1);
    assertGradients("binaryCrossEntropy", in -> in[0].binaryCrossEntropy(in[1]), p, y);
  }

  enum Reduction {
    SUM_ALL(t -> t.sum()),
    SUM_DIM(t -> t.sum(-1, false)),
    SUM_KEEP(t -> t.sum(new int[] {0}, true)),
    MEAN_ALL(t -> t.mean()),
    MEAN_DIM(t -> t.mean(0, false)),
    AMAX(t -> t.amax(new int[] {-1}, false)),
    AMIN(t -> t.amin(new int[] {0}, true)),
    MAX_ALL(t -> t.max()),
    MIN_ALL(t -> t.min()),
    MEAN_KEEP(t -> t.mean(new int[] {-1}, true)),
    MAX_DIM(t -> t.max(0, true).values()),
    MIN_DIM(t -> t.min(-1, false).values()),
    VAR(t -> t.numel() > 1 ? t.var() : t.sum()),
    STD(t -> t.shape(-1) > 1 ? t.std(new int[] {-1}, 1, false) : t.sum()),
    NORM(t -> t.norm()),
    NORM_3(t -> t.norm(3, new int[] {0}, true)),
    LOGSUMEXP(t -> t.logsumexp(-1, false)),
    SOFTMAX(t -> t.softmax(-1)),
    SOFTMAX_DIM0(t -> t.softmax(0)),
    LOG_SOFTMAX(t -> t.logSoftmax(-1)),
    SUM_TO(t -> t.sumTo(t.shape(-1))),
    PROD_DIM(t -> t.prod(-1, false)),
    PROD_ALL(t -> t.numel() <= 8 ? t.prod() : t.sum()),
    MATMUL_SELF_T(t -> t.dim() >= 2 ? t.matmul(t.mT()) : t.matmul(t));

    final Function<Tensor, Tensor> op;

    Reduction(Function<Tensor, Tensor> op) {
      this.op = op;
    }
  }

  /** Every op of the family on each of the 50 generated cases (shape, layout, values). */
  @Property(tries = PER_OP)
  void reductionsAndSoftmaxPassGradCheck(
      @ForAll("nonScalarShapes") int[] shape, @ForAll Layout layout, @ForAll long seed) {
    Tensor x = leaf(shape, layout, seed, -2, 2);
    for (Reduction op : Reduction.values()) {
      assertGradients(op.name() + " " + Shapes.toString(shape), in -> op.op.apply(in[0]), x);
    }
  }

  @Property(tries = 60)
  void matmulPassesGradCheckForAllRanks(
      @ForAll("dims") int m,
      @ForAll("dims") int k,
      @ForAll("dims") int n,
      @ForAll int rankSeed,
      @ForAll Layout layout,
      @ForAll long seed) {
    int kind = Math.floorMod(rankSeed, 5);
    int[] sa;
    int[] sb;
    switch (kind) {
      case 0:
        sa = new int[] {m, k};
        sb = new int[] {k, n};
        break;
      case 1:
        sa = new int[] {k};
        sb = new int[] {k, n};
        break;
      case 2:
        sa = new int[] {m, k};
        sb = new int[] {k};
        break;
      case 3:
        sa = new int[] {k};
        sb = new int[] {k};
        break;
      default:
        sa = new int[] {2, m, k};
        sb = new int[] {k, n};
        break;
    }
    Tensor a = leaf(sa, layout, seed, -1, 1);
    Tensor b = leaf(sb, Layout.CONTIGUOUS, seed + 1, -1, 1);
    assertGradients("matmul " + kind, in -> in[0].matmul(in[1]), a, b);
    if (kind == 0) {
      Tensor bt = leaf(new int[] {n, k}, layout, seed + 2, -1, 1);
      assertGradients("matmulT", in -> in[0].matmulT(in[1]), a, bt);
    }
  }

  @Provide
  Arbitrary<Integer> dims() {
    return Arbitraries.integers().between(1, 4);
  }

  enum View {
    RESHAPE(t -> t.reshape(-1)),
    TRANSPOSE(t -> t.dim() >= 2 ? t.transpose(0, -1).mul(t.transpose(0, -1)) : t.mul(t)),
    PERMUTE(t -> reverse(t).square()),
    SQUEEZE_UNSQUEEZE(t -> t.unsqueeze(0).unsqueeze(-1).squeeze(-1).squeeze().square()),
    EXPAND(t -> t.unsqueeze(0).expand(withLeading(3, t.shape())).reshape(-1).square()),
    SLICE(t -> t.slice(-1, 0, t.shape(-1), 2).square()),
    NARROW(t -> t.narrow(0, t.shape(0) - 1, 1).exp()),
    SELECT(t -> t.select(-1, 0).square()),
    FLATTEN(t -> t.flatten().square()),
    FLATTEN_RANGE(t -> t.flatten(0, -1).square()),
    VIEW(t -> t.contiguous().view(-1).square()),
    SQUEEZE_DIM(t -> t.unsqueeze(1).squeeze(1).square()),
    CAT(t -> Tensor.cat(0, t, t.square(), t.exp())),
    STACK(t -> Tensor.stack(-1, t, t.sin())),
    GATHER(t -> t.gather(-1, indicesFor(t, -1)).square()),
    SCATTER_ADD(t -> t.scatterAdd(-1, indicesFor(t, -1), t.square())),
    INDEX_SELECT(t -> t.indexSelect(0, Tensor.ofInts(0, t.shape(0) - 1, 0)).square()),
    MASKED_FILL(t -> t.square().maskedFill(t.gt(0), 0.5));

    final Function<Tensor, Tensor> op;

    View(Function<Tensor, Tensor> op) {
      this.op = op;
    }
  }

  static int[] withLeading(int size, int[] shape) {
    int[] s = new int[shape.length + 1];
    s[0] = size;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
  }

  static Tensor reverse(Tensor t) {
    int[] order = new int[t.dim()];
    for (int i = 0; i < order.length; i++) {
      order[i] = order.length - 1 - i;
    }
    return t.permute(order);
  }

  /** An INT32 index of t's shape whose entries along dim cycle through valid positions. */
  static Tensor indicesFor(Tensor t, int dim) {
    int[] shape = t.shape();
    int d = Math.floorMod(dim, shape.length);
    int[] v = new int[numel(shape)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (i * 7 + 3) % shape[d];
    }
    return new Tensor(NDArray.fromArray(v, shape));
  }

  /** Every op of the family on each of the 50 generated cases (shape, layout, values). */
  @Property(tries = PER_OP)
  void viewsAndIndexingPassGradCheck(
      @ForAll("nonScalarShapes") int[] shape, @ForAll Layout layout, @ForAll long seed) {
    Tensor x = leaf(shape, layout, seed, -2, 2);
    for (View op : View.values()) {
      assertGradients(op.name() + " " + Shapes.toString(shape), in -> op.op.apply(in[0]), x);
    }
  }

  // ------------------------------------------------------------------ sequence models (#12)

  enum Sequence {
    SPLIT(t -> Tensor.cat(-1, scaled(t.split(2, -1)))),
    SPLIT_SIZES(t -> Tensor.cat(0, scaled(t.split(new int[] {1, t.shape(0) - 1}, 0)))),
    CHUNK(t -> Tensor.cat(-1, scaled(t.chunk(3, -1)))),
    TRIL(t -> atLeast2d(t).tril(0).square()),
    TRIU(t -> atLeast2d(t).triu(1).mul(atLeast2d(t))),
    TRIL_BELOW(t -> atLeast2d(t).tril(-1).exp()),
    MASKED_FILL_BROADCAST(t -> t.mul(t).maskedFill(lastDimMask(t), -0.5)),
    SORT(t -> t.sort(-1, true).values().mul(weights(t.shape(-1)))),
    SORT_ASCENDING(t -> t.sort(0, false).values().square()),
    TOPK(t -> t.topk(Math.min(2, t.shape(-1)), -1, true, true).values().exp()),
    TOPK_SMALLEST(t -> t.topk(1, 0, false, true).values().square());

    final Function<Tensor, Tensor> op;

    Sequence(Function<Tensor, Tensor> op) {
      this.op = op;
    }
  }

  /** Piece i times (i + 1), so that a piece landing in the wrong slice changes the gradient. */
  static Tensor[] scaled(java.util.List<Tensor> pieces) {
    Tensor[] out = new Tensor[pieces.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = pieces.get(i).mul(pieces.get(i)).mul(i + 1);
    }
    return out;
  }

  static Tensor atLeast2d(Tensor t) {
    return t.dim() >= 2 ? t : t.unsqueeze(0);
  }

  /** A mask of the last dim only ([n]), broadcast over the others: every other position set. */
  static Tensor lastDimMask(Tensor t) {
    int n = t.shape(-1);
    int[] v = new int[n];
    for (int i = 0; i < n; i += 2) {
      v[i] = 1;
    }
    return new Tensor(NDArray.fromArray(v, n));
  }

  /** 1, 2, …, n in FLOAT64: distinct weights per sorted position. */
  static Tensor weights(int n) {
    return new Tensor(NDArray.arange(1, n + 1).to(DType.FLOAT64));
  }

  /** Every op of the family on each of the 50 generated cases (shape, layout, values). */
  @Property(tries = PER_OP)
  void sequenceOpsPassGradCheck(
      @ForAll("nonScalarShapes") int[] shape, @ForAll Layout layout, @ForAll long seed) {
    Tensor x = leaf(shape, layout, seed, -2, 2);
    for (Sequence op : Sequence.values()) {
      assertGradients(op.name() + " " + Shapes.toString(shape), in -> op.op.apply(in[0]), x);
    }
  }

  @Property(tries = PER_OP)
  void indexAddPassesGradCheckForBothInputs(
      @ForAll("nonScalarShapes") int[] shape, @ForAll Layout layout, @ForAll long seed) {
    Tensor x = leaf(shape, layout, seed, -2, 2);
    int[] srcShape = shape.clone();
    srcShape[0] = 3;
    Tensor src = leaf(srcShape, Layout.CONTIGUOUS, seed + 1, -2, 2);
    Tensor index = Tensor.ofInts(shape[0] - 1, 0, shape[0] - 1); // a repeat accumulates
    assertGradients("indexAdd", in -> in[0].indexAdd(0, index, in[1].square()).square(), x, src);
  }

  @Property(tries = PER_OP)
  void baddbmmPassesGradCheckForItsThreeInputs(
      @ForAll("dims") int n,
      @ForAll("dims") int m,
      @ForAll("dims") int p,
      @ForAll boolean broadcastInput,
      @ForAll Layout layout,
      @ForAll long seed) {
    Tensor input = leaf(broadcastInput ? new int[] {p} : new int[] {2, n, p}, layout, seed, -1, 1);
    Tensor b1 = leaf(new int[] {2, n, m}, layout, seed + 1, -1, 1);
    Tensor b2 = leaf(new int[] {2, m, p}, Layout.CONTIGUOUS, seed + 2, -1, 1);
    assertGradients(
        "baddbmm", in -> Tensor.baddbmm(in[0], in[1], in[2], 0.5, -1.5).square(), input, b1, b2);
  }

  /**
   * Attention scores: q [B, H, T, D] times k.transpose(-2, -1), both heads-first views of [B, T, H,
   * D] leaves, without copies, and the scores times v.
   */
  @Property(tries = PER_OP)
  void attentionProductsOfTransposedViewsPassGradCheck(
      @ForAll("dims") int t, @ForAll("dims") int d, @ForAll long seed) {
    Tensor q = leaf(new int[] {2, t, 2, d}, Layout.CONTIGUOUS, seed, -1, 1);
    Tensor k = leaf(new int[] {2, t, 2, d}, Layout.CONTIGUOUS, seed + 1, -1, 1);
    Tensor v = leaf(new int[] {2, t, 2, d}, Layout.CONTIGUOUS, seed + 2, -1, 1);
    assertGradients(
        "q @ kT @ v",
        in ->
            in[0]
                .transpose(1, 2)
                .matmul(in[1].transpose(1, 2).transpose(-2, -1))
                .matmul(in[2].transpose(1, 2)),
        q,
        k,
        v);
  }

  @Property(tries = 60)
  void layerNormAndRmsNormPassGradCheck(
      @ForAll("nonScalarShapes") int[] shape,
      @ForAll int kSeed,
      @ForAll boolean rms,
      @ForAll boolean affine,
      @ForAll Layout layout,
      @ForAll long seed) {
    int k = 1 + Math.floorMod(kSeed, shape.length);
    int[] normalized = java.util.Arrays.copyOfRange(shape, shape.length - k, shape.length);
    Tensor x = leaf(shape, layout, seed, -2, 2);
    Tensor w = leaf(normalized, Layout.CONTIGUOUS, seed + 1, 0.5, 2);
    Tensor b = leaf(normalized, Layout.CONTIGUOUS, seed + 2, -1, 1);
    double eps = 0.1; // keeps rows of nearly equal values well-conditioned for finite differences
    if (rms) {
      if (affine) {
        assertGradients("rmsNorm", in -> in[0].rmsNorm(normalized, in[1], eps), x, w);
      } else {
        assertGradients("rmsNorm", in -> in[0].rmsNorm(normalized, null, eps), x);
      }
    } else if (affine) {
      assertGradients("layerNorm", in -> in[0].layerNorm(normalized, in[1], in[2], eps), x, w, b);
    } else {
      assertGradients("layerNorm", in -> in[0].layerNorm(normalized, null, null, eps), x);
    }
  }

  /**
   * Batch norm per channel of an (N, C, …) input: training (batch statistics, the fused-kernel
   * path's formulas) and evaluation (given statistics), with and without weight and bias, on
   * contiguous and non-contiguous inputs; first and second order.
   */
  @Property(tries = PER_OP)
  void batchNormPassesGradCheck(
      @ForAll("nonScalarShapes") int[] drawn,
      @ForAll boolean training,
      @ForAll boolean affine,
      @ForAll Layout layout,
      @ForAll long seed) {
    int[] shape = drawn.length >= 2 ? drawn : new int[] {3, drawn[0]};
    if (Shapes.numel(shape) / shape[1] < 2) {
      shape = shape.clone();
      shape[0] = 2;
    }
    int[] c = {shape[1]};
    Tensor x = leaf(shape, layout, seed, -2, 2);
    Tensor w = leaf(c, Layout.CONTIGUOUS, seed + 1, 0.5, 2);
    Tensor b = leaf(c, Layout.CONTIGUOUS, seed + 2, -1, 1);
    Tensor mean = new Tensor(NDArray.rand(new Generator(seed + 3), DType.FLOAT64, c));
    Tensor var = new Tensor(NDArray.rand(new Generator(seed + 4), DType.FLOAT64, c).add(0.5));
    double eps = 0.1; // keeps channels of nearly equal values well-conditioned
    Tensor rm = training ? null : mean;
    Tensor rv = training ? null : var;
    String what = (training ? "batchNorm training " : "batchNorm eval ") + Shapes.toString(shape);
    if (affine) {
      assertGradients(
          what, in -> in[0].batchNorm(rm, rv, in[1], in[2], training, 0.1, eps), x, w, b);
    } else {
      assertGradients(what, in -> in[0].batchNorm(rm, rv, null, null, training, 0.1, eps), x);
    }
  }

  /**
   * The per-channel moments that batch norm's gradient formulas are built on (recorded as
   * "ChannelMoments"), weighted so that the mean and the variance rows both matter.
   */
  @Property(tries = 20)
  void channelMomentsPassGradCheck(
      @ForAll("nonScalarShapes") int[] drawn, @ForAll Layout layout, @ForAll long seed) {
    int[] shape = drawn.length >= 2 ? drawn : new int[] {3, drawn[0]};
    Tensor x = leaf(shape, layout, seed, -2, 2);
    Tensor weights = new Tensor(NDArray.rand(new Generator(seed + 1), DType.FLOAT64, 2, shape[1]));
    assertGradients(
        "channelMoments " + Shapes.toString(shape),
        in -> NormalizationRules.channelMoments(in[0]).mul(weights).sum(),
        x);
  }

  /**
   * Causal self-attention end to end: heads-first views of q, k, v [B, T, H, D], scores q·kᵀ/√D
   * masked by a [T, T] upper triangle broadcast over [B, H, T, T], softmax, times v.
   */
  @Property(tries = 20)
  void causalAttentionPassesGradCheck(
      @ForAll("dims") int t, @ForAll("dims") int d, @ForAll long seed) {
    Tensor q = leaf(new int[] {2, t, 2, d}, Layout.CONTIGUOUS, seed, -1, 1);
    Tensor k = leaf(new int[] {2, t, 2, d}, Layout.CONTIGUOUS, seed + 1, -1, 1);
    Tensor v = leaf(new int[] {2, t, 2, d}, Layout.CONTIGUOUS, seed + 2, -1, 1);
    Tensor future = new Tensor(NDArray.ones(DType.INT32, t, t).triu(1));
    assertGradients(
        "causal attention",
        in -> {
          Tensor scores =
              in[0]
                  .transpose(1, 2)
                  .matmul(in[1].transpose(1, 2).transpose(-2, -1))
                  .div(Math.sqrt(d));
          Tensor p = scores.maskedFill(future, Double.NEGATIVE_INFINITY).softmax(-1);
          return p.matmul(in[2].transpose(1, 2));
        },
        q,
        k,
        v);
  }
}
