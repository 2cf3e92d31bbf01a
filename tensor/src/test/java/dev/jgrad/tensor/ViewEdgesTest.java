package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Views at their edges: flatten over a dim range (first, middle, last, the whole, one dim, a 0-d
 * array, a reversed range), squeeze of a dim that is not 1 and of a 0-d array, transpose of a 0-d
 * array, select with a negative index. Written for the view mutants no tensor test reached under
 * PIT (issue #14).
 */
class ViewEdgesTest {

  private static final NDArray A = NDArray.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5);

  @Test
  void flattenMergesExactlyTheDimsOfItsRange() {
    assertArrayEquals(new int[] {6, 4, 5}, A.flatten(0, 1).shape());
    assertArrayEquals(new int[] {2, 12, 5}, A.flatten(1, 2).shape());
    assertArrayEquals(new int[] {2, 3, 20}, A.flatten(2, 3).shape());
    assertArrayEquals(new int[] {2, 3, 20}, A.flatten(-2, -1).shape());
    assertArrayEquals(new int[] {120}, A.flatten(0, 3).shape());
    assertArrayEquals(new int[] {2, 3, 4, 5}, A.flatten(2, 2).shape());
    assertArrayEquals(A.toDoubleArray(), A.flatten(1, 2).toDoubleArray());
    assertArrayEquals(new int[] {1}, NDArray.scalar(7).flatten(0, -1).shape());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> A.flatten(2, 1));
    assertTrue(e.getMessage().contains("startDim 2 comes after endDim 1"), e.getMessage());
  }

  @Test
  void squeezeKeepsADimThatIsNotOneAndA0dArray() {
    NDArray b = NDArray.zeros(2, 1, 3);
    assertArrayEquals(new int[] {2, 3}, b.squeeze(1).shape());
    assertArrayEquals(new int[] {2, 1, 3}, b.squeeze(0).shape());
    assertArrayEquals(new int[] {2, 1, 3}, b.squeeze(-1).shape());
    NDArray s = NDArray.scalar(4);
    assertSame(s, s.squeeze(0));
    assertThrows(IndexOutOfBoundsException.class, () -> s.squeeze(1));
  }

  @Test
  void transposeOfA0dArrayIsTheArray() {
    NDArray s = NDArray.scalar(4);
    assertSame(s, s.transpose(0, -1));
  }

  @Test
  void selectCountsNegativeIndicesFromTheEnd() {
    NDArray m = NDArray.arange(6).reshape(2, 3);
    assertArrayEquals(new double[] {3, 4, 5}, m.select(0, -1).toDoubleArray());
    assertArrayEquals(new double[] {0, 1, 2}, m.select(0, -2).toDoubleArray());
    assertArrayEquals(new double[] {1, 4}, m.select(1, -2).toDoubleArray());
    assertThrows(IndexOutOfBoundsException.class, () -> m.select(0, -3));
    assertThrows(IndexOutOfBoundsException.class, () -> m.select(0, 2));
  }
}
