package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CreationTest {

  @Test
  void creationHelpersFillAsDocumented() {
    assertArrayEquals(new int[] {0, 1, 2, 3}, NDArray.arange(4).toIntArray());
    assertEquals(DType.INT32, NDArray.arange(4).dtype());
    assertArrayEquals(new int[] {2, 3, 4}, NDArray.arange(2, 5).toIntArray());
    assertEquals(0, NDArray.arange(5, 2).numel());
    assertArrayEquals(new float[] {0f, 0.5f, 1f, 1.5f}, NDArray.arange(0, 2, 0.5).toFloatArray());
    assertArrayEquals(new float[] {3f, 2f, 1f}, NDArray.arange(3, 0, -1).toFloatArray());
    assertArrayEquals(
        new float[] {-1f, -0.5f, 0f, 0.5f, 1f}, NDArray.linspace(-1, 1, 5).toFloatArray());
    assertArrayEquals(new float[] {4f}, NDArray.linspace(4, 9, 1).toFloatArray());
    assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0}, NDArray.eye(2, 3).toFloatArray());
    assertArrayEquals(new float[] {1, 0, 0, 1}, NDArray.eye(2).toFloatArray());
    assertArrayEquals(new float[] {7, 7, 7}, NDArray.full(7, 3).toFloatArray());
    assertArrayEquals(new int[] {7, 7}, NDArray.full(DType.INT32, 7.9, 2).toIntArray());
    assertArrayEquals(new double[] {1, 1}, NDArray.ones(DType.FLOAT64, 2).toDoubleArray());
    assertArrayEquals(new int[] {2, 3}, NDArray.of(new float[][] {{1, 2, 3}, {4, 5, 6}}).shape());
    assertEquals(5.0, NDArray.of(new double[][] {{1, 2}, {5, 6}}).getDouble(1, 0));
    assertEquals(6.0, NDArray.of(new float[][] {{1, 2}, {5, 6}}).getDouble(-1, -1));
    assertEquals(3.5, NDArray.scalar(3.5).item());
    long negativeZero = Double.doubleToRawLongBits(-0.0);
    assertEquals(negativeZero, Double.doubleToRawLongBits(NDArray.scalar(-0.0).item()));
    assertEquals(negativeZero, Double.doubleToRawLongBits(NDArray.full(-0.0, 2).getDouble(1)));
    assertEquals(0, NDArray.scalar(3.5).rank());
    NDArray like = NDArray.zerosLike(NDArray.ofInts(1, 2, 3).reshape(3, 1));
    assertEquals(DType.INT32, like.dtype());
    assertArrayEquals(new int[] {3, 1}, like.shape());
    assertArrayEquals(new float[] {1, 1}, NDArray.onesLike(NDArray.of(5f, 6f)).toFloatArray());
  }

  @Test
  void fromArrayCopiesAndChecksTheElementCount() {
    float[] data = {1, 2, 3, 4, 5, 6};
    NDArray a = NDArray.fromArray(data, 2, 3);
    data[0] = 99;
    assertEquals(1f, a.getFloat(0, 0)); // a copy, not a view of the caller's array
    assertEquals(6.0, a.getDouble(1, 2));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> NDArray.fromArray(data, 4, 2));
    assertTrue(
        e.getMessage().contains("6 values") && e.getMessage().contains("[4, 2]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> NDArray.fromArray(new int[2], 3));
    assertThrows(IllegalArgumentException.class, () -> NDArray.fromArray(new double[2], 1));
    IllegalArgumentException ragged =
        assertThrows(IllegalArgumentException.class, () -> NDArray.of(new float[][] {{1, 2}, {3}}));
    assertTrue(ragged.getMessage().contains("row 1"), ragged.getMessage());
    assertThrows(IllegalArgumentException.class, () -> NDArray.of(new double[][] {{1}, {}}));
  }

  @Test
  void rangesRefuseWhatTheyCannotBuild() {
    assertThrows(IllegalArgumentException.class, () -> NDArray.arange(0, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> NDArray.arange(0, 1, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> NDArray.arange(0, 1e12, 1));
    assertThrows(
        IllegalArgumentException.class, () -> NDArray.arange(Integer.MIN_VALUE, Integer.MAX_VALUE));
    assertThrows(IllegalArgumentException.class, () -> NDArray.linspace(0, 1, -1));
    assertThrows(IllegalArgumentException.class, () -> NDArray.eye(2, -1));
  }

  @Test
  void randomArraysComeFromTheirGeneratorAndRange() {
    NDArray a = NDArray.randn(new Generator(42), 1000);
    NDArray b = NDArray.randn(new Generator(42), 1000);
    NDArray c = NDArray.randn(new Generator(43), 1000);
    assertArrayEquals(a.toFloatArray(), b.toFloatArray());
    assertFalse(java.util.Arrays.equals(a.toFloatArray(), c.toFloatArray()));
    assertEquals(0, a.mean().item(), 0.1);
    assertEquals(1, a.std().item(), 0.1);
    NDArray u = NDArray.rand(new Generator(1), 10000);
    assertTrue(u.min().item() >= 0 && u.max().item() < 1);
    assertEquals(0.5, u.mean().item(), 0.02);
    NDArray u64 = NDArray.rand(new Generator(1), DType.FLOAT64, 3);
    Generator g = new Generator(1);
    assertArrayEquals(
        new double[] {g.nextDouble(), g.nextDouble(), g.nextDouble()}, u64.toDoubleArray());
    NDArray n64 = NDArray.randn(new Generator(5), DType.FLOAT64, 2);
    Generator h = new Generator(5);
    assertArrayEquals(new double[] {h.nextGaussian(), h.nextGaussian()}, n64.toDoubleArray());
    NDArray r = NDArray.randint(new Generator(1), -2, 3, 10000);
    assertEquals(DType.INT32, r.dtype());
    assertEquals(-2, r.min().item());
    assertEquals(2, r.max().item());
    assertThrows(IllegalArgumentException.class, () -> NDArray.randint(new Generator(1), 3, 3, 1));
    assertThrows(
        IllegalArgumentException.class, () -> NDArray.randn(new Generator(1), DType.INT32, 1));
  }
}
