package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * {@link NDArray#fromUnsignedBytes}, the IDX readers' pixel conversion, against the plain loop it
 * replaces: every element is {@code (data[offset + i] & 0xFF) / divisor} in float, across chunk
 * boundaries, and bad offsets or shapes are refused with the op's name.
 */
class UnsignedBytesProperties {

  @Property(tries = 60)
  void everyElementIsTheUnsignedByteDividedInFloat(
      @ForAll @Size(max = 9000) byte[] data,
      @ForAll @IntRange(min = 0, max = 40) int offset,
      @ForAll @FloatRange(min = 0.5f, max = 1000f) float divisor) {
    int n = Math.max(0, data.length - offset);
    int rows = n % 3 == 0 ? 3 : 1;
    NDArray a =
        NDArray.fromUnsignedBytes(data, Math.min(offset, data.length), divisor, rows, n / rows);
    float[] expected = new float[n];
    for (int i = 0; i < n; i++) {
      int unsigned = data[offset + i] < 0 ? data[offset + i] + 256 : data[offset + i];
      expected[i] = unsigned / divisor;
    }
    assertEquals(DType.FLOAT32, a.dtype());
    assertArrayEquals(new int[] {rows, n / rows}, a.shape());
    assertArrayEquals(expected, a.toFloatArray());
  }

  @Test
  void pixelsScaleToTheUnitInterval() {
    byte[] idx = {9, 9, 0, (byte) 128, (byte) 255, 51};
    NDArray a = NDArray.fromUnsignedBytes(idx, 2, 255f, 2, 2);
    assertArrayEquals(new float[] {0f, 128 / 255f, 1f, 0.2f}, a.toFloatArray());
  }

  @Test
  void theBytesAreReadNotShared() {
    byte[] data = {1, 2, 3, 4};
    NDArray a = NDArray.fromUnsignedBytes(data, 0, 1f, 4);
    data[0] = 100;
    assertEquals(1f, a.toFloatArray()[0]);
  }

  @Test
  void tooFewBytesABadOffsetOrABadShapeAreRefusedByName() {
    byte[] data = new byte[10];
    for (Runnable call :
        new Runnable[] {
          () -> NDArray.fromUnsignedBytes(data, 0, 255f, 11),
          () -> NDArray.fromUnsignedBytes(data, 2, 255f, 3, 3),
          () -> NDArray.fromUnsignedBytes(data, -1, 255f, 2),
          () -> NDArray.fromUnsignedBytes(data, 11, 255f, 0),
          () -> NDArray.fromUnsignedBytes(data, 0, 255f, -2),
          () -> NDArray.fromUnsignedBytes(data, 0, 255f, 65536, 65536),
        }) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
      assertTrue(e.getMessage().startsWith("fromUnsignedBytes"), e.getMessage());
    }
    assertArrayEquals(new int[] {0}, NDArray.fromUnsignedBytes(data, 10, 255f, 0).shape());
    assertArrayEquals(
        new float[] {0f, 0f}, NDArray.fromUnsignedBytes(data, 8, 255f, 2).toFloatArray());
  }
}
