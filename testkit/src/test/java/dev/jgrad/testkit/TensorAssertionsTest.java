package dev.jgrad.testkit;

import static dev.jgrad.testkit.TensorAssertions.assertCloseTo;
import static dev.jgrad.testkit.TensorAssertions.assertGradientsMatch;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Function;
import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link TensorAssertions}: correct gradients and equal values pass; a wrong first-order gradient,
 * a wrong second-order gradient, a wrong value and a wrong shape fail with messages that name where
 * and by how much; bad arguments are refused.
 */
class TensorAssertionsTest {

  static Tensor leaf(long seed, int... shape) {
    return new Tensor(NDArray.randn(new Generator(seed), DType.FLOAT64, shape)).requiresGrad(true);
  }

  static int[] randomIndex(int[] shape, long seed) {
    Generator g = new Generator(seed);
    int[] index = new int[shape.length];
    for (int d = 0; d < shape.length; d++) {
      index[d] = g.nextInt(shape[d]);
    }
    return index;
  }

  // ---- assertGradientsMatch ----

  @Provide
  Arbitrary<TensorSample[]> broadcastOperands() {
    return Shapes.broadcastPairs(0, 3, 4)
        .flatMap(
            p ->
                net.jqwik.api.Combinators.combine(
                        Tensors.leaves(Arbitraries.just(p.left()), -2, 2),
                        Tensors.leaves(Arbitraries.just(p.right()), -2, 2))
                    .as((a, b) -> new TensorSample[] {a, b}));
  }

  @Property(tries = 25)
  void correctGradientsPassOnBroadcastViews(@ForAll("broadcastOperands") TensorSample[] in) {
    assertGradientsMatch(x -> x[0].tanh().mul(x[1]).add(x[1].square()), in[0].leaf(), in[1].leaf());
  }

