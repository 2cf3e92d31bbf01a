package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NDArrayTest {

  @Test
  void creationHelpersFillAsDocumented() {
    assertArrayEquals(new int[] {0, 1, 2, 3}, NDArray.arange(4).toIntArray());
    assertEquals(DType.INT32, NDArray.arange(4).dtype());
    assertArrayEquals(new float[] {0f, 0.5f, 1f, 1.5f}, NDArray.arange(0, 2, 0.5).toFloatArray());
    assertArrayEquals(
        new float[] {-1f, -0.5f, 0f, 0.5f, 1f}, NDArray.linspace(-1, 1, 5).toFloatArray());
    assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0}, NDArray.eye(2, 3).toFloatArray());
    assertArrayEquals(new float[] {7, 7, 7}, NDArray.full(7, 3).toFloatArray());
    assertArrayEquals(new int[] {2, 3}, NDArray.of(new float[][] {{1, 2, 3}, {4, 5, 6}}).shape());
    assertEquals(5.0, NDArray.of(new double[][] {{1, 2}, {5, 6}}).getDouble(1, 0));
    assertEquals(6.0, NDArray.of(new float[][] {{1, 2}, {5, 6}}).getDouble(-1, -1));
    assertEquals(3.5, NDArray.scalar(3.5).item());
    assertEquals(0, NDArray.scalar(3.5).rank());
  }

  @Test
  void theSameSeedGivesTheSameNumbersAndAnotherSeedOthers() {
    NDArray a = NDArray.randn(new Generator(42), 1000);
    NDArray b = NDArray.randn(new Generator(42), 1000);
    NDArray c = NDArray.randn(new Generator(43), 1000);
    assertArrayEquals(a.toFloatArray(), b.toFloatArray());
    assertFalse(java.util.Arrays.equals(a.toFloatArray(), c.toFloatArray()));
    double mean = a.mean().item();
    double std = a.std().item();
    assertEquals(0, mean, 0.1);
    assertEquals(1, std, 0.1);
    NDArray u = NDArray.rand(new Generator(1), 10000);
    assertTrue(u.min().item() >= 0 && u.max().item() < 1);
    assertEquals(0.5, u.mean().item(), 0.02);
    NDArray r = NDArray.randint(new Generator(1), -2, 3, 10000);
    assertEquals(-2, r.min().item());
    assertEquals(2, r.max().item());
  }

  @Test
  void generatorNextIntIsUniformOverItsBound() {
    Generator g = new Generator(7);
    int[] counts = new int[3];
    for (int i = 0; i < 30000; i++) {
      counts[g.nextInt(3)]++;
    }
    for (int c : counts) {
      assertEquals(10000, c, 400);
    }
  }

  @Test
  void toStringPrintsLikePyTorchWithShapeAndDtype() {
    NDArray a = NDArray.of(new float[][] {{1, 2}, {3, 4}});
    assertEquals(
        "tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]], shape=[2, 2], dtype=float32)",
        a.toString());
    assertEquals("tensor([1, 2, 3], shape=[3], dtype=int32)", NDArray.ofInts(1, 2, 3).toString());
    assertEquals(
        "tensor(2.5000, shape=[], dtype=float64)", NDArray.scalar(DType.FLOAT64, 2.5).toString());
    String big = NDArray.zeros(2000).toString();
    assertTrue(big.contains("..."), big);
    assertTrue(big.length() < 200, big);
  }

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
}
