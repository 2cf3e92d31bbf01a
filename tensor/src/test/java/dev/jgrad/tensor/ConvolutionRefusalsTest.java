package dev.jgrad.tensor;

import static dev.jgrad.tensor.ConvolutionProperties.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * What convTranspose2d and the weight correlation refuse, each check on its own: wrong ranks, an
 * integer dtype, bad groups, an empty kernel, extents past 2³⁰, and a y larger than the input's
 * positions in either dim; and the boundary cases they must accept. Written for the mutants PIT
 * left alive in {@code Convolution} (issue #14); the bad-input fuzzers, which also reach these, are
 * left out of PIT runs.
 */
class ConvolutionRefusalsTest {

  private static final int[] ONE = {1};
  private static final int[] ZERO = {0};

  private static NDArray transposed(NDArray y, NDArray w, int[] stride, int groups) {
    return y.convTranspose2d(w, null, stride, ZERO, ZERO, groups, ONE);
  }

  @Test
  void convTranspose2dChecksRanksAndDtypesOfBothOperands() {
    NDArray w = NDArray.zeros(2, 3, 2, 2);
    assertMessage(
        () -> transposed(NDArray.zeros(2, 4, 4), w, ONE, 1),
        "convTranspose2d",
        "4-D input",
        "[2, 4, 4]");
    assertMessage(
        () -> transposed(NDArray.zeros(1, 2, 4, 4), NDArray.zeros(2, 3, 2), ONE, 1),
        "convTranspose2d",
        "4-D weight",
        "[2, 3, 2]");
    assertMessage(
        () -> transposed(NDArray.zeros(1, 2, 4, 4).to(DType.INT32), w, ONE, 1),
        "convTranspose2d",
        "floating-point",
        "int32");
    assertMessage(
        () -> transposed(NDArray.zeros(1, 2, 4, 4), w.to(DType.FLOAT64), ONE, 1),
        "convTranspose2d",
        "one dtype");
  }

  @Test
  void convTranspose2dChecksGroupsAndTheKernel() {
    NDArray y = NDArray.zeros(1, 2, 4, 4);
    assertMessage(
        () -> transposed(y, NDArray.zeros(2, 3, 2, 2), ONE, 0), "convTranspose2d", "groups = 0");
    assertMessage(
        () -> transposed(NDArray.zeros(1, 3, 4, 4), NDArray.zeros(3, 3, 2, 2), ONE, 2),
        "convTranspose2d",
        "groups = 2");
    assertMessage(
        () -> transposed(y, NDArray.zeros(2, 3, 0, 2), ONE, 1), "convTranspose2d", "empty kernel");
    assertMessage(
        () -> transposed(y, NDArray.zeros(2, 3, 2, 0), ONE, 1), "convTranspose2d", "empty kernel");
    // Two groups of one channel each, a 1×1 kernel: the smallest case each check lets through.
    NDArray ok = transposed(NDArray.ones(1, 2, 1, 1), NDArray.ones(2, 1, 1, 1), ONE, 2);
    assertArrayEquals(new float[] {1, 1}, ok.toFloatArray());
  }

  @Test
  void convTranspose2dRefusesExtentsPastTwoToThe30InEitherDim() {
    NDArray y = NDArray.zeros(1, 1, 2, 2);
    NDArray w = NDArray.zeros(1, 1, 1, 1);
    int big = 1 << 30;
    assertMessage(() -> transposed(y, w, new int[] {big, 1}, 1), "convTranspose2d", "height");
    assertMessage(() -> transposed(y, w, new int[] {1, big}, 1), "convTranspose2d", "width");
    // (2 − 1)·(2³⁰ − 1) + 1 = 2³⁰ exactly: allowed by the check, then too big to allocate.
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> transposed(y, w, new int[] {big - 1, big - 1}, 1));
    assertFalse(e.getMessage().contains("exceeds the supported"), e.getMessage());
  }

  @Test
  void theWeightCorrelationChecksRanksDtypesAndBothDims() {
    NDArray x = NDArray.zeros(2, 4, 6, 6);
    int[] k3 = {3};
    assertMessage(
        () -> NDArray.zeros(4, 6, 6).conv2dWeightCorrelation(x, k3, ONE, ZERO, ONE, 1),
        "conv2dWeightCorrelation",
        "4-D input");
    assertMessage(
        () -> x.conv2dWeightCorrelation(NDArray.zeros(2, 5, 4), k3, ONE, ZERO, ONE, 1),
        "conv2dWeightCorrelation",
        "4-D y");
    assertMessage(
        () ->
            x.conv2dWeightCorrelation(
                NDArray.zeros(2, 5, 4, 4).to(DType.FLOAT64), k3, ONE, ZERO, ONE, 1),
        "conv2dWeightCorrelation",
        "one dtype");
    assertMessage(
        () -> x.conv2dWeightCorrelation(NDArray.zeros(2, 5, 4, 5), k3, ONE, ZERO, ONE, 1),
        "conv2dWeightCorrelation",
        "larger",
        "[2, 5, 4, 5]");
    NDArray fits = x.conv2dWeightCorrelation(NDArray.zeros(2, 5, 4, 4), k3, ONE, ZERO, ONE, 1);
    assertArrayEquals(new int[] {5, 4, 3, 3}, fits.shape());
  }
}
