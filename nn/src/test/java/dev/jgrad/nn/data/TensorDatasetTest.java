package dev.jgrad.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.NDArray;
import org.junit.jupiter.api.Test;

class TensorDatasetTest {
  final NDArray x = NDArray.arange(12).to(dev.jgrad.tensor.DType.FLOAT32).reshape(4, 3);
  final NDArray y = NDArray.ofInts(7, 8, 9, 10);
  final TensorDataset d = new TensorDataset(x, y);

  @Test
  void examplesAreRowsOfBothArrays() {
    assertEquals(4, d.size());
    assertArrayEquals(new float[] {6, 7, 8}, d.input(2).toFloatArray());
    assertEquals(9, d.target(2).item());
    assertSame(x, d.inputs());
    assertSame(y, d.targets());
  }

  @Test
  void batchesGatherRowsInTheGivenOrder() {
    int[] idx = {3, 0, 3};
    assertArrayEquals(new float[] {9, 10, 11, 0, 1, 2, 9, 10, 11}, d.inputs(idx).toFloatArray());
    assertArrayEquals(new int[] {3, 3}, d.inputs(idx).shape());
    assertArrayEquals(new int[] {10, 7, 10}, d.targets(idx).toIntArray());
  }

  @Test
  void theFirstSizesMustAgree() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new TensorDataset(x, NDArray.ofInts(1)));
    assertTrue(e.getMessage().contains("[4, 3]") && e.getMessage().contains("[1]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TensorDataset(NDArray.scalar(1), y));
    assertThrows(IndexOutOfBoundsException.class, () -> d.input(4));
  }
}
