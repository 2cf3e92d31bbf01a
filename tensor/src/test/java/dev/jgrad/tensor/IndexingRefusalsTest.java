package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The indexing ops' checks one at a time (an index that is not INT32, of the wrong rank, larger
 * than the input or the source off the indexed dim, one past either end, a broadcast destination),
 * each with the case just inside it that must pass, and the results worked out by hand. Written for
 * the mutants PIT left alive in {@code Indexing} (issue #14); the bad-input fuzzers that also reach
 * these are left out of PIT runs.
 */
class IndexingRefusalsTest {

  private static NDArray ints(int[] v, int... shape) {
    return NDArray.fromArray(v, shape);
  }

  private static final NDArray X = NDArray.arange(6).to(DType.FLOAT32).reshape(2, 3);

  private static void refused(Executable call, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), e.getMessage() + " should mention " + part);
    }
  }

  private static void outOfRange(Executable call, String op) {
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, call);
    assertTrue(e.getMessage().startsWith(op), e.getMessage());
  }

  @Test
  void gatherChecksTheIndexDtypeRankAndSizes() {
    refused(() -> X.gather(1, NDArray.zeros(2, 1)), "gather", "INT32");
    refused(() -> X.gather(1, ints(new int[] {0, 1}, 2)), "gather", "same number of dims");
    refused(() -> X.gather(1, ints(new int[] {0, 0, 0}, 3, 1)), "gather", "larger", "dim 0");
    // Along the gathered dim the index may be longer than the input: [2, 4] from [2, 3].
    NDArray g = X.gather(1, ints(new int[] {2, 2, 0, 1, -3, 0, -1, 2}, 2, 4));
    assertArrayEquals(new float[] {2, 2, 0, 1, 3, 3, 5, 5}, g.toFloatArray());
    outOfRange(() -> X.gather(1, ints(new int[] {3}, 1, 1)), "gather");
    outOfRange(() -> X.gather(1, ints(new int[] {-4}, 1, 1)), "gather");
  }

  @Test
  void gatherOfAZeroDimArray() {
    NDArray scalar = NDArray.scalar(7.5);
    assertArrayEquals(
        new double[] {7.5}, scalar.gather(0, ints(new int[] {0}, new int[0])).toDoubleArray());
  }

  @Test
  void scatterAddChecksTheSourceAndTheDestination() {
    NDArray index = ints(new int[] {0, 2}, 1, 2);
    refused(() -> X.scatterAdd(1, index, NDArray.ones(2)), "scatterAdd", "source of shape [2]");
    refused(
        () -> X.scatterAdd(1, index, NDArray.ones(1, 1)),
        "scatterAdd",
        "larger",
        "the source of shape [1, 1]");
    NDArray broadcast = NDArray.zeros(3).expand(2, 3);
    refused(
        () -> broadcast.scatterAddInPlace(1, index, NDArray.ones(1, 2)),
        "scatterAddInPlace",
        "expanded");
    NDArray added = X.scatterAdd(1, index, NDArray.ones(1, 2).mul(10));
    assertArrayEquals(new float[] {10, 1, 12, 3, 4, 5}, added.toFloatArray());
    assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, X.toFloatArray()); // not in place
  }

  @Test
  void aSourceSharingTheDestinationIsReadBeforeItIsWritten() {
    // Row scatter and general loop alike: out[0, index] += out[0, 0..2] read before any write.
    for (DType dtype : new DType[] {DType.FLOAT32, DType.INT32}) {
      NDArray y = NDArray.arange(3).reshape(1, 3).to(dtype);
      y.scatterAddInPlace(1, ints(new int[] {1, 2, 0}, 1, 3), y);
      assertArrayEquals(new double[] {2, 1, 3}, y.toDoubleArray(), dtype.toString());
      NDArray z = NDArray.arange(6).reshape(2, 3).to(dtype);
      z.indexAddInPlace(0, ints(new int[] {1, 0}, 2), z);
      assertArrayEquals(new double[] {3, 5, 7, 3, 5, 7}, z.toDoubleArray(), dtype.toString());
    }
  }

  @Test
  void indexSelectAndIndexAddCheckTheIndex() {
    refused(() -> X.indexSelect(0, NDArray.zeros(1)), "indexSelect", "INT32");
    refused(() -> X.indexSelect(0, ints(new int[] {0}, 1, 1)), "indexSelect", "1-D");
    refused(() -> X.indexAdd(0, NDArray.zeros(1), NDArray.ones(1, 3)), "indexAdd", "INT32");
    refused(() -> X.indexAdd(0, ints(new int[] {0}, 1, 1), NDArray.ones(1, 3)), "1-D");
    refused(
        () -> NDArray.zeros(3).expand(2, 3).indexAddInPlace(0, ints(new int[] {0}, 1), X),
        "indexAddInPlace");
    outOfRange(() -> X.indexSelect(1, ints(new int[] {3}, 1)), "indexSelect");
    outOfRange(() -> X.indexAdd(1, ints(new int[] {-4}, 1), NDArray.ones(2, 1)), "indexAdd");
    // The ends themselves: the last index and −size are in range (−1 is the last row).
    assertArrayEquals(
        new float[] {2, 0, 5, 3}, X.indexSelect(1, ints(new int[] {2, -3}, 2)).toFloatArray());
    assertArrayEquals(
        new float[] {3, 4, 5, 6, 7, 8, 0, 1, 2},
        NDArray.zeros(3, 3)
            .indexAdd(
                0, ints(new int[] {-1, 0, 1}, 3), NDArray.arange(9).reshape(3, 3).to(DType.FLOAT32))
            .toFloatArray());
  }

  @Test
  void oneHotChecksClassesAndInfersTheirCount() {
    refused(() -> X.oneHot(3), "oneHot", "INT32");
    refused(() -> ints(new int[] {0}, 1).oneHot(-2), "numClasses", "-2");
    outOfRange(() -> ints(new int[] {3}, 1).oneHot(3), "oneHot");
    outOfRange(() -> ints(new int[] {-1}, 1).oneHot(3), "oneHot");
    assertArrayEquals(new int[] {2, 3}, ints(new int[] {2, 0}, 2).oneHot(-1).shape());
    assertArrayEquals(
        new double[] {0, 0, 1, 1, 0, 0}, ints(new int[] {2, 0}, 2).oneHot(-1).toDoubleArray());
    assertArrayEquals(new int[] {0, 0}, ints(new int[0], 0).oneHot(-1).shape());
  }
}
