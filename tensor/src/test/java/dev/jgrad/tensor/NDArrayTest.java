package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The facade's own behaviour (dtype promotion, element access, in-place rules, conversions) on
 * hand-checked examples; each op family has its property suite beside this one.
 */
class NDArrayTest {

  @Test
  void dtypesPromoteLikePyTorch() {
    NDArray i = NDArray.ofInts(1, 2);
    NDArray f = NDArray.of(1f, 2f);
    NDArray d = NDArray.of(1.0, 2.0);
    assertEquals(DType.INT32, i.add(i).dtype());
    assertEquals(DType.FLOAT32, i.add(f).dtype());
    assertEquals(DType.FLOAT64, f.add(d).dtype());
    assertEquals(DType.FLOAT32, i.div(i).dtype());
    assertArrayEquals(new float[] {0.5f, 1f}, i.div(2).toFloatArray());
    assertEquals(DType.FLOAT32, i.add(0.5).dtype());
    assertEquals(DType.INT32, f.lt(d).dtype());
    assertSame(f, f.to(DType.FLOAT32));
    assertArrayEquals(new int[] {-1, 2}, NDArray.of(-1.7f, 2.9f).to(DType.INT32).toIntArray());
  }

  @Test
  void inPlaceOpsWriteThroughViewsAndRefuseExpandedOnes() {
    NDArray a = NDArray.zeros(2, 3);
    a.select(0, 1).fill(5);
    assertArrayEquals(new float[] {0, 0, 0, 5, 5, 5}, a.toFloatArray());
    a.transpose(0, 1).addInPlace(NDArray.of(1f, 2f));
    assertArrayEquals(new float[] {1, 1, 1, 7, 7, 7}, a.toFloatArray());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> NDArray.zeros(1, 3).expand(4, 3).fill(1));
    assertTrue(e.getMessage().contains("expanded"), e.getMessage());
    IllegalArgumentException small =
        assertThrows(
            IllegalArgumentException.class, () -> NDArray.zeros(3).addInPlace(NDArray.ones(2, 3)));
    assertTrue(
        small.getMessage().contains("[2, 3]") && small.getMessage().contains("[3]"),
        small.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> NDArray.zeros(DType.INT32, 3).addInPlace(NDArray.ones(3)));
  }

  @Test
  void overlappingInPlaceReadsASnapshot() {
    NDArray a = NDArray.of(new float[][] {{1, 2}, {3, 4}});
    a.addInPlace(a.t());
    assertArrayEquals(new float[] {2, 5, 5, 8}, a.toFloatArray());
  }

  @Test
  void fusedOptimizerFormsMatchTheirDefinitions() {
    NDArray p = NDArray.of(1f, 2f, 3f);
    NDArray g = NDArray.of(0.5f, -1f, 2f);
    p.addcmulInPlace(g, g, 2).addcdivInPlace(g, NDArray.full(2, 3), -1);
    float[] expected = new float[3];
    float[] pv = {1, 2, 3};
    float[] gv = {0.5f, -1, 2};
    for (int i = 0; i < 3; i++) {
      expected[i] = pv[i] + 2 * gv[i] * gv[i] - gv[i] / 2;
    }
    assertArrayEquals(expected, p.toFloatArray(), 1e-6f);
  }

  @Test
  void viewRefusesWhatOnlyACopyCanDoAndReshapeCopies() {
    NDArray t = NDArray.arange(6).reshape(2, 3).t();
    assertThrows(IllegalArgumentException.class, () -> t.view(6));
    NDArray flat = t.reshape(6);
    assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, flat.toIntArray());
    assertFalse(flat.sharesStorage(t));
    NDArray expanded = NDArray.of(1f, 2f).unsqueeze(0).expand(3, 2);
    assertNotEquals(0, expanded.numel());
    assertArrayEquals(new float[] {1, 2, 1, 2, 1, 2}, expanded.reshape(6).toFloatArray());
  }

  @Test
  void worksOnTwoByTwoByHand() {
    NDArray x = NDArray.of(new float[][] {{1, 2}, {3, 4}});
    NDArray w = NDArray.of(new float[][] {{0.5f, -1}, {1, 0}});
    // [[1·0.5 + 2·1, 1·−1 + 2·0], [3·0.5 + 4·1, 3·−1 + 4·0]]
    assertArrayEquals(new float[] {2.5f, -1, 5.5f, -3}, x.matmul(w).toFloatArray());
    assertArrayEquals(new float[] {2.5f, 0, 5.5f, 0}, x.matmul(w).relu().toFloatArray());
    assertEquals(8.0, x.matmul(w).relu().sum().item());
  }

  @Test
  void allCloseComparesWithinRelativeAndAbsoluteTolerance() {
    NDArray b = NDArray.of(100.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY);
    assertTrue(b.allClose(b, 0, 0));
    assertTrue(
        NDArray.of(100.5, 1e-9, Double.NaN, Double.POSITIVE_INFINITY).allClose(b, 0.01, 1e-8));
    assertFalse(
        NDArray.of(101.5, 1e-9, Double.NaN, Double.POSITIVE_INFINITY).allClose(b, 0.01, 1e-8));
    assertFalse(
        NDArray.of(100.0, 1e-7, Double.NaN, Double.POSITIVE_INFINITY).allClose(b, 0.01, 1e-8));
    assertFalse(NDArray.of(100.0, 0.0, 1.0, Double.POSITIVE_INFINITY).allClose(b, 1, 1));
    assertFalse(NDArray.of(100.0, 0.0, Double.NaN, Double.NEGATIVE_INFINITY).allClose(b, 1, 1));
    assertFalse(
        NDArray.of(100.0, 0.0, Double.NaN, 1e300).allClose(b, 1, 1)); // ∞ is close to ∞ only
    // rtol scales with |other| (the reference), as in torch.allclose: not symmetric.
    assertTrue(NDArray.of(1.0).allClose(NDArray.of(2.0), 0.5, 0));
    assertFalse(NDArray.of(2.0).allClose(NDArray.of(1.0), 0.5, 0));
    assertTrue(NDArray.of(1f, 2f).allClose(NDArray.of(1.0, 2.0), 0, 0)); // dtypes may differ
    assertFalse(NDArray.of(1f, 2f).allClose(NDArray.of(1f, 2f).reshape(2, 1), 1, 1)); // shapes
    assertTrue(
        NDArray.arange(6)
            .reshape(2, 3)
            .t()
            .allClose(NDArray.of(new float[][] {{0, 3}, {1, 4}, {2, 5}}), 0, 0));
  }

  @Test
  void toFloatArray2dReturnsTheRowsOfAMatrix() {
    float[][] rows = {{1, 2, 3}, {4, 5, 6}};
    NDArray m = NDArray.of(rows);
    float[][] back = m.toFloatArray2d();
    assertArrayEquals(rows, back);
    back[0][0] = 9;
    assertEquals(1f, m.getFloat(0, 0)); // new arrays, not the storage
    assertArrayEquals(new float[][] {{1, 4}, {2, 5}, {3, 6}}, m.t().toFloatArray2d());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> NDArray.zeros(2, 2, 2).toFloatArray2d());
    assertTrue(e.getMessage().contains("[2, 2, 2]"), e.getMessage());
  }

  @Test
  void broadcastToIsAStrideZeroViewLikeExpand() {
    NDArray row = NDArray.of(1f, 2f);
    NDArray b = row.broadcastTo(3, 2);
    assertArrayEquals(new int[] {3, 2}, b.shape());
    assertArrayEquals(new int[] {0, 1}, b.strides());
    assertTrue(b.sharesStorage(row));
    assertArrayEquals(new float[] {1, 2, 1, 2, 1, 2}, b.toFloatArray());
    assertArrayEquals(
        new float[] {1, 1, 2, 2},
        NDArray.of(1f, 2f).reshape(2, 1).broadcastTo(2, 2).toFloatArray());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> row.broadcastTo(3));
    assertTrue(e.getMessage().startsWith("broadcastTo:"), e.getMessage());
  }

  @Test
  void elementAccessChecksTheIndexAndRefusesBroadcastWrites() {
    NDArray m = NDArray.zeros(2, 3);
    m.set(4.5, 1, -1);
    assertEquals(4.5, m.getDouble(1, 2));
    assertEquals(4, m.getInt(-1, 2));
    assertThrows(IllegalArgumentException.class, () -> m.getDouble(1));
    assertThrows(IndexOutOfBoundsException.class, () -> m.getFloat(2, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> m.set(1, 0, -4));
    assertThrows(IllegalArgumentException.class, () -> m.select(0, 0).expand(4, 3).set(1, 0, 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, m::item);
    assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
    assertEquals(3, m.shape(-1));
    assertThrows(IndexOutOfBoundsException.class, () -> m.shape(2));
  }

  @Test
  void subAndDivInPlaceBroadcastTheOperandAndKeepTheDtype() {
    NDArray m = NDArray.of(new double[][] {{8, 6}, {4, 2}});
    assertSame(m, m.subInPlace(NDArray.of(1.0, 2.0)));
    assertArrayEquals(new double[] {7, 4, 3, 0}, m.toDoubleArray());
    m.divInPlace(NDArray.of(new double[][] {{2}, {4}}));
    assertArrayEquals(new double[] {3.5, 2, 0.75, 0}, m.toDoubleArray());
    m.subInPlace(0.5).divInPlace(0.25);
    assertArrayEquals(new double[] {12, 6, 1, -2}, m.toDoubleArray());
    assertEquals(DType.FLOAT64, m.dtype());
    NDArray ints = NDArray.ofInts(9, 6);
    assertArrayEquals(new int[] {6, 3}, ints.subInPlace(3).toIntArray());
    assertThrows(IllegalArgumentException.class, () -> ints.divInPlace(3)); // true division: float
    assertThrows(IllegalArgumentException.class, () -> ints.subInPlace(0.5));
    assertThrows(IllegalArgumentException.class, () -> m.divInPlace(NDArray.ones(3)));
  }

  @Test
  void dimIsTheRankAndMtTransposesEachMatrixOfABatch() {
    assertEquals(0, NDArray.scalar(1).dim());
    assertEquals(3, NDArray.zeros(2, 3, 4).dim());
    NDArray batch = NDArray.arange(12).reshape(2, 2, 3);
    NDArray t = batch.mT();
    assertArrayEquals(new int[] {2, 3, 2}, t.shape());
    assertTrue(t.sharesStorage(batch));
    // batch[1] = [[6, 7, 8], [9, 10, 11]], so t[1] = [[6, 9], [7, 10], [8, 11]]
    assertArrayEquals(new int[] {6, 9, 7, 10, 8, 11}, t.select(0, 1).toIntArray());
    assertThrows(IllegalArgumentException.class, () -> NDArray.of(1f, 2f).mT());
  }
}
