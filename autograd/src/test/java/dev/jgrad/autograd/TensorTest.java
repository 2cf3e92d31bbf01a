package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tensor's state: leaves and {@code requiresGrad}, its {@link GradFn}, {@code grad}, hooks (and
 * their {@link HookHandle}), {@code detach}, in-place changes and version counters, {@link
 * IndexedValues}, printing. The ops it names are covered by the rule files' tests.
 */
class TensorTest {

  static Tensor leaf(double... values) {
    return Tensor.of(values).requiresGrad(true);
  }

  static double[] values(Tensor t) {
    return t.data().toDoubleArray();
  }

  @Test
  void detachCutsThePath() {
    Tensor x = leaf(2);
    Tensor y = x.mul(x.detach()).sum(); // d/dx (x·c) = c
    y.backward();
    assertEquals(2, x.grad().item(), 1e-12);
    assertFalse(x.detach().requiresGrad());
  }

  @Test
  void hooksSeeAndReplaceGradients() {
    Tensor x = leaf(1, 2);
    List<double[]> seen = new ArrayList<>();
    Tensor h = x.mul(3);
    h.registerHook(
        g -> {
          seen.add(values(g));
          return g.mul(10);
        });
    h.sum().backward();
    assertArrayEquals(new double[] {1, 1}, seen.get(0));
    assertArrayEquals(new double[] {30, 30}, values(x.grad()));
    HookHandle handle = x.registerHook(g -> g.mul(0));
    handle.remove();
    x.zeroGrad();
    x.mul(3).sum().backward();
    assertArrayEquals(new double[] {3, 3}, values(x.grad()));
  }

  @Test
  void aHookMayNotChangeTheGradientsShapeOrDtype() {
    // PyTorch refuses both ("hook has changed the size/type of value").
    Tensor x = leaf(1, 2);
    x.registerHook(g -> Tensor.of(1.0, 2.0, 3.0));
    IllegalStateException shape =
        assertThrows(IllegalStateException.class, () -> x.mul(3).sum().backward());
    assertTrue(
        shape.getMessage().startsWith("backward: a hook returned a gradient of shape [3]"),
        shape.getMessage());
    assertTrue(shape.getMessage().contains("[2]"), shape.getMessage());
    for (DType other : new DType[] {DType.FLOAT32, DType.INT32}) {
      Tensor y = leaf(1, 2);
      y.registerHook(g -> new Tensor(g.data().to(other)));
      IllegalStateException dtype =
          assertThrows(IllegalStateException.class, () -> y.mul(3).sum().backward());
      assertTrue(
          dtype.getMessage().contains("dtype " + other)
              && dtype.getMessage().contains(DType.FLOAT64.toString()),
          dtype.getMessage());
      assertNull(y.grad(), "nothing accumulated");
    }
    Tensor h = leaf(1, 2).mul(2); // on a non-leaf too
    h.registerHook(g -> g.sum());
    assertThrows(IllegalStateException.class, () -> h.sum().backward());
  }

