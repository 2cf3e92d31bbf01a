package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link StridedMatrix} addresses the elements its NDArray shows: element (i, j) of an operand is
 * {@code data[offset + i·rowStride + j·colStride]}, checked against {@link NDArray#getDouble} for
 * contiguous arrays and views, and through {@code transpose}, {@code rowBlock} and {@code
 * columnBlock}.
 */
class StridedMatrixTest {

  /** Element (i, j) of the operand, read by its definition. */
  private static double at(StridedMatrix s, int i, int j) {
    int f = s.offset() + i * s.rowStride() + j * s.colStride();
    return s.isFloat() ? s.floats()[f] : s.doubles()[f];
  }

  private static void assertShows(String what, NDArray x, StridedMatrix s) {
    assertEquals(x.shape()[0], s.rows(), what + ": rows");
    assertEquals(x.shape()[1], s.cols(), what + ": cols");
    for (int i = 0; i < s.rows(); i++) {
      for (int j = 0; j < s.cols(); j++) {
        assertEquals(x.getDouble(i, j), at(s, i, j), what + " at " + i + ", " + j);
      }
    }
  }

  /** A 4×6 array, and 4×6 views with offsets and strides other than the contiguous ones. */
  private static NDArray[] arrays(DType dtype) {
    NDArray base = NDArray.arange(0, 5 * 13).to(dtype).reshape(5, 13);
    return new NDArray[] {
      base.narrow(0, 0, 4).narrow(1, 0, 6).contiguous(),
      base.transpose(0, 1).narrow(0, 2, 6).narrow(1, 1, 4).transpose(0, 1), // [4, 6], column-major
      base.slice(1, 1, 13, 2).narrow(0, 1, 4), // [4, 6], offset 14, strides [13, 2]
      NDArray.arange(0, 6).to(dtype).reshape(1, 6).expand(4, 6) // row stride 0
    };
  }

  @Test
  void ofReadsTheArraysStorageThroughItsStrides() {
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      for (NDArray x : arrays(dtype)) {
        StridedMatrix s = StridedMatrix.of(x);
        assertShows(dtype + " " + java.util.Arrays.toString(x.strides()), x, s);
        assertSame(x.data, s.data());
        assertEquals(dtype == DType.FLOAT32, s.isFloat());
      }
    }
  }

  @Test
  void transposeRowBlockAndColumnBlockAddressTheSameElementsAsTheViews() {
    for (NDArray x : arrays(DType.FLOAT32)) {
      StridedMatrix s = StridedMatrix.of(x);
      assertShows("transpose", x.transpose(0, 1), s.transpose());
      assertShows("rows 1..2", x.narrow(0, 1, 2), s.rowBlock(1, 2));
      assertShows("columns 2..5", x.narrow(1, 2, 4), s.columnBlock(2, 4));
      assertShows("no rows", x.narrow(0, 4, 0), s.rowBlock(4, 0));
      assertShows(
          "a block of the transpose",
          x.transpose(0, 1).narrow(0, 3, 2).narrow(1, 1, 3),
          s.transpose().rowBlock(3, 2).columnBlock(1, 3));
    }
  }

  @Test
  void transposingTwiceGivesTheOperandBack() {
    StridedMatrix s = StridedMatrix.of(arrays(DType.FLOAT64)[2]);
    assertEquals(s, s.transpose().transpose());
    assertFalse(s.equals(s.transpose()));
    assertTrue(s.transpose().rowStride() == s.colStride());
  }
}
