package dev.jgrad.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Products too small or too narrow for {@link Sgemm}'s blocked algorithm, where packing would cost
 * more than it saves: C narrower than a vector (the logits of ten classes), a few rows against a
 * deep k (a bias-sized weight gradient), or a few thousand multiply-adds in all (a 2-5-1 network).
 * Same contract as {@link Sgemm#gemm}: {@code C = beta·C + alpha·A·B}, beta = 0 ignoring C's old
 * values. Each method reads its operands' numbers into locals once, before its loops.
 */
final class SmallGemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private SmallGemm() {}

  /**
   * The deepest product {@link #narrow} takes: its copy of B (k × L floats) stays within 4 MiB with
   * 16-lane vectors.
   */
  static final int NARROW_MAX_K = 1 << 16;

  /** Scratch for {@link #narrow}: B's rows padded to a vector. */
  private static final ThreadLocal<float[]> NARROW_B = ThreadLocal.withInitial(() -> new float[0]);

  /** Scratch for {@link #narrow}: four rows of C as the accumulators leave them. */
  private static final ThreadLocal<float[]> NARROW_ROWS =
      ThreadLocal.withInitial(() -> new float[4 * L]);

  /**
   * C at most a vector wide (n ≤ L): B's k rows copied once into vector-wide rows, then each row of
   * C is k broadcast-FMAs into one vector, whose first n lanes are stored.
   */
  static void narrow(float alpha, StridedMatrix a, StridedMatrix b, float beta, StridedMatrix c) {
    int m = c.rows();
    int n = c.cols();
    int k = a.cols();
    float[] ad = a.floats();
    int aOff = a.offset();
    int aRs = a.rowStride();
    int aCs = a.colStride();
    float[] bd = b.floats();
    int bOff = b.offset();
    int bRs = b.rowStride();
    int bCs = b.colStride();
    float[] cd = c.floats();
    int cOff = c.offset();
    int ldc = c.rowStride();
    float[] bp = NARROW_B.get();
    if (bp.length < k * L) {
      bp = new float[k * L];
      NARROW_B.set(bp);
    }
    for (int p = 0; p < k; p++) {
      for (int j = 0; j < n; j++) {
        bp[p * L + j] = bd[bOff + p * bRs + j * bCs];
      }
      java.util.Arrays.fill(bp, p * L + n, (p + 1) * L, 0f);
    }
    float[] row = NARROW_ROWS.get();
    int i = 0;
    for (; i + 4 <= m; i += 4) { // four rows at a time: four independent chains of FMAs
      int a0 = aOff + i * aRs;
      int a1 = a0 + aRs;
      int a2 = a1 + aRs;
      int a3 = a2 + aRs;
      FloatVector acc0 = FloatVector.zero(S);
      FloatVector acc1 = FloatVector.zero(S);
      FloatVector acc2 = FloatVector.zero(S);
      FloatVector acc3 = FloatVector.zero(S);
      for (int p = 0; p < k; p++) {
        FloatVector bv = FloatVector.fromArray(S, bp, p * L);
        int ap = p * aCs;
        acc0 = bv.fma(FloatVector.broadcast(S, ad[a0 + ap]), acc0);
        acc1 = bv.fma(FloatVector.broadcast(S, ad[a1 + ap]), acc1);
        acc2 = bv.fma(FloatVector.broadcast(S, ad[a2 + ap]), acc2);
        acc3 = bv.fma(FloatVector.broadcast(S, ad[a3 + ap]), acc3);
      }
      acc0.intoArray(row, 0);
      acc1.intoArray(row, L);
      acc2.intoArray(row, 2 * L);
      acc3.intoArray(row, 3 * L);
      for (int r = 0; r < 4; r++) {
        storeRow(n, alpha, row, r * L, beta, cd, cOff + (i + r) * ldc);
      }
    }
    for (; i < m; i++) {
      int ai = aOff + i * aRs;
      FloatVector acc = FloatVector.zero(S);
      for (int p = 0; p < k; p++) {
        acc =
            FloatVector.fromArray(S, bp, p * L)
                .fma(FloatVector.broadcast(S, ad[ai + p * aCs]), acc);
      }
      acc.intoArray(row, 0);
      storeRow(n, alpha, row, 0, beta, cd, cOff + i * ldc);
    }
  }

  /**
   * {@code c[crow + j] = beta·c[crow + j] + alpha·row[ro + j]}, C's old value ignored if beta = 0.
   */
  private static void storeRow(
      int n, float alpha, float[] row, int ro, float beta, float[] c, int crow) {
    if (beta == 0f) {
      for (int j = 0; j < n; j++) {
        c[crow + j] = alpha * row[ro + j];
      }
    } else {
      for (int j = 0; j < n; j++) {
        c[crow + j] = beta * c[crow + j] + alpha * row[ro + j];
      }
    }
  }

  /**
   * The small-size path, two loop orders by shape. Deep and narrow (k ≥ n, and B's rows not
   * contiguous or narrower than a vector): one dot product per element of C. Otherwise i-p-j, an
   * axpy of B's row p into C's row i (SIMD when B's rows are contiguous and a vector wide). beta is
   * applied to each row of C as it is reached: tiny products (a 2-5-1 network's [100, 2]·[2, 5])
   * cost no separate pass over C.
   */
  static void direct(float alpha, StridedMatrix a, StridedMatrix b, float beta, StridedMatrix c) {
    int m = c.rows();
    int n = c.cols();
    int k = a.cols();
    float[] ad = a.floats();
    int aOff = a.offset();
    int aRs = a.rowStride();
    int aCs = a.colStride();
    float[] bd = b.floats();
    int bOff = b.offset();
    int bRs = b.rowStride();
    int bCs = b.colStride();
    float[] cd = c.floats();
    int cOff = c.offset();
    int ldc = c.rowStride();
    boolean simd = bCs == 1 && n >= L;
    if (!simd && k >= n) {
      for (int i = 0; i < m; i++) {
        int ai = aOff + i * aRs;
        int crow = cOff + i * ldc;
        for (int j = 0; j < n; j++) {
          int bj = bOff + j * bCs;
          // Four partial sums: one chain of dependent FMAs would wait on each one's latency.
          float s0 = 0f;
          float s1 = 0f;
          float s2 = 0f;
          float s3 = 0f;
          int p = 0;
          for (; p + 4 <= k; p += 4) {
            s0 = Math.fma(ad[ai + p * aCs], bd[bj + p * bRs], s0);
            s1 = Math.fma(ad[ai + (p + 1) * aCs], bd[bj + (p + 1) * bRs], s1);
            s2 = Math.fma(ad[ai + (p + 2) * aCs], bd[bj + (p + 2) * bRs], s2);
            s3 = Math.fma(ad[ai + (p + 3) * aCs], bd[bj + (p + 3) * bRs], s3);
          }
          for (; p < k; p++) {
            s0 = Math.fma(ad[ai + p * aCs], bd[bj + p * bRs], s0);
          }
          float sum = (s0 + s1) + (s2 + s3);
          // beta = 0 ignores C's old value, NaN included
          cd[crow + j] = beta == 0f ? alpha * sum : beta * cd[crow + j] + alpha * sum;
        }
      }
      return;
    }
    for (int i = 0; i < m; i++) {
      int crow = cOff + i * ldc;
      Sgemm.scale(1, n, beta, cd, crow, ldc);
      for (int p = 0; p < k; p++) {
        float aip = alpha * ad[aOff + i * aRs + p * aCs];
        int brow = bOff + p * bRs;
        int j = 0;
        if (simd) {
          FloatVector va = FloatVector.broadcast(S, aip);
          for (int bound = S.loopBound(n); j < bound; j += L) {
            FloatVector.fromArray(S, bd, brow + j)
                .fma(va, FloatVector.fromArray(S, cd, crow + j))
                .intoArray(cd, crow + j);
          }
        }
        for (; j < n; j++) {
          cd[crow + j] = Math.fma(aip, bd[brow + j * bCs], cd[crow + j]);
        }
      }
    }
  }
}
