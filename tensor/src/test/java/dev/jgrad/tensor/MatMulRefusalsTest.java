package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * matmul, baddbmm and gemm refuse integer operands and a broadcast destination by name, each
 * operand on its own, and gemm writes through a C whose rows are not contiguous. Written for the
 * mutants PIT left alive in {@code MatMul} (issue #14).
 */
class MatMulRefusalsTest {

  private static void refused(Executable call, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), e.getMessage() + " should mention " + part);
    }
  }

  @Test
  void integerOperandsAreRefusedOneAtATime() {
    NDArray f = NDArray.ones(2, 2);
    NDArray i = NDArray.ones(2, 2).to(DType.INT32);
    refused(() -> i.matmul(f), "matmul", "floating-point", "int32");
    refused(() -> f.matmul(i), "matmul", "floating-point", "int32");
    NDArray fb = NDArray.ones(1, 2, 2);
    NDArray ib = fb.to(DType.INT32);
    refused(() -> NDArray.baddbmm(fb, ib, fb, 1, 1), "baddbmm", "int32");
    refused(() -> NDArray.baddbmm(fb, fb, ib, 1, 1), "baddbmm", "int32");
  }

  @Test
  void gemmChecksDtypesAndRefusesABroadcastC() {
    NDArray a = NDArray.ones(2, 3);
    NDArray b = NDArray.ones(3, 2);
    refused(
        () -> NDArray.gemm(false, false, 1, a.to(DType.FLOAT64), b, 0, NDArray.zeros(2, 2)),
        "gemm",
        "dtypes");
    refused(
        () -> NDArray.gemm(false, false, 1, a, b.to(DType.FLOAT64), 0, NDArray.zeros(2, 2)),
        "gemm",
        "dtypes");
    NDArray ints = NDArray.zeros(2, 2).to(DType.INT32);
    refused(
        () -> NDArray.gemm(false, false, 1, a.to(DType.INT32), b.to(DType.INT32), 0, ints),
        "gemm",
        "floating-point");
    NDArray broadcast = NDArray.zeros(2).expand(2, 2);
    refused(() -> NDArray.gemm(false, false, 1, a, b, 0, broadcast), "gemm", "expanded");
  }

  @Test
  void gemmWritesThroughAColumnMajorAndAStridedC() {
    NDArray a = NDArray.arange(6).to(DType.FLOAT32).reshape(2, 3);
    NDArray b = NDArray.arange(6).to(DType.FLOAT32).reshape(3, 2);
    float[] expected = {10, 13, 28, 40}; // a·b by hand
    NDArray columnMajor = NDArray.zeros(2, 2).transpose(0, 1);
    NDArray.gemm(false, false, 1, a, b, 0, columnMajor);
    assertArrayEquals(expected, columnMajor.toFloatArray());
    NDArray wide = NDArray.zeros(2, 4);
    NDArray everyOther = wide.slice(1, 0, 4, 2);
    NDArray.gemm(false, false, 1, a, b, 0, everyOther);
    assertArrayEquals(new float[] {10, 0, 13, 0, 28, 0, 40, 0}, wide.toFloatArray());
    // Both transposed, beta 1, alpha 2: C + 2·bᵀ·aᵀ = C + 2·(a·b)ᵀ.
    NDArray.gemm(true, true, 2, b, a, 1, columnMajor);
    assertArrayEquals(new float[] {30, 69, 54, 120}, columnMajor.toFloatArray());
  }
}
