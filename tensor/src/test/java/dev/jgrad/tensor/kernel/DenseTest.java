package dev.jgrad.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import org.junit.jupiter.api.Test;

class DenseTest {

  @Test
  void floatsAcceptsOnlyContiguousFloat32ArraysOfOneShape() {
    NDArray a = NDArray.zeros(2, 3);
    NDArray b = NDArray.ones(2, 3);
    assertTrue(Dense.floats(a));
    assertTrue(Dense.floats(a, b, null)); // null operands are skipped
    assertTrue(Dense.floats());
    assertTrue(Dense.floats(NDArray.zeros(4, 3).narrow(0, 1, 2), b)); // a contiguous part
    assertFalse(Dense.floats(a, NDArray.ones(3, 2)));
    assertFalse(Dense.floats(a, NDArray.ones(3, 2).t())); // right shape, transposed
    assertFalse(Dense.floats(a, NDArray.ones(DType.FLOAT64, 2, 3)));
    assertFalse(Dense.floats(NDArray.ones(DType.INT32, 2, 3)));
    assertFalse(Dense.floats(NDArray.ones(1, 3).expand(2, 3)));
  }

  @Test
  void arrayIsTheStorageWithElementIAtOffsetPlusI() {
    NDArray m = NDArray.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
    NDArray row = m.select(0, 1);
    float[] storage = Dense.array(row);
    assertEquals(3, row.offset());
    for (int i = 0; i < row.numel(); i++) {
      assertEquals(4 + i, storage[row.offset() + i]);
    }
    storage[row.offset()] = 40; // writes show through every view of the storage
    assertEquals(40f, m.getFloat(1, 0));
    assertSame(storage, Dense.array(m));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Dense.array(NDArray.ofInts(1)));
    assertTrue(e.getMessage().contains("int32"), e.getMessage());
  }

  @Test
  void newFloatsIsAContiguousFloat32ArrayOfItsOwn() {
    NDArray a = Dense.newFloats(2, 5);
    NDArray b = Dense.newFloats(2, 5);
    assertEquals(DType.FLOAT32, a.dtype());
    assertArrayEquals(new int[] {2, 5}, a.shape());
    assertEquals(0, a.offset());
    assertTrue(a.isContiguous());
    assertEquals(10, Dense.array(a).length);
    assertFalse(a.sharesStorage(b));
    assertArrayEquals(new int[0], Dense.newFloats().shape());
    assertThrows(IllegalArgumentException.class, () -> Dense.newFloats(-1));
  }

  @Test
  void theStorageAccessIsInstalledOnce() {
    Dense.Access fake =
        new Dense.Access() {
          @Override
          public Object storage(NDArray a) {
            return null;
          }

          @Override
          public NDArray allocate(DType dtype, int[] shape) {
            return null;
          }
        };
    assertThrows(IllegalStateException.class, () -> Dense.install(fake));
    assertEquals(1, Dense.newFloats(1).numel()); // still NDArray's own access
  }
}
