package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.kernel.Shapes;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Every {@link FusedFormula} gives the same bits on its fast path ({@link GradKernels}) as its
 * composed formula, on the operands the kernel covers (dense FLOAT32) and on the others (other
 * layouts and FLOAT64, where the kernel declines and the formula runs); binary cross-entropy's
 * fused forward likewise matches {@link LossRules#binaryCrossEntropyFormula}. The cases are checked
 * against {@code FusedFormula}'s permitted implementations, so a new fused formula without a case
 * here fails.
 */
class FusedFormulaProperties {
  static final int W = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();

  /** How an operand is laid out in its storage. */
  enum Layout {
    CONTIGUOUS,
    TRANSPOSED,
    STRIDED,
    OFFSET
  }

  /** One case per fused formula: the op that records it and the domain of its input. */
  enum Case {
    SIGMOID(-3, 3, x -> x.sigmoid()),
    RELU(-1, 1, x -> x.relu()),
    GELU(-5, 5, x -> x.gelu()),
    LOG_SOFTMAX_LAST_DIM(-3, 3, x -> x.logSoftmax(-1)),
    LOG_SOFTMAX_FIRST_DIM(-3, 3, x -> x.logSoftmax(0)),
    BINARY_CROSS_ENTROPY(0, 1, x -> x.binaryCrossEntropy(targetsFor(x))),
    LAYER_NORM(-3, 3, x -> x.layerNorm(trailing(x, 1), weightFor(x, 1), null, 1e-5)),
    LAYER_NORM_TWO_DIMS(-3, 3, x -> x.layerNorm(trailing(x, 2), null, null, 1e-5)),
    RMS_NORM(-3, 3, x -> x.rmsNorm(trailing(x, 1), weightFor(x, 1), 1e-6)),
    BATCH_NORM(-3, 3, x -> x.batchNorm(null, null, channelWeightFor(x), null, true, 0.1, 1e-5)),
    BATCH_NORM_UNWEIGHTED(-3, 3, x -> x.batchNorm(null, null, null, null, true, 0.1, 1e-5)),
    BATCH_NORM_WEIGHT(
        -3, 3, 1, x -> x.batchNorm(null, null, channelWeightFor(x), null, true, 0.1, 1e-5));

    final double lo;
    final double hi;
    final int input; // whose gradient formula is fused: 0 for the op's first input
    final Function<Tensor, Tensor> op;

    Case(double lo, double hi, Function<Tensor, Tensor> op) {
      this(lo, hi, 0, op);
    }

    Case(double lo, double hi, int input, Function<Tensor, Tensor> op) {
      this.lo = lo;
      this.hi = hi;
      this.input = input;
      this.op = op;
    }
  }

  /** Sizes 0, 1, small, SIMD width ± 1 and larger, as the tensor module's properties use. */
  @Provide
  Arbitrary<int[]> shapes() {
    Arbitrary<Integer> size =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.just(1)),
            Tuple.of(1, Arbitraries.just(0)),
            Tuple.of(8, Arbitraries.integers().between(2, 5)),
            Tuple.of(4, Arbitraries.of(W - 1, W, W + 1)),
            Tuple.of(2, Arbitraries.integers().between(6, 70)));
    return size.list()
        .ofMinSize(0)
        .ofMaxSize(4)
        .map(l -> l.stream().mapToInt(Integer::intValue).toArray())
        .filter(s -> Shapes.numel(s) <= 6000);
  }

  @Provide
  Arbitrary<DType> floatTypes() {
    return Arbitraries.of(DType.FLOAT32, DType.FLOAT64);
  }

  /** Uniform values in [lo, hi) of the shape, laid out as asked. */
  static NDArray sample(DType dtype, int[] shape, Layout layout, long seed, double lo, double hi) {
    Generator g = new Generator(seed);
    int rank = shape.length;
    switch (layout) {
      case TRANSPOSED:
        if (rank >= 2) {
          int[] swapped = shape.clone();
          swapped[0] = shape[rank - 1];
          swapped[rank - 1] = shape[0];
          return uniform(g, dtype, swapped, lo, hi).transpose(0, rank - 1);
        }
        break;
      case STRIDED:
        if (rank >= 1) {
          int[] wide = shape.clone();
          wide[rank - 1] = 2 * shape[rank - 1] + 1;
          return uniform(g, dtype, wide, lo, hi).slice(-1, 1, wide[rank - 1], 2);
        }
        break;
      case OFFSET: // contiguous, but not at the start of its storage
        int[] longer = new int[] {Shapes.numel(shape) + 3};
        return uniform(g, dtype, longer, lo, hi).narrow(0, 3, Shapes.numel(shape)).view(shape);
      default:
        break;
    }
    return uniform(g, dtype, shape, lo, hi);
  }

  private static NDArray uniform(Generator g, DType dtype, int[] shape, double lo, double hi) {
    return NDArray.rand(g, dtype, shape).mul(hi - lo).add(lo);
  }

  /** Targets in [0, 1] of x's shape and dtype (the target of binary cross-entropy). */
  static Tensor targetsFor(Tensor x) {
    return new Tensor(NDArray.rand(new Generator(x.numel() + 7L), x.dtype(), x.shape()));
  }

  /** The last {@code k} sizes of x's shape (fewer when x has fewer dims). */
  static int[] trailing(Tensor x, int k) {
    int[] s = x.shape();
    return Arrays.copyOfRange(s, Math.max(0, s.length - k), s.length);
  }

  /** A weight of x's trailing {@code k} sizes, in [0.5, 1.5). */
  static Tensor weightFor(Tensor x, int k) {
    int[] s = trailing(x, k);
    return new Tensor(NDArray.rand(new Generator(s.length + 11L), x.dtype(), s).add(0.5));
  }

  /** A per-channel weight (dim 1) of x's dtype, in [0.5, 1.5). */
  static Tensor channelWeightFor(Tensor x) {
    int c = x.shape()[1];
    return new Tensor(NDArray.rand(new Generator(c + 13L), x.dtype(), c).add(0.5));
  }

  /** The fused formula that {@code c}'s op recorded for its first input. */
  static FusedFormula formulaOf(Tensor out) {
    return formulaOf(out, 0);
  }

  /** The fused formula that an op recorded for its input number {@code input}. */
  static FusedFormula formulaOf(Tensor out, int input) {
    Formula f = out.node().formula(input);
    assertTrue(f instanceof FusedFormula, () -> out.gradFn().name() + " records " + f);
    return (FusedFormula) f;
  }

  static boolean isDenseFloat32(NDArray a) {
    return a.dtype() == DType.FLOAT32 && a.isContiguous();
  }

  /** Same shape and the same bits, element by element (NaNs of any payload count as one). */
  static void assertSameBits(String what, NDArray expected, NDArray actual) {
    assertEquals(Shapes.toString(expected.shape()), Shapes.toString(actual.shape()), what);
    double[] e = expected.toDoubleArray();
    double[] a = actual.toDoubleArray();
    for (int i = 0; i < e.length; i++) {
      if (Double.doubleToLongBits(e[i]) != Double.doubleToLongBits(a[i])) {
        throw new AssertionError(
            String.format("%s: element %d is %s, the formula gives %s", what, i, a[i], e[i]));
      }
    }
  }

  @Property(tries = 400)
  void everyFusedFormulaGivesTheBitsOfItsComposedFormula(
      @ForAll Case c,
      @ForAll("shapes") int[] shape,
      @ForAll Layout inputLayout,
      @ForAll Layout gradLayout,
      @ForAll("floatTypes") DType dtype,
      @ForAll boolean nan,
      @ForAll long seed) {
    if ((c.name().startsWith("LOG_SOFTMAX") || c.name().contains("NORM")) && shape.length == 0) {
      shape = new int[] {W + 1};
    }
    if (c.name().startsWith("BATCH_NORM")
        && (shape.length < 2 || Shapes.numel(shape) / Math.max(1, shape[1]) == 1)) {
      shape = new int[] {3, 2, W + 1}; // batch norm needs channels, and 2+ values in each
    }
    NDArray values = sample(dtype, shape, inputLayout, seed, c.lo, c.hi);
    if (nan && c == Case.RELU && values.numel() > 0) { // a NaN output must stay NaN in the gradient
      values = values.contiguous();
      values.set(Double.NaN, new int[shape.length]);
    }
    Tensor x = new Tensor(values).requiresGrad(true);
    Tensor out = c.op.apply(x);
    FusedFormula f = formulaOf(out, c.input);
    Tensor g = new Tensor(sample(dtype, shape, gradLayout, seed + 1, -2, 2));
    Tensor composed;
    Tensor applied;
    NDArray fused;
    try (GradMode.Scope s = Tensor.noGrad()) {
      composed = f.composed(g, out);
      applied = f.apply(g, out); // what first-order backward runs
      fused = f.fused(g.data(), out.data());
    }
    assertSameBits(c + " " + dtype + " " + Shapes.toString(shape), composed.data(), applied.data());
    boolean covered = isDenseFloat32(g.data()) && isDenseFloat32(out.data());
    if (c == Case.LOG_SOFTMAX_FIRST_DIM) {
      covered &= shape.length == 1; // the kernel covers rows along the last dim
    }
    if (c == Case.BINARY_CROSS_ENTROPY || c == Case.GELU || c.name().contains("NORM")) {
      covered &= isDenseFloat32(x.data());
    }
    if (covered) {
      assertNotNull(fused, c + ": the kernel must cover dense FLOAT32 operands");
      assertSameBits(c + " fused " + Shapes.toString(shape), composed.data(), fused);
    } else {
      assertNull(fused, c + ": the kernel must decline what it does not cover");
    }
  }

  /**
   * Batch norm's input and weight gradients share Σ g·x̂ (whichever fused formula runs first leaves
   * it for the other): a first-order backward pass, where they share, gives the bits of the
   * composed formulas, which a graph-building pass runs.
   */
  @Property(tries = 40)
  void batchNormGradientsSharingTheirSumsGiveTheComposedBits(
      @ForAll("shapes") int[] drawn, @ForAll boolean inputFirst, @ForAll long seed) {
    int[] shape = drawn;
    if (shape.length < 2 || Shapes.numel(shape) / Math.max(1, shape[1]) <= 1) {
      shape = new int[] {3, 2, W + 1};
    }
    Tensor x = new Tensor(sample(DType.FLOAT32, shape, Layout.CONTIGUOUS, seed, -3, 3));
    x.requiresGrad(true);
    Tensor w = channelWeightFor(x).requiresGrad(true);
    Tensor b = new Tensor(NDArray.zeros(shape[1])).requiresGrad(true);
    Tensor g = new Tensor(sample(DType.FLOAT32, shape, Layout.CONTIGUOUS, seed + 1, -2, 2));
    Tensor y = x.batchNorm(null, null, w, b, true, 0.1, 1e-5);
    FusedFormula dx = formulaOf(y, 0);
    FusedFormula dw = formulaOf(y, 1);
    Tensor fastX;
    Tensor fastW;
    Tensor composedX;
    Tensor composedW;
    try (GradMode.Scope off = Tensor.noGrad()) { // as first-order backward runs them
      if (inputFirst) {
        fastX = dx.apply(g, y);
        fastW = dw.apply(g, y);
      } else {
        fastW = dw.apply(g, y);
        fastX = dx.apply(g, y);
      }
      composedX = dx.composed(g, y);
      composedW = dw.composed(g, y);
    }
    assertSameBits("input " + Shapes.toString(shape), composedX.data(), fastX.data());
    assertSameBits("weight " + Shapes.toString(shape), composedW.data(), fastW.data());
  }

  @Example
  void theCasesCoverEveryFusedFormula() {
    Set<Class<?>> covered = new HashSet<>();
    for (Case c : EnumSet.allOf(Case.class)) {
      Tensor x = new Tensor(NDArray.rand(new Generator(1), 2, 3)).requiresGrad(true);
      covered.add(formulaOf(c.op.apply(x), c.input).getClass());
    }
    Set<Class<?>> permitted =
        new HashSet<>(Arrays.asList(FusedFormula.class.getPermittedSubclasses()));
    assertEquals(permitted, covered);
  }

  @Property(tries = 150)
  void binaryCrossEntropyFusedForwardGivesTheBitsOfItsFormula(
      @ForAll("shapes") int[] shape,
      @ForAll Layout layout,
      @ForAll("floatTypes") DType dtype,
      @ForAll boolean extremes,
      @ForAll long seed) {
    NDArray p = sample(dtype, shape, layout, seed, 0, 1);
    NDArray y = sample(dtype, shape, Layout.CONTIGUOUS, seed + 1, 0, 1);
    if (extremes && p.numel() > 0) { // log 0 is clamped at −100; p·(1 − p) at 1e-12
      p = p.contiguous();
      p.set(0, new int[shape.length]);
      int[] last = shape.clone();
      for (int d = 0; d < last.length; d++) {
        last[d]--;
      }
      p.set(1, last);
    }
    Tensor pt = new Tensor(p).requiresGrad(true);
    Tensor yt = new Tensor(y);
    Tensor loss = pt.binaryCrossEntropy(yt);
    Tensor expected = LossRules.binaryCrossEntropyFormula(new Tensor(p), yt);
    assertSameBits("loss " + Shapes.toString(shape), expected.data(), loss.data());
    NDArray fused = GradKernels.binaryCrossEntropy(p, y);
    if (isDenseFloat32(p) && isDenseFloat32(y)) {
      assertNotNull(fused);
      assertSameBits("fused loss " + Shapes.toString(shape), expected.data(), fused);
    } else {
      assertNull(fused);
    }
    Tensor g = new Tensor(sample(dtype, shape, Layout.CONTIGUOUS, seed + 2, -2, 2));
    try (GradMode.Scope s = Tensor.noGrad()) {
      for (double v : formulaOf(loss).apply(g, loss).data().toDoubleArray()) {
        assertTrue(Double.isFinite(v), "the gradient at p = 0 and p = 1 is finite");
      }
    }
  }

  @Property(tries = 60)
  void binaryCrossEntropyRefusesValuesOutsideZeroOneOnEveryPath(
      @ForAll("shapes") int[] shape,
      @ForAll Layout layout,
      @ForAll("floatTypes") DType dtype,
      @ForAll boolean above,
      @ForAll long seed) {
    NDArray p = sample(dtype, shape, layout, seed, 0, 1);
    if (p.numel() == 0) {
      return;
    }
    p.set(above ? 1.5 : -0.5, new int[shape.length]);
    Tensor target = Tensor.zeros(dtype, shape);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new Tensor(p).binaryCrossEntropy(target));
    String m = e.getMessage();
    assertTrue(
        m.startsWith("binaryCrossEntropy: the input of shape " + Shapes.toString(shape))
            && m.contains(above ? "1.5" : "-0.5")
            && m.contains("must be probabilities in [0, 1]"),
        m);
    IllegalArgumentException shapes =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Tensor(p).binaryCrossEntropy(Tensor.zeros(dtype, p.numel() + 1)));
    assertTrue(shapes.getMessage().contains(Shapes.toString(shape)), shapes.getMessage());
  }
}
