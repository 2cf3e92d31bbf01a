package dev.jgrad.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Double-precision GEMM, {@code C = beta·C + alpha·A·B} on {@link StridedMatrix} operands: B is
 * copied to contiguous rows once, then each row of C is an i-p-j sequence of SIMD axpys. Simple and
 * exact in its order; FLOAT64 serves checks, not speed.
 */
final class Dgemm {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

  private Dgemm() {}

  /**
   * {@code C = beta·C + alpha·A·B} for float64 operands: A is m×k, B k×n and C m×n with contiguous
   * columns (column stride 1). With beta = 0, C's old values are ignored (NaN included).
   */
  static void gemm(double alpha, StridedMatrix a, StridedMatrix b, double beta, StridedMatrix c) {
    int m = c.rows();
    int n = c.cols();
    int k = a.cols();
    // The operands' numbers in locals, read once: the loops below see only arrays and ints.
    double[] ad = a.doubles();
    int aOff = a.offset();
    int aRs = a.rowStride();
    int aCs = a.colStride();
    double[] bd = b.doubles();
    int bOff = b.offset();
    int bRs = b.rowStride();
    int bCs = b.colStride();
    double[] cd = c.doubles();
    int cOff = c.offset();
    int ldc = c.rowStride();
    double[] bRows = new double[k * n];
    for (int p = 0; p < k; p++) {
      for (int j = 0; j < n; j++) {
        bRows[p * n + j] = bd[bOff + p * bRs + j * bCs];
      }
    }
    int grain = Math.max(1, (1 << 16) / Math.max(1, n * Math.max(k, 1)));
    Parallel.forEachRange(
        m,
        grain,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            int crow = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
              cd[crow + j] = beta == 0 ? 0 : beta * cd[crow + j];
            }
            for (int p = 0; p < k; p++) {
              double aip = alpha * ad[aOff + i * aRs + p * aCs];
              int brow = p * n;
              int j = 0;
              DoubleVector va = DoubleVector.broadcast(S, aip);
              int bound = S.loopBound(n);
              for (; j < bound; j += S.length()) {
                DoubleVector.fromArray(S, bRows, brow + j)
                    .fma(va, DoubleVector.fromArray(S, cd, crow + j))
                    .intoArray(cd, crow + j);
              }
              for (; j < n; j++) {
                cd[crow + j] = Math.fma(aip, bRows[brow + j], cd[crow + j]);
              }
            }
          }
        });
  }
}
