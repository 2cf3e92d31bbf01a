package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code fill} and {@code copyFrom} past the size handled on the calling thread (2¹⁷ elements), on
 * whole arrays and on strided views, and copyFrom's refusal to write into a broadcast view. Written
 * for the mutants PIT left alive in {@code Elementwise} (issue #14): the small-array fast paths
 * covered everything the other tests write.
 */
class FillAndCopyTest {

  private static final int BIG = 3 << 16; // above 2 · PARALLEL_GRAIN: the parallel loop

  @Test
  void fillSetsEveryElementOfALargeArrayInEachDtype() {
    for (DType dtype : DType.values()) {
      NDArray a = NDArray.zeros(BIG).to(dtype).fill(7);
      for (double v : a.toDoubleArray()) {
        assertEquals(7.0, v, dtype.toString());
      }
    }
  }

  @Test
  void fillOfALargeStridedViewLeavesTheElementsBetween() {
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      NDArray a = NDArray.zeros(2, BIG).to(dtype);
      a.slice(1, 0, BIG, 2).fill(-3);
      double[] v = a.toDoubleArray();
      for (int i = 0; i < v.length; i++) {
        assertEquals(i % 2 == 0 ? -3.0 : 0.0, v[i], dtype + " at " + i);
      }
    }
  }

  @Test
  void copyFromALargeTransposedArrayInEachPairOfDtypes() {
    NDArray src = NDArray.arange(BIG).reshape(3, BIG / 3);
    for (DType from : DType.values()) {
      for (DType to : DType.values()) {
        NDArray s = src.to(from).transpose(0, 1); // not contiguous: the strided loop
        NDArray d = NDArray.zeros(BIG / 3, 3).to(to).copyFrom(s);
        double[] got = d.toDoubleArray();
        for (int i = 0; i < got.length; i++) {
          double expected = (i % 3) * (BIG / 3) + i / 3;
          assertEquals(expected, got[i], from + " -> " + to + " at " + i);
        }
      }
    }
  }

  @Test
  void copyFromRefusesABroadcastDestinationAndLeavesItsStorageAlone() {
    NDArray base = NDArray.arange(3).to(DType.FLOAT32);
    NDArray view = base.expand(2, 3);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> view.copyFrom(NDArray.ones(2, 3)));
    assertTrue(e.getMessage().startsWith("copyFrom"), e.getMessage());
    assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
    assertArrayEquals(new float[] {0, 1, 2}, base.toFloatArray());
  }
}
