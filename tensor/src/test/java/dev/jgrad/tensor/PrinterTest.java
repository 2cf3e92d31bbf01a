package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrinterTest {

  @Test
  void printsLikePyTorchWithShapeAndDtype() {
    NDArray a = NDArray.of(new float[][] {{1, 2}, {3, 4}});
    assertEquals(
        "tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]], shape=[2, 2], dtype=float32)",
        a.toString());
    assertEquals("tensor([1, 2, 3], shape=[3], dtype=int32)", NDArray.ofInts(1, 2, 3).toString());
    assertEquals(
        "tensor(2.5000, shape=[], dtype=float64)", NDArray.scalar(DType.FLOAT64, 2.5).toString());
    assertEquals("tensor([], shape=[0], dtype=float32)", NDArray.zeros(0).toString());
  }

  @Test
  void viewsPrintInTheirOwnOrder() {
    NDArray t = NDArray.arange(6).reshape(2, 3).t(); // [[0, 3], [1, 4], [2, 5]]
    assertEquals(
        "tensor([[0, 3],\n        [1, 4],\n        [2, 5]], shape=[3, 2], dtype=int32)",
        t.toString());
  }

  @Test
  void threeDimsSeparateBlocksWithABlankLine() {
    NDArray a = NDArray.arange(8).reshape(2, 2, 2);
    // Rows align under "tensor([[" (9 characters), blocks under "tensor([" (8).
    assertEquals(
        "tensor([[[0, 1],\n"
            + " ".repeat(9)
            + "[2, 3]],\n\n"
            + " ".repeat(8)
            + "[[4, 5],\n"
            + " ".repeat(9)
            + "[6, 7]]],"
            + " shape=[2, 2, 2], dtype=int32)",
        a.toString());
  }

  @Test
  void oneNumberStyleForAWholeArray() {
    assertEquals(
        "tensor([1.0000e-05, 2.0000e+00], shape=[2], dtype=float64)",
        NDArray.of(1e-5, 2.0).toString());
    assertEquals(
        "tensor([1.0000e+09, 1.0000e+00], shape=[2], dtype=float64)",
        NDArray.of(1e9, 1.0).toString());
    assertEquals(
        "tensor([nan, inf, -inf, 0.5000], shape=[4], dtype=float64)",
        NDArray.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.5).toString());
    assertEquals(
        "tensor([-1.2500, 0.0000], shape=[2], dtype=float32)", NDArray.of(-1.25f, 0f).toString());
  }

  @Test
  void largeArraysShowThreeItemsAtEachEndOfEveryDim() {
    NDArray big = NDArray.arange(2000);
    assertEquals(
        "tensor([0, 1, 2, ..., 1997, 1998, 1999], shape=[2000], dtype=int32)", big.toString());
    String rows = NDArray.arange(1100).reshape(100, 11).toString();
    assertTrue(rows.startsWith("tensor([[0, 1, 2, ..., 8, 9, 10],\n"), rows);
    assertTrue(rows.contains("\n        ...,\n"), rows);
    assertTrue(
        rows.endsWith(
            "[1089, 1090, 1091, ..., 1097, 1098, 1099]], shape=[100, 11]," + " dtype=int32)"),
        rows);
    String small = NDArray.arange(1000).toString(); // at the threshold: every value
    assertTrue(small.contains(", 500, 501, ") && !small.contains("..."), small);
  }
}
