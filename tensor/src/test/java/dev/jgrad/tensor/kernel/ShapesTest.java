package dev.jgrad.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShapesTest {

  @Test
  void numelIsTheProductOfTheSizesAndFitsAnInt() {
    assertEquals(1, Shapes.numel());
    assertEquals(24, Shapes.numel(2, 3, 4));
    assertEquals(0, Shapes.numel(5, 0, 7));
    assertEquals(Integer.MAX_VALUE, Shapes.numel(Integer.MAX_VALUE, 1));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Shapes.numel(65536, 32768));
    assertTrue(e.getMessage().contains("[65536, 32768]"), e.getMessage());
  }

  @Test
  void contiguousStridesAreRowMajorAndSkipZeroSizes() {
    assertArrayEquals(new int[] {12, 4, 1}, Shapes.contiguousStrides(new int[] {2, 3, 4}));
    assertArrayEquals(new int[0], Shapes.contiguousStrides(new int[0]));
    // A zero size counts as 1, as in PyTorch: torch.empty(2, 0, 4).stride() is (4, 4, 1).
    assertArrayEquals(new int[] {4, 4, 1}, Shapes.contiguousStrides(new int[] {2, 0, 4}));
  }

  @Test
  void checkShapeNamesTheOpAndReturnsACopy() {
    int[] shape = {2, 3};
    int[] checked = Shapes.checkShape("zeros", shape);
    assertArrayEquals(shape, checked);
    assertNotSame(shape, checked);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Shapes.checkShape("ones", 2, -3));
    assertTrue(e.getMessage().startsWith("ones: ") && e.getMessage().contains("[2, -3]"));
    assertThrows(IllegalArgumentException.class, () -> Shapes.checkShape("full", 1 << 16, 1 << 16));
  }

  @Test
  void broadcastAlignsFromTheRight() {
    assertArrayEquals(
        new int[] {4, 2, 3}, Shapes.broadcast("add", new int[] {4, 1, 3}, new int[] {2, 1}));
    assertArrayEquals(new int[] {5}, Shapes.broadcast("add", new int[0], new int[] {5}));
    assertArrayEquals(new int[] {0, 3}, Shapes.broadcast("add", new int[] {0, 1}, new int[] {3}));
    assertArrayEquals(new int[0], Shapes.broadcast("add", new int[0], new int[0]));
  }

  @Test
  void broadcastErrorsNameTheOpBothShapesAndTheDim() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Shapes.broadcast("mul", new int[] {4, 2, 3}, new int[] {5, 3}));
    assertEquals(
        "mul: shapes [4, 2, 3] and [5, 3] cannot be broadcast (size 2 vs 5 at dim 1)",
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> Shapes.broadcast("add", new int[] {0}, new int[] {2}));
  }

  @Test
  void normalizeDimCountsNegativeDimsFromTheEnd() {
    assertEquals(0, Shapes.normalizeDim("sum", -3, 3));
    assertEquals(2, Shapes.normalizeDim("sum", -1, 3));
    assertEquals(2, Shapes.normalizeDim("sum", 2, 3));
    assertEquals(0, Shapes.normalizeDim("sum", -1, 0)); // a scalar accepts dim 0 and -1
    assertEquals(0, Shapes.normalizeDim("sum", 0, 0));
    IndexOutOfBoundsException e =
        assertThrows(IndexOutOfBoundsException.class, () -> Shapes.normalizeDim("softmax", 3, 3));
    assertEquals(
        "softmax: dim 3 out of range for a tensor of rank 3 (expected in [-3, 2])", e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> Shapes.normalizeDim("sum", -4, 3));
    assertThrows(IndexOutOfBoundsException.class, () -> Shapes.normalizeDim("sum", 1, 0));
    assertEquals("[2, 3]", Shapes.toString(new int[] {2, 3}));
    assertEquals("[]", Shapes.toString(new int[0]));
  }
}
