package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import org.junit.jupiter.api.Test;

/**
 * The Tensor methods that only delegate to an NDArray op and record nothing (comparisons, argmax,
 * sorting, sign, creation, the in-place ops): each gives the values its NDArray op defines, a
 * tensor outside the graph, and the in-place ones bump the version counter. Written for the mutants
 * PIT found unkilled in these one-line delegations (issue #14).
 */
class TensorDelegationTest {

  private static double[] values(Tensor t) {
    return t.data().toDoubleArray();
  }

  private static Tensor leafRequiringGrad(double... values) {
    return Tensor.of(values).requiresGrad(true);
  }

  @Test
  void comparisonsGiveOneWhereTheyHoldAndRecordNothing() {
    Tensor a = leafRequiringGrad(1, 2, 3);
    Tensor b = Tensor.of(2, 2, 2);
    assertArrayEquals(new double[] {0, 1, 0}, values(a.eq(b)));
    assertArrayEquals(new double[] {1, 0, 1}, values(a.ne(b)));
    assertArrayEquals(new double[] {1, 0, 0}, values(a.lt(b)));
    assertArrayEquals(new double[] {1, 1, 0}, values(a.le(b)));
    assertArrayEquals(new double[] {0, 0, 1}, values(a.gt(b)));
    assertArrayEquals(new double[] {0, 1, 1}, values(a.ge(b)));
    assertArrayEquals(new double[] {1, 0, 0}, values(a.lt(2)));
    assertArrayEquals(new double[] {0, 0, 1}, values(a.eq(3)));
    assertFalse(a.eq(b).requiresGrad());
    assertNull(a.lt(b).gradFn());
  }

  @Test
  void argmaxArgminArgsortAndSignGiveIndicesAndSigns() {
    Tensor m = Tensor.of(new double[][] {{3, -1, 2}, {0, 5, -4}});
    assertArrayEquals(new double[] {0, 1}, values(m.argmax(1, false)));
    assertArrayEquals(new int[] {2, 1}, m.argmax(1, true).shape());
    assertArrayEquals(new double[] {1, 2}, values(m.argmin(1, false)));
    assertArrayEquals(new double[] {1, 0, 1}, values(m.argmin(0, false)));
    assertArrayEquals(new double[] {1, 2, 0, 2, 0, 1}, values(m.argsort(1, false)));
    assertArrayEquals(new double[] {0, 2, 1, 1, 0, 2}, values(m.argsort(1, true)));
    assertArrayEquals(new double[] {1, -1, 1, 0, 1, -1}, values(m.sign()));
    assertFalse(leafRequiringGrad(-2, 3).sign().requiresGrad());
  }

