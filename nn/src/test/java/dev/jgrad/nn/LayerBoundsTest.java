package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;
import org.junit.jupiter.api.Test;

/**
 * The edges of Linear's and Embedding's arguments: size 1 is the smallest accepted, 0 is refused; a
 * padding index is any row from −n to n − 1; a 0-d input is refused by Linear. Written for the
 * boundary mutants PIT left alive in their constructors (issue #14).
 */
class LayerBoundsTest {

  private static final Generator G = new Generator(14);

  @Test
  void linearTakesSizesFromOneAndRefusesZero() {
    Linear one = new Linear(1, 1, true, G);
    assertArrayEquals(new int[] {4, 1}, one.forward(Tensor.ones(4, 1)).shape());
    for (int[] sizes : new int[][] {{0, 1}, {1, 0}, {-1, 2}}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> new Linear(sizes[0], sizes[1], true, G));
      assertTrue(e.getMessage().startsWith("Linear: sizes must be positive"), e.getMessage());
    }
  }

  @Test
  void linearRefusesAZeroDimInput() {
    Linear one = new Linear(1, 2, true, G);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> one.forward(Tensor.scalar(3)));
    assertTrue(e.getMessage().contains("1 features"), e.getMessage());
  }

  @Test
  void embeddingTakesSizesFromOneAndPaddingRowsFromMinusNToNMinusOne() {
    Embedding one = new Embedding(1, 1, null, G);
    assertArrayEquals(new int[] {2, 1}, one.forward(Tensor.ofInts(0, 0)).shape());
    assertThrows(IllegalArgumentException.class, () -> new Embedding(0, 1, null, G));
    assertThrows(IllegalArgumentException.class, () -> new Embedding(1, 0, null, G));
    for (int padding : new int[] {-3, -1, 0, 2}) {
      Embedding e = new Embedding(3, 2, padding, G);
      assertEquals("3, 2, padding_idx=" + Math.floorMod(padding, 3), e.extraRepr());
    }
    for (int padding : new int[] {-4, 3}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new Embedding(3, 2, padding, G));
      assertTrue(e.getMessage().contains("paddingIdx " + padding), e.getMessage());
    }
    assertEquals("3, 2", new Embedding(3, 2, null, G).extraRepr());
  }
}
