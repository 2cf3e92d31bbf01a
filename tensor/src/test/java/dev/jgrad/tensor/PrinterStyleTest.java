package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Where the printed number style changes (PyTorch's rule): scientific from a largest magnitude of
 * 1e8, below a smallest magnitude of 1e-4, or when the magnitudes span more than 1e3 with the
 * smallest under 1e-2; infinities by sign; a summarised dim elided only when longer than twice the
 * edge. Each case sits on one side of a boundary, written for the boundary mutants PIT left alive
 * in Printer (issue #14).
 */
class PrinterStyleTest {

  private static String body(double... values) {
    return Printer.formatBody(NDArray.of(values).to(DType.FLOAT64), false, 0);
  }

  @Test
  void theLargestMagnitudeTurnsScientificAtExactlyOneE8() {
    assertEquals("[1.0000e+08]", body(1e8));
    assertEquals("[-1.0000e+08]", body(-1e8));
    assertEquals("[99999999.0000]", body(99_999_999));
  }

  @Test
  void theSmallestMagnitudeTurnsScientificBelowOneEMinus4() {
    assertEquals("[0.0001]", body(1e-4));
    assertEquals("[9.0000e-05]", body(9e-5));
    assertEquals("[0.0000, 0.0001]", body(0, 1e-4)); // zeros do not count
  }

  @Test
  void aWideSpanTurnsScientificOnlyAboveOneE3WithTheSmallestUnderOneEMinus2() {
    assertEquals("[0.0050, 5.0000]", body(0.005, 5)); // span exactly 1e3
    assertEquals("[5.0000e-03, 5.0100e+00]", body(0.005, 5.01));
    assertEquals("[0.0100, 20.0000]", body(0.01, 20)); // span 2e3, smallest not under 1e-2
    assertEquals("[9.0000e-03, 2.0000e+01]", body(0.009, 20));
  }

  @Test
  void infinitiesAndNanPrintByName() {
    assertEquals(
        "[inf, -inf, nan, 1.0000]",
        body(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1));
  }

  @Test
  void aSummarisedDimOfTwiceTheEdgeIsPrintedWhole() {
    NDArray whole = NDArray.arange(6 * 200).reshape(6, 200);
    String text = Printer.formatBody(whole, true, 0);
    for (int row = 0; row < 6; row++) {
      assertEquals(true, text.contains("[" + row * 200 + ", "), "row " + row + " in " + text);
    }
    NDArray longer = NDArray.arange(7 * 200).reshape(7, 200);
    String elided = Printer.formatBody(longer, true, 0);
    assertEquals(false, elided.contains("[600, "), elided);
    assertEquals(true, elided.contains("[400, ") && elided.contains("[800, "), elided);
  }
}
