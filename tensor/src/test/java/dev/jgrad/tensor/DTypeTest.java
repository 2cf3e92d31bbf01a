package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DTypeTest {

  @Test
  void promotionFollowsPyTorchAndIsSymmetric() {
    DType f32 = DType.FLOAT32;
    DType f64 = DType.FLOAT64;
    DType i32 = DType.INT32;
    DType[][] table = { // row op column
      {f32, f64, f32},
      {f64, f64, f64},
      {f32, f64, i32}
    };
    DType[] order = {f32, f64, i32};
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        assertEquals(
            table[r][c], DType.promote(order[r], order[c]), order[r] + " with " + order[c]);
      }
    }
  }

  @Test
  void sizesAndNamesMatchTheStorage() {
    assertEquals(4, DType.FLOAT32.byteSize());
    assertEquals(8, DType.FLOAT64.byteSize());
    assertEquals(4, DType.INT32.byteSize());
    assertTrue(Storage.allocate(DType.FLOAT32, 1) instanceof float[]);
    assertTrue(Storage.allocate(DType.FLOAT64, 1) instanceof double[]);
    assertTrue(Storage.allocate(DType.INT32, 1) instanceof int[]);
    assertTrue(DType.FLOAT32.isFloatingPoint());
    assertTrue(DType.FLOAT64.isFloatingPoint());
    assertFalse(DType.INT32.isFloatingPoint());
    assertEquals("float32", DType.FLOAT32.toString());
    assertEquals("float64", DType.FLOAT64.toString());
    assertEquals("int32", DType.INT32.toString());
  }
}