  @Test
  void inPlaceOnALeafThatRequiresGradIsRefusedOutsideNoGrad() {
    Tensor w = leaf(1, 2);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.mulInPlace(2));
    assertTrue(e.getMessage().contains("noGrad"), e.getMessage());
    try (GradMode.Scope g = Tensor.noGrad()) {
      w.mulInPlace(2);
    }
    assertArrayEquals(new double[] {2, 4}, values(w));
  }

  @Test
  void retainGradKeepsANonLeafGradient() {
    Tensor x = leaf(1, 2);
    Tensor h = x.mul(2).retainGrad();
    h.square().sum().backward();
    assertArrayEquals(new double[] {4, 8}, values(h.grad()));
    assertArrayEquals(new double[] {8, 16}, values(x.grad()));
  }

  @Test
  void gradFnNamesTheOpAndToStringShowsIt() {
    Tensor a = Tensor.randn(new Generator(1), 2, 3).requiresGrad(true);
    Tensor b = Tensor.randn(new Generator(2), 3, 4);
    Tensor y = a.matmul(b);
    assertEquals("MatMulBackward", y.gradFn().name());
    assertSame(a, y.gradFn().inputs().get(0));
    assertTrue(y.toString().endsWith("gradFn=MatMulBackward)"), y.toString());
    assertTrue(a.toString().contains("requiresGrad=true"), a.toString());
    String dot = Autograd.toDot(y.relu().sum());
    assertTrue(
        dot.contains("MatMulBackward") && dot.contains("ReluBackward") && dot.contains("->"), dot);
  }

  @Test
  void integerTensorsCannotRequireGrad() {
    assertThrows(IllegalArgumentException.class, () -> Tensor.ofInts(1, 2).requiresGrad(true));
    Tensor y = leaf(1).mul(2);
    assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
  }

  @Test
  void requiresGradIsRefusedOnANonLeafAndNamesTheOp() {
    Tensor y = leaf(1, 2).exp();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.requiresGrad(true));
    assertTrue(e.getMessage().contains("ExpBackward"), e.getMessage());
    assertTrue(y.detach().requiresGrad(true).isLeaf());
  }

  @Test
  void setGradChecksTheShapeAndNullClears() {
    Tensor x = leaf(1, 2, 3);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> x.setGrad(Tensor.zeros(2)));
    assertEquals(
        "setGrad: gradient of shape [2] does not match the tensor's shape [3]", e.getMessage());
    x.setGrad(Tensor.ones(3));
    assertArrayEquals(new double[] {1, 1, 1}, values(x.grad()));
    x.setGrad(null);
    assertNull(x.grad());
  }

  @Test
  void hooksAndRetainGradNeedATensorThatRequiresGrad() {
    Tensor c = Tensor.of(1.0, 2.0);
    IllegalStateException hook =
        assertThrows(IllegalStateException.class, () -> c.registerHook(g -> g));
    assertTrue(hook.getMessage().startsWith("registerHook:"), hook.getMessage());
    IllegalStateException retain = assertThrows(IllegalStateException.class, c::retainGrad);
    assertTrue(retain.getMessage().startsWith("retainGrad:"), retain.getMessage());
  }

  @Test
  void inPlaceOnARecordedTensorIsRefusedAndOutsideTheGraphCountsVersions() {
    Tensor y = leaf(1, 2).mul(2);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> y.addInPlace(Tensor.of(1.0, 1.0)));
    assertTrue(e.getMessage().startsWith("addInPlace: in-place ops on a tensor recorded"));
    Tensor c = Tensor.of(1.0, 2.0);
    Tensor view = c.unsqueeze(0);
    c.addInPlace(Tensor.of(1.0, 1.0)).mulInPlace(2).fill(3);
    c.markChangedInPlace();
    assertEquals(4, c.version());
    assertEquals(4, view.version(), "a view shares its base's version counter");
    assertArrayEquals(new double[] {3, 3}, values(view));
    assertThrows(IllegalArgumentException.class, () -> c.addInPlace(Tensor.of(1.0, 2.0, 3.0)));
  }

  @Test
  void detachSharesTheValuesButNotTheGraph() {
    Tensor y = leaf(1, 2).mul(3);
    Tensor d = y.detach();
    assertTrue(d.isLeaf());
    assertNull(d.gradFn());
    assertTrue(d.data() == y.data(), "the same values, not a copy");
  }

  @Test
  void maxAlongADimGivesValuesWithGradientsAndIndicesWithout() {
    Tensor x = Tensor.of(new double[][] {{1, 5, 2}, {7, 0, 3}}).requiresGrad(true);
    IndexedValues best = x.max(1, false);
    assertArrayEquals(new double[] {5, 7}, values(best.values()));
    assertArrayEquals(new int[] {1, 0}, best.indices().data().toIntArray());
    assertFalse(best.indices().requiresGrad());
    best.values().sum().backward();
    assertArrayEquals(new double[] {0, 1, 0, 1, 0, 0}, values(x.grad()));
  }
}
