package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.Generator;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * When {@link Graph} records a node: an op's result is in the graph exactly when grad mode is on
 * and at least one input requires grad, for ops of one, two, three and any number of inputs; a view
 * shares its base's version counter whether or not it is recorded. Written for the mutants PIT left
 * alive in Graph (issue #14).
 */
class GraphRecordingTest {

  private static final Generator G = new Generator(14);

  private static Tensor input(boolean requiresGrad, int... shape) {
    return Tensor.randn(G, shape).requiresGrad(requiresGrad);
  }

  /** Runs {@code op} on inputs of which only those flagged require grad. */
  private static void assertRecordedExactlyWhenAnInputRequiresGrad(
      Function<Tensor[], Tensor> op, int[]... shapes) {
    int n = shapes.length;
    for (int mask = 0; mask < 1 << n; mask++) {
      Tensor[] inputs = new Tensor[n];
      for (int i = 0; i < n; i++) {
        inputs[i] = input((mask >> i & 1) == 1, shapes[i]);
      }
      Tensor out = op.apply(inputs);
      String which = "inputs requiring grad (bit mask) " + mask;
      assertEquals(mask != 0, out.requiresGrad(), which);
      assertEquals(mask != 0, out.gradFn() != null, which);
      try (var g = Tensor.noGrad()) {
        Tensor quiet = op.apply(inputs);
        assertFalse(quiet.requiresGrad(), which + " under noGrad");
        assertNull(quiet.gradFn(), which + " under noGrad");
      }
    }
  }

  @Test
  void aThreeInputOpIsRecordedWhenAnyOfItsInputsRequiresGrad() {
    assertRecordedExactlyWhenAnInputRequiresGrad(
        t -> Tensor.baddbmm(t[0], t[1], t[2], 0.5, 2),
        new int[] {2, 3, 4},
        new int[] {2, 3, 5},
        new int[] {2, 5, 4});
  }

  @Test
  void aManyInputOpIsRecordedWhenAnyOfItsInputsRequiresGrad() {
    assertRecordedExactlyWhenAnInputRequiresGrad(
        t -> t[0].layerNorm(new int[] {4}, t[1], t[2], 1e-5),
        new int[] {3, 4},
        new int[] {4},
        new int[] {4});
  }

  @Test
  void oneAndTwoInputOpsAreRecordedWhenAnInputRequiresGrad() {
    assertRecordedExactlyWhenAnInputRequiresGrad(t -> t[0].exp(), new int[] {3});
    assertRecordedExactlyWhenAnInputRequiresGrad(
        t -> t[0].mul(t[1]), new int[] {2, 3}, new int[] {3});
  }

  @Test
  void aViewIsRecordedOnlyWhenItsBaseRequiresGrad() {
    assertRecordedExactlyWhenAnInputRequiresGrad(t -> t[0].t(), new int[] {2, 3});
    assertRecordedExactlyWhenAnInputRequiresGrad(t -> t[0].reshape(6), new int[] {2, 3});
  }

  @Test
  void aViewSharesItsBasesVersionCounterRecordedOrNot() {
    for (boolean requiresGrad : new boolean[] {false, true}) {
      Tensor base = input(requiresGrad, 2, 3);
      Tensor view = base.t();
      assertEquals(requiresGrad, view.gradFn() != null);
      int before = view.version();
      try (var g = Tensor.noGrad()) {
        base.fill(1);
      }
      assertEquals(before + 1, view.version(), "requiresGrad " + requiresGrad);
      try (var g = Tensor.noGrad()) {
        view.fill(2);
      }
      assertEquals(before + 2, base.version(), "requiresGrad " + requiresGrad);
    }
  }

  @Test
  void aResultThatIsNotAViewGetsAVersionCounterOfItsOwn() {
    Tensor base = input(true, 2, 3);
    Tensor copy = base.mul(2);
    int before = copy.version();
    try (var g = Tensor.noGrad()) {
      base.fill(1);
    }
    assertEquals(before, copy.version());
    assertNotNull(copy.gradFn());
    assertTrue(copy.requiresGrad());
  }
}
