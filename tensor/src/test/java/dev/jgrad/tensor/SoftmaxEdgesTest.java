package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Softmax on the inputs the kernel tests left out (PIT, issue #14): a 0-d array (softmax 1,
 * log-softmax 0), an INT32 array (computed in FLOAT32), and more short rows than one chunk holds,
 * so rows after the first chunk are placed by their own offsets.
 */
class SoftmaxEdgesTest {

  @Test
  void aZeroDimArrayIsOneRowOfOne() {
    NDArray x = NDArray.scalar(DType.FLOAT32, 3.5);
    NDArray s = x.softmax(0);
    assertArrayEquals(new int[0], s.shape());
    assertArrayEquals(new float[] {1f}, s.toFloatArray());
    assertArrayEquals(new float[] {0f}, x.logSoftmax(-1).toFloatArray());
  }

  @Test
  void integersAreSoftmaxedInFloat() {
    NDArray s = NDArray.arange(3).to(DType.INT32).softmax(0);
    assertEquals(DType.FLOAT32, s.dtype());
    double z = 1 + Math.E + Math.E * Math.E;
    float[] expected = {(float) (1 / z), (float) (Math.E / z), (float) (Math.E * Math.E / z)};
    float[] got = s.toFloatArray();
    for (int i = 0; i < 3; i++) {
      assertEquals(expected[i], got[i], 1e-6);
    }
  }

  @Test
  void manyShortRowsEachGetTheirOwnSoftmax() {
    int rows = 30_000; // rows of 3: 21,845 per chunk of 2^16 elements, so two chunks
    Generator g = new Generator(12);
    for (boolean log : new boolean[] {false, true}) {
      NDArray x = NDArray.randn(g, rows, 3).mul(3);
      float[] got = (log ? x.logSoftmax(1) : x.softmax(1)).toFloatArray();
      float[] v = x.toFloatArray();
      for (int r = 0; r < rows; r++) {
        double max = Math.max(v[3 * r], Math.max(v[3 * r + 1], v[3 * r + 2]));
        double sum = 0;
        for (int i = 0; i < 3; i++) {
          sum += Math.exp(v[3 * r + i] - max);
        }
        for (int i = 0; i < 3; i++) {
          double p = Math.exp(v[3 * r + i] - max) / sum;
          double expected = log ? Math.log(p) : p;
          assertEquals(expected, got[3 * r + i], 1e-5, (log ? "log " : "") + "row " + r);
        }
      }
    }
  }
}