  @Test
  void creationMethodsGiveTheirShapesAndValues() {
    assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, values(Tensor.eye(3)));
    assertArrayEquals(new int[] {3, 3}, Tensor.eye(3).shape());
    assertArrayEquals(new double[] {2.5, 2.5, 2.5, 2.5}, values(Tensor.full(2.5, 2, 2)));
    assertArrayEquals(new int[] {2, 2}, Tensor.full(2.5, 2, 2).shape());
    Tensor like = Tensor.of(new double[][] {{7, 8, 9}}).to(DType.FLOAT64);
    Tensor zeros = Tensor.zerosLike(like);
    Tensor ones = Tensor.onesLike(like);
    assertArrayEquals(new double[] {0, 0, 0}, values(zeros));
    assertArrayEquals(new double[] {1, 1, 1}, values(ones));
    assertArrayEquals(new int[] {1, 3}, ones.shape());
    assertEquals(DType.FLOAT64, zeros.dtype());
    assertEquals(DType.FLOAT64, ones.dtype());
  }

  @Test
  void manualSeedMakesTheDefaultGeneratorRepeatAndRandintStaysInItsRange() {
    Tensor.manualSeed(14);
    double[] first = values(Tensor.randint(3, 9, 200));
    Tensor.manualSeed(14);
    double[] again = values(Tensor.randint(3, 9, 200));
    assertArrayEquals(first, again);
    boolean[] seen = new boolean[9];
    for (double v : first) {
      assertEquals(Math.rint(v), v);
      assertEquals(true, v >= 3 && v < 9, "randint(3, 9) gave " + v);
      seen[(int) v] = true;
    }
    for (int v = 3; v < 9; v++) {
      assertEquals(true, seen[v], "200 draws of randint(3, 9) never gave " + v);
    }
    Tensor.manualSeed(14);
    double expected = new Generator(14).nextDouble();
    assertEquals(expected, Tensor.generator().nextDouble());
  }

  @Test
  void inPlaceOpsChangeTheValuesReturnThisAndBumpTheVersion() {
    Tensor t = Tensor.of(8, 6, 4);
    int v0 = t.version();
    assertSame(t, t.subInPlace(Tensor.of(1, 2, 3)));
    assertArrayEquals(new double[] {7, 4, 1}, values(t));
    assertEquals(v0 + 1, t.version());
    assertSame(t, t.divInPlace(Tensor.of(7, 2, 0.5)));
    assertArrayEquals(new double[] {1, 2, 2}, values(t));
    assertEquals(v0 + 2, t.version());
    assertSame(t, t.copyFrom(Tensor.of(-1, -2, -3)));
    assertArrayEquals(new double[] {-1, -2, -3}, values(t));
    assertEquals(v0 + 3, t.version());
  }

  @Test
  void inPlaceOpsOnALeafThatRequiresGradAreRefusedInGradModeAndAllowedWithout() {
    Tensor w = leafRequiringGrad(1, 2);
    Tensor other = Tensor.of(1, 1);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.subInPlace(other));
    assertEquals(true, e.getMessage().startsWith("subInPlace: a leaf tensor"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> w.divInPlace(other));
    assertThrows(IllegalStateException.class, () -> w.copyFrom(other));
    Tensor recorded = w.mul(2);
    IllegalStateException inGraph =
        assertThrows(IllegalStateException.class, () -> recorded.divInPlace(other));
    assertEquals(
        true, inGraph.getMessage().contains("recorded in the graph"), inGraph.getMessage());
    assertArrayEquals(new double[] {1, 2}, values(w));
    try (var g = Tensor.noGrad()) {
      w.subInPlace(other);
    }
    assertArrayEquals(new double[] {0, 1}, values(w));
  }

  @Test
  void mulInPlaceAddInPlaceWithAlphaAndFillChangeTheValuesAndBumpTheVersion() {
    Tensor t = Tensor.of(1, 2, 3);
    int v0 = t.version();
    assertSame(t, t.mulInPlace(Tensor.of(2, 3, 4)));
    assertArrayEquals(new double[] {2, 6, 12}, values(t));
    assertSame(t, t.addInPlace(Tensor.of(1, 1, 1), -2));
    assertArrayEquals(new double[] {0, 4, 10}, values(t));
    assertSame(t, t.fill(7));
    assertArrayEquals(new double[] {7, 7, 7}, values(t));
    assertEquals(v0 + 3, t.version());
    Tensor w = leafRequiringGrad(1, 2);
    assertThrows(IllegalStateException.class, () -> w.mulInPlace(Tensor.of(2, 2)));
    assertThrows(IllegalStateException.class, () -> w.addInPlace(Tensor.of(2, 2), 3));
    assertThrows(IllegalStateException.class, () -> w.fill(0));
    assertArrayEquals(new double[] {1, 2}, values(w));
  }

  @Test
  void onlyLeavesAndTensorsAskedToRetainGradGetAGrad() {
    Tensor x = leafRequiringGrad(1, 2);
    Tensor hidden = x.mul(2);
    Tensor kept = x.mul(3).retainGrad();
    hidden.add(kept).sum().backward();
    assertNull(hidden.grad());
    assertArrayEquals(new double[] {1, 1}, values(kept.grad()));
    assertArrayEquals(new double[] {5, 5}, values(x.grad()));
  }

  @Test
  void theTransposeOfAVectorIsTheVectorAndOfAMatrixSwapsItsDims() {
    Tensor v = Tensor.of(1, 2, 3);
    assertSame(v, v.t());
    Tensor m = Tensor.of(new double[][] {{1, 2, 3}});
    assertArrayEquals(new int[] {3, 1}, m.t().shape());
    assertArrayEquals(new double[] {1, 2, 3}, values(m.t().contiguous()));
  }
}
