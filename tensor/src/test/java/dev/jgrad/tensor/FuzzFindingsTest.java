package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.kernel.Shapes;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The bugs nn's {@code OpFuzzProperties} found (issue #14), one regression each: every call here
 * ended in an ArrayIndexOutOfBoundsException, an OutOfMemoryError, or an error naming a helper op
 * instead of the op called, and must now be a clear refusal naming the op and its arguments.
 */
class FuzzFindingsTest {
  static final int MAX = Integer.MAX_VALUE;

  /** A [n] FLOAT32 view of one stored element: huge, but with no storage of its own. */
  static NDArray huge(int n) {
    return NDArray.of(1f).expand(n);
  }

  static <T extends RuntimeException> void refused(
      Class<T> type, Executable call, String... parts) {
    T e = assertThrows(type, call);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), () -> e.getMessage() + " should name " + part);
    }
  }

  @Test
  void scatterAddRefusesASourceOfAnotherRank() { // was ArrayIndexOutOfBoundsException
    NDArray a = NDArray.zeros(2, 2);
    NDArray index = NDArray.fromArray(new int[] {0, 1, 1, 0}, 2, 2);
    refused(
        IllegalArgumentException.class,
        () -> a.scatterAdd(0, index, NDArray.zeros(2)),
        "scatterAdd",
        "[2]",
        "[2, 2]");
  }

  @Test
  void selectRefusesAZeroDimArray() { // was ArrayIndexOutOfBoundsException
    refused(IndexOutOfBoundsException.class, () -> NDArray.scalar(3).select(0, 0), "select", "[]");
  }

  @Test
  void poolingRefusesHugePlanesBeforeBuildingWindows() { // were OutOfMemoryError
    NDArray x = NDArray.zeros(1, 2, 1, 4);
    refused(
        IllegalArgumentException.class,
        () -> x.adaptiveAvgPool2d(MAX, 1),
        "adaptiveAvgPool2d",
        "2147483647");
    int[] one = {1, 1};
    int[] zero = {0, 0};
    refused(
        IllegalArgumentException.class,
        () -> NDArray.zeros(4, 2, 2, 1).avgPool2dAdjoint(5, MAX, one, one, zero, false, true),
        "avgPool2dAdjoint",
        "2147483647");
    refused(
        IllegalArgumentException.class,
        () -> NDArray.zeros(1, 1, 2, 2).adaptiveAvgPool2dAdjoint(MAX - 1, 3),
        "adaptiveAvgPool2dAdjoint",
        "2147483646");
  }

  @Test
  void sortingAHugeRowIsRefusedBeforeItsScratch() { // was OutOfMemoryError
    refused(IllegalArgumentException.class, () -> huge(MAX).topk(3, 0, true, true), "topk");
    refused(IllegalArgumentException.class, () -> huge(MAX).sort(0, false), "sort");
  }

  @Test
  void multinomialOfHugeRowsIsRefused() { // was OutOfMemoryError
    NDArray probs = NDArray.of(1f).reshape(1, 1).expand(MAX, 1);
    refused(
        IllegalArgumentException.class,
        () -> probs.multinomial(3, true, new Generator(1)),
        "multinomial",
        "2147483647");
  }

  @Test
  void splittingIntoMoreViewsThanAHeapHoldsIsRefused() { // were OutOfMemoryError
    refused(IllegalArgumentException.class, () -> huge(MAX).split(1, 0), "split", "2147483647");
    refused(
        IllegalArgumentException.class,
        () -> NDArray.zeros(0).chunk(MAX, 0),
        "chunk",
        "2147483647");
    // ⌈n / chunks⌉ overflowed for chunks near 2³¹ and the error named split
    assertEquals(3, NDArray.zeros(3).chunk(MAX, 0).size());
  }

  @Test
  void anEmptyShapeWithHugeSizesHoldsNothing() { // numel threw for [2³¹ − 1, 2³¹ − 1, 0]
    NDArray empty = NDArray.fromArray(new float[0], MAX, MAX, 0);
    assertEquals(0, empty.numel());
    assertEquals(0, empty.to(DType.FLOAT64).numel());
  }

  @Test
  void anAllocationBeyondTheHeapIsRefusedBeforeTrying() { // was OutOfMemoryError
    long heap = Runtime.getRuntime().maxMemory();
    long count = heap / Double.BYTES + 1;
    Assumptions.assumeTrue(count <= Shapes.MAX_ARRAY_LENGTH, "a heap beyond 16 GiB");
    refused(
        IllegalArgumentException.class,
        () -> NDArray.zeros(DType.FLOAT64, (int) count),
        "zeros",
        "maximum heap",
        "[" + count + "]");
  }

  @Test
  void opsBuiltOnOthersNameThemselves() { // named to, expand, clone, clamp or zeros
    NDArray hugeInts = NDArray.ofInts(1).expand(MAX);
    refused(
        IllegalArgumentException.class, () -> hugeInts.sub(NDArray.of(1f)), "sub", "[2147483647]");
    NDArray column = NDArray.zeros(4, 1);
    refused(IllegalArgumentException.class, () -> column.ge(huge(MAX)), "ge", "[4, 2147483647]");
    refused(IllegalArgumentException.class, () -> huge(MAX).clampMin(0), "clampMin");
    refused(IllegalArgumentException.class, () -> huge(MAX).clampMax(0), "clampMax");
    refused(
        IllegalArgumentException.class,
        () -> NDArray.of(1f).reshape(1, 1).expand(1, MAX).tril(0),
        "tril");
    NDArray index = NDArray.fromArray(new int[] {0, 1}, 2);
    refused(
        IllegalArgumentException.class,
        () -> huge(MAX).scatterAdd(0, index, NDArray.zeros(2)),
        "scatterAdd");
    refused(IllegalArgumentException.class, () -> hugeInts.exp(), "exp", "[2147483647]");
    int[] one = {1, 1};
    refused(
        IllegalArgumentException.class,
        () ->
            NDArray.zeros(1, 1, 46341, 1)
                .convTranspose2d(
                    NDArray.zeros(1, 1, 1, 46341),
                    null,
                    one,
                    new int[] {0, 0},
                    new int[] {0, 0},
                    1,
                    one),
        "convTranspose2d");
  }

  @Test
  void messagesNameTheArguments() { // named neither shapes nor counts
    refused(
        IllegalArgumentException.class,
        () -> NDArray.scalar(1).indexSelect(0, NDArray.ofInts(0)),
        "indexSelect",
        "[]");
    refused(IllegalArgumentException.class, () -> NDArray.cat(0), "cat", "got 0");
    refused(IllegalArgumentException.class, () -> NDArray.stack(0), "stack", "got 0");
    refused(
        IllegalArgumentException.class,
        () -> NDArray.cat(0, NDArray.scalar(1), NDArray.scalar(2)),
        "cat",
        "[]");
    refused(
        IllegalArgumentException.class,
        () -> NDArray.zeros(1, 0, 3).adaptiveAvgPool2dAdjoint(4, 4),
        "adaptiveAvgPool2dAdjoint",
        "[1, 0, 3]");
  }
}
