package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StorageTest {

  @Test
  void setConvertsLikeACastAndGetReadsBack() {
    Object f = Storage.allocate(DType.FLOAT32, 3);
    Object d = Storage.allocate(DType.FLOAT64, 3);
    Object i = Storage.allocate(DType.INT32, 3);
    for (Object s : new Object[] {f, d, i}) {
      assertEquals(3, Storage.length(s));
      assertEquals(0.0, Storage.get(s, 2)); // new storage is zero
    }
    double third = 1.0 / 3;
    Storage.set(f, 0, third);
    Storage.set(d, 0, third);
    Storage.set(i, 0, -2.9);
    Storage.set(i, 1, 2.9);
    assertEquals((double) (float) third, Storage.get(f, 0)); // rounded to float
    assertEquals(third, Storage.get(d, 0));
    assertEquals(-2.0, Storage.get(i, 0)); // truncated toward zero
    assertEquals(2.0, Storage.get(i, 1));
    Storage.set(f, 1, 1e300);
    assertEquals(Double.POSITIVE_INFINITY, Storage.get(f, 1)); // float overflow
  }
}