  /** y = x³ whose backward says 2x² (should be 3x²). */
  static final class WrongCube extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
      ctx.saveForBackward(in[0]);
      return in[0].mul(in[0]).mul(in[0]);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
      return new Tensor[] {grad.mul(ctx.saved().get(0).square()).mul(2)};
    }
  }

  /** y = x³ with the right first derivative 3x², computed from a detached x. */
  static final class FlatCube extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
      ctx.saveForBackward(in[0]);
      return in[0].mul(in[0]).mul(in[0]);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
      return new Tensor[] {grad.mul(ctx.saved().get(0).detach().square()).mul(3)};
    }
  }

  /** z = x·y whose gradient for y says x + 1. */
  static final class WrongProductForY extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
      ctx.saveForBackward(in[0], in[1]);
      return in[0].mul(in[1]);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
      Tensor x = ctx.saved().get(0);
      Tensor y = ctx.saved().get(1);
      return new Tensor[] {grad.mul(y), grad.mul(x.add(1))};
    }
  }

  @Example
  void aWrongFirstOrderGradientFailsNamingTheOrderInputAndElement() {
    Tensor x = leaf(1, 2, 3);
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () -> assertGradientsMatch("cube", in -> new WrongCube().apply(in[0]), x));
    String m = e.getMessage();
    assertTrue(m.startsWith("cube: first-order gradient of input 0 [2, 3]"), m);
    assertTrue(m.contains("worst element at [") && m.contains("analytic "), m);
    assertTrue(m.contains(" vs numeric "), m);
  }

  @Example
  void theWorstElementIsTheOneNamed() {
    // d/dx of x³ is 3x², the wrong formula says 2x²: the error x² is largest at the largest |x|.
    Tensor x = new Tensor(NDArray.of(new double[][] {{0.5, -0.25}, {2.0, 1.0}})).requiresGrad(true);
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () -> assertGradientsMatch(in -> new WrongCube().apply(in[0]), x));
    assertTrue(e.getMessage().contains("worst element at [1, 0]"), e.getMessage());
  }

  @Example
  void aWrongGradientOfTheSecondInputNamesIt() {
    Tensor x = leaf(2, 4);
    Tensor y = leaf(3, 4);
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () -> assertGradientsMatch(in -> new WrongProductForY().apply(in[0], in[1]), x, y));
    assertTrue(e.getMessage().startsWith("first-order gradient of input 1 [4]"), e.getMessage());
  }

  @Example
  void aGradientThatIsNotDifferentiableAgainFailsTheSecondOrder() {
    Tensor x = leaf(4, 3);
    AssertionError e =
        assertThrows(
            AssertionError.class, () -> assertGradientsMatch(in -> new FlatCube().apply(in[0]), x));
    assertTrue(e.getMessage().startsWith("second-order gradient of input 0 [3]"), e.getMessage());
  }

  @Example
  void badGradientCheckInputsAreRefusedByName() {
    Tensor x = leaf(5, 3);
    Tensor f32 = new Tensor(NDArray.zeros(3)).requiresGrad(true);
    Tensor noGrad = new Tensor(NDArray.zeros(DType.FLOAT64, 3));
    Tensor nonLeaf = x.mul(2);
    Tensor expanded =
        new Tensor(NDArray.zeros(DType.FLOAT64, 1, 3).expand(4, 3)).requiresGrad(true);
    for (Tensor bad : new Tensor[] {f32, noGrad, nonLeaf, expanded, null}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> assertGradientsMatch(in -> in[0], bad));
      assertTrue(e.getMessage().startsWith("assertGradientsMatch: input 0"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> assertGradientsMatch(in -> null, x));
    assertThrows(IllegalArgumentException.class, () -> assertGradientsMatch(in -> in[0]));
    assertThrows(IllegalArgumentException.class, () -> assertGradientsMatch(null, x));
    assertThrows(
        IllegalArgumentException.class, () -> assertGradientsMatch("", in -> in[0], -1, 0, x));
  }

  // ---- assertCloseTo ----

  @Property(tries = 60)
  void aViewIsCloseToItsCopyAndToValuesWithinTolerance(@ForAll("anyArray") TensorSample s) {
    assertCloseTo(s.array(), s.array().contiguous(), 0, 0);
    assertCloseTo(s.tensor(), s.tensor().cloneTensor());
    // Within the tolerance: atol 1e-3 covers a shift of half of it.
    assertCloseTo(s.array(), s.array().add(5e-4), 0, 1e-3);
  }

  @Provide
  Arbitrary<TensorSample> anyArray() {
    return Tensors.of(DType.FLOAT64, Shapes.shapes(0, 3, 5), -10, 10);
  }

  @Property(tries = 40)
  void aValueOutsideTheToleranceFailsNamingItsIndexAndBothValues(
      @ForAll("anyArray") TensorSample s, @ForAll long seed) {
    NDArray expected = s.array();
    if (expected.numel() == 0) {
      return;
    }
    NDArray actual = expected.clone();
    int[] index = randomIndex(expected.shape(), seed);
    double was = actual.getDouble(index);
    actual.set(was + 0.5, index);
    AssertionError e =
        assertThrows(AssertionError.class, () -> assertCloseTo(expected, actual, 1e-3, 1e-3));
    String m = e.getMessage();
    assertTrue(m.contains("1 of " + expected.numel() + " elements differ"), m);
    assertTrue(
        m.contains(
            "at "
                + java.util.Arrays.toString(index)
                + ": expected "
                + was
                + ", actual "
                + (was + 0.5)),
        m);
  }

  @Example
  void theWorstElementsComeFirstAndTheRestAreCounted() {
    NDArray expected = NDArray.zeros(DType.FLOAT64, 2, 5);
    NDArray actual = NDArray.zeros(DType.FLOAT64, 2, 5);
    for (int j = 0; j < 5; j++) {
      actual.set(j + 1, 0, j); // errors 1 … 5 in row 0
      actual.set(10 + j, 1, j); // errors 10 … 14 in row 1
    }
    actual.set(0, 1, 2); // one element right
    AssertionError e =
        assertThrows(AssertionError.class, () -> assertCloseTo(expected, actual, 0, 0.5));
    String m = e.getMessage();
    assertTrue(m.contains("9 of 10 elements differ"), m);
    String[] lines = m.split("\\R");
    assertTrue(lines[1].contains("at [1, 4]: expected 0.0, actual 14.0"), m);
    assertTrue(lines[2].contains("at [1, 3]"), m);
    assertTrue(m.contains("and 4 more"), m);
    assertTrue(!m.contains("at [1, 2]"), "a close element is not listed: " + m);
  }

  @Example
  void shapesThatDifferAreStated() {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () -> assertCloseTo(NDArray.zeros(2, 3), NDArray.zeros(3, 2), 1, 1));
    assertTrue(e.getMessage().contains("expected [2, 3] but actual [3, 2]"), e.getMessage());
    AssertionError named =
        assertThrows(
            AssertionError.class,
            () -> assertCloseTo(Tensor.zeros(2), Tensor.ones(2), 0, 0.5, "d/dx"));
    assertTrue(named.getMessage().startsWith("d/dx: 2 of 2 elements differ"), named.getMessage());
  }

  @Example
  void theToleranceIsAtolPlusRtolTimesTheExpectedMagnitude() {
    NDArray expected = NDArray.of(100.0, -100.0);
    assertCloseTo(expected, NDArray.of(100.75, -100.75), 0.005, 0.25); // error 0.75 = 0.25 + 0.5
    assertThrows(
        AssertionError.class,
        () -> assertCloseTo(expected, NDArray.of(100.76, -100.0), 0.005, 0.25));
    // rtol scales the expected magnitude, not the actual one: 15 vs 10 allows 6, 10 vs 15 only 4.
    assertCloseTo(NDArray.of(15.0), NDArray.of(10.0), 0.4, 0);
    assertThrows(
        AssertionError.class, () -> assertCloseTo(NDArray.of(10.0), NDArray.of(15.0), 0.4, 0));
  }

  @Example
  void nanMatchesOnlyNanAndAnInfinityOnlyItself() {
    double nan = Double.NaN;
    double inf = Double.POSITIVE_INFINITY;
    assertCloseTo(NDArray.of(nan, inf, -inf), NDArray.of(nan, inf, -inf), 0, 0);
    assertThrows(AssertionError.class, () -> assertCloseTo(NDArray.of(nan), NDArray.of(1.0), 1, 1));
    assertThrows(AssertionError.class, () -> assertCloseTo(NDArray.of(1.0), NDArray.of(nan), 1, 1));
    assertThrows(
        AssertionError.class, () -> assertCloseTo(NDArray.of(inf), NDArray.of(-inf), 1, 1));
    assertThrows(
        AssertionError.class, () -> assertCloseTo(NDArray.of(inf), NDArray.of(1e300), 1, 1));
  }

  @Example
  void theDefaultTolerancesFollowTheLessPreciseDtype() {
    NDArray one = NDArray.of(1.0);
    assertCloseTo(one, NDArray.of(1.0f + 1e-6f)); // FLOAT32: atol 1e-5
    assertThrows(AssertionError.class, () -> assertCloseTo(one, NDArray.of(1.0 + 1e-6)));
    assertCloseTo(one, NDArray.of(1.0 + 1e-7));
    assertThrows(AssertionError.class, () -> assertCloseTo(NDArray.ofInts(3), NDArray.ofInts(4)));
    assertCloseTo(Tensor.of(1f, 2f), Tensor.of(1f, 2f));
  }

  @Example
  void badClosenessArgumentsAreRefused() {
    NDArray a = NDArray.zeros(2);
    assertThrows(IllegalArgumentException.class, () -> assertCloseTo(a, a, -1, 0));
    assertThrows(IllegalArgumentException.class, () -> assertCloseTo(a, a, 0, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> assertCloseTo(null, a, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> assertCloseTo((Tensor) null, null));
  }
}
