package dev.jgrad.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM, {@code C = beta·C + alpha·A·B} on {@link StridedMatrix} operands, with the
 * GotoBLAS/BLIS structure:
 *
 * <ol>
 *   <li>B is packed a KC×NC panel at a time into strips NR columns wide, read through any strides
 *       (a transposed B needs no copy of its own, only a different packing loop);
 *   <li>A is read in place when one of its dims is contiguous (the micro-kernel takes six rows side
 *       by side), except for a last strip of fewer than MR rows, packed and zero-padded on its own;
 *       otherwise A is packed an MC×KC block at a time into zero-padded strips MR rows tall;
 *   <li>a register-tiled micro-kernel multiplies one A strip by one B strip: MR×NR results held in
 *       MR·(NR/L) vector accumulators, per k MR broadcasts, NR/L vector loads and MR·NR/L FMAs;
 *   <li>the finished tile is written back to C as {@code C += alpha·tile} (the first k block of a
 *       beta = 0 product stores {@code alpha·tile} instead): alpha is applied there, not in the
 *       packing, and beta before the first k block.
 * </ol>
 *
 * Products too small, or narrower than a vector, take {@link SmallGemm}, and so do the last few
 * columns when they would fill only one vector of a strip; a linear layer's {@code x·Wᵀ} with few
 * rows is computed through its transpose, {@code (W·xᵀ)ᵀ}.
 *
 * <p>Every element of C is computed by the same sequence of FMAs whichever thread computes it, so
 * the result does not depend on the thread count.
 */
final class Sgemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /** Micro-tile: MR rows × NR columns (4 vectors) = 24 accumulators. */
  static final int MR = 6;

  static final int NR = 4 * L;

  /**
   * Blocking: a KC-deep B strip (KC × NR floats, 256 KiB with 16-lane vectors) stays in L2 while
   * MC/MR row tiles pass over it. A deep KC means each C tile is loaded and stored once per KC
   * multiply-adds; with KC = 256 those C misses cost 15% at N = 2048 (measured: 200 → 240 GFLOP/s
   * with KC = 1024).
   */
  static final int KC = 1024;

  static final int MC = 120;
  static final int NC = 1024;

  /**
   * Where the packed B panel starts in its buffer. A large float[] starts at a region or page
   * boundary of the heap and its elements 16 bytes later (the array header), so element 12 is the
   * first on a 64-byte line, and the micro-kernel's vector loads each stay within one line instead
   * of straddling two. Measured (one thread, JDK 17): N = 1024 9.33 -> 9.07 ms, N = 2048 73.9 ->
   * 72.4 ms. Where the JVM places the array differently this is just another offset.
   */
  static final int PANEL_OFFSET = 12;

  /** Up to this many multiply-adds the direct loop wins over packing. */
  private static final long SMALL = 32L * 32 * 32;

  /** Below this many multiply-adds the work stays on the calling thread. */
  private static final long PARALLEL_MIN = 1L << 25;

  private Sgemm() {}

  /**
   * {@code C = beta·C + alpha·A·B} for float32 operands: A is m×k, B k×n and C m×n with contiguous
   * columns (column stride 1). With beta = 0, C's old values are ignored (NaN included).
   */
  static void gemm(float alpha, StridedMatrix a, StridedMatrix b, float beta, StridedMatrix c) {
    int m = c.rows();
    int n = c.cols();
    int k = a.cols();
    if (m == 0 || n == 0) {
      return;
    }
    if (n < L && m >= 16 && k > 0 && k <= SmallGemm.NARROW_MAX_K && alpha != 0f) {
      // Narrower than a vector: a packed strip would be mostly padding. (With few rows, copying
      // B costs more than it saves: the dot products below.)
      SmallGemm.narrow(alpha, a, b, beta, c);
      return;
    }
    if (((long) m * n * k <= SMALL || n < L) && k > 0 && alpha != 0f) {
      SmallGemm.direct(alpha, a, b, beta, c);
      return;
    }
    int rem = n % NR;
    if (rem != 0
        && rem <= L
        && n > NR
        && m >= 16
        && k > 0
        && k <= SmallGemm.NARROW_MAX_K
        && alpha != 0f) {
      // The last strip would be computed NR wide for a vector's worth of columns (784 = 12 × 64 +
      // 16): those columns take the narrow path, the others the packed one. MLP weight gradient
      // [128, 784]: 69 -> 66 us at batch 64, 265 -> 250 us at batch 256.
      int main = n - rem;
      SmallGemm.narrow(alpha, a, b.columnBlock(main, rem), beta, c.columnBlock(main, rem));
      large(alpha, a, b.columnBlock(0, main), beta, c.columnBlock(0, main));
      return;
    }
    large(alpha, a, b, beta, c);
  }

  /** The largest C computed through its transpose: the scratch block takes at most 4 MiB. */
  private static final long SWAP_MAX_MN = 1L << 20;

  /** The products past the small and narrow cases: the blocked algorithm, or its transpose. */
  private static void large(
      float alpha, StridedMatrix a, StridedMatrix b, float beta, StridedMatrix c) {
    int m = c.rows();
    int n = c.cols();
    int k = a.cols();
    if (a.colStride() == 1
        && b.rowStride() == 1
        && b.colStride() != 1
        && m < n
        && alpha != 0f
        && (long) m * n <= SWAP_MAX_MN
        && (long) k * (n - m) > (long) m * n) {
      // A·Bᵀ with both read along k (a linear layer's x·Wᵀ): computed as (B·Aᵀ)ᵀ, so that the
      // smaller operand, here A, is the one packed through its transpose (the kernel runs the
      // same FMAs in the same order). x [64, 784]·W [128, 784]ᵀ: 85 -> 73 us.
      swapped(alpha, a, b, beta, c);
      return;
    }
    blocked(alpha, a, b, beta, c);
  }

  /** The blocked algorithm on one thread or split over the pool, beta applied first. */
  private static void blocked(
      float alpha, StridedMatrix a, StridedMatrix b, float beta, StridedMatrix c) {
    int m = c.rows();
    int n = c.cols();
    int k = a.cols();
    // With beta = 0 the packed path stores its first k block instead of adding it to C: no pass
    // to zero C first and no read of C's old values (0·NaN must not survive beta = 0 either way).
    boolean overwrite = beta == 0f && k > 0 && alpha != 0f;
    if (!overwrite) {
      scale(m, n, beta, c.floats(), c.offset(), c.rowStride());
    }
    if (k == 0 || alpha == 0f) {
      return;
    }
    int threads = (long) m * n * k < PARALLEL_MIN ? 1 : Parallel.threads();
    if (threads == 1) {
      packed(alpha, a, b, c, overwrite);
      return;
    }
    // Split C into one block of columns (or rows) per thread; each block runs the serial algorithm
    // with its own packing, so nothing waits on a shared pack. Columns when A is read in place:
    // each thread then packs only its share of B, where a split by rows has every thread pack all
    // of B (N = 1024 on two threads: 5.2 -> 4.75 ms).
    int colTiles = (n + NR - 1) / NR;
    int rowTiles = (m + MR - 1) / MR;
    boolean aInPlace = a.colStride() == 1 || a.rowStride() == 1;
    boolean byColumns = colTiles >= threads && (aInPlace || colTiles >= rowTiles);
    int tile = byColumns ? NR : MR;
    int extent = byColumns ? n : m;
    int parts = Math.min(threads, (extent + tile - 1) / tile);
    int step = roundUp((extent + parts - 1) / parts, tile);
    Parallel.forEachChunk(
        (extent + step - 1) / step,
        part -> {
          int from = part * step;
          int size = Math.min(step, extent - from);
          if (byColumns) {
            packed(alpha, a, b.columnBlock(from, size), c.columnBlock(from, size), overwrite);
          } else {
            packed(alpha, a.rowBlock(from, size), b, c.rowBlock(from, size), overwrite);
          }
        });
  }

  /**
   * Buffers per thread, grown on demand: the packed B panel, the packed A block, Cᵀ's scratch and
   * the micro-kernel's tile.
   */
  private static final ThreadLocal<float[][]> BUFFERS =
      ThreadLocal.withInitial(() -> new float[4][0]);

  /**
   * C = beta·C + alpha·A·B with A's rows and B's columns contiguous (column stride 1 and row stride
   * 1): Cᵀ = alpha·Bᵀ·Aᵀ into a scratch block, then added to C through its transpose.
   */
  private static void swapped(
      float alpha, StridedMatrix a, StridedMatrix b, float beta, StridedMatrix c) {
    int m = c.rows();
    int n = c.cols();
    float[] t = buffer(2, n * m);
    blocked(alpha, b.transpose(), a.transpose(), 0f, new StridedMatrix(t, 0, n, m, m, 1));
    float[] cd = c.floats();
    int cOff = c.offset();
    int ldc = c.rowStride();
    for (int i0 = 0; i0 < m; i0 += 16) { // in 16×16 blocks: both sides stay in a few cache lines
      for (int j0 = 0; j0 < n; j0 += 16) {
        for (int i = i0; i < Math.min(m, i0 + 16); i++) {
          int row = cOff + i * ldc;
          if (beta == 0f) { // C's old value ignored, NaN included
            for (int j = j0; j < Math.min(n, j0 + 16); j++) {
              cd[row + j] = t[j * m + i];
            }
          } else {
            for (int j = j0; j < Math.min(n, j0 + 16); j++) {
              cd[row + j] = beta * cd[row + j] + t[j * m + i];
            }
          }
        }
      }
    }
  }

  private static float[] buffer(int which, int size) {
    float[][] b = BUFFERS.get();
    if (b[which].length < size) {
      b[which] = new float[size];
    }
    return b[which];
  }

  /**
   * The serial blocked algorithm: pack B panels, pack A blocks, run the micro-kernel. With {@code
   * overwrite} the first k block replaces C instead of adding to it.
   */
  private static void packed(
      float alpha, StridedMatrix a, StridedMatrix b, StridedMatrix c, boolean overwrite) {
    int m = c.rows();
    int n = c.cols();
    int k = a.cols();
    // The operands' numbers in locals, read once: the loops below see only arrays and ints.
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
    float[] bPack = buffer(0, PANEL_OFFSET + KC * roundUp(Math.min(n, NC), NR));
    float[] aPack = buffer(1, roundUp(Math.min(m, MC), MR) * KC);
    float[] edge = buffer(3, MR * NR);
    for (int jc = 0; jc < n; jc += NC) {
      int nc = Math.min(NC, n - jc);
      // Even k blocks (1536 = 2 × 768, not 1024 + 512): a short block would pay the tile
      // write-back for a handful of FMAs.
      int kBlocks = (k + KC - 1) / KC;
      int kBlock = (k + kBlocks - 1) / kBlocks;
      for (int pc = 0; pc < k; pc += kBlock) {
        int kc = Math.min(kBlock, k - pc);
        boolean store = overwrite && pc == 0;
        packB(kc, nc, bd, bOff + pc * bRs + jc * bCs, bRs, bCs, bPack);
        for (int ic = 0; ic < m; ic += MC) {
          int mc = Math.min(MC, m - ic);
          // A with a contiguous dim is read in place by the micro-kernel (six rows side by side);
          // only general strides, and the zero-padded last strip, are packed.
          boolean direct = aCs == 1 || aRs == 1;
          if (!direct) {
            packA(mc, kc, ad, aOff + ic * aRs + pc * aCs, aRs, aCs, aPack);
          }
          for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bo = PANEL_OFFSET + (jr / NR) * kc * NR;
            for (int ir = 0; ir < mc; ir += MR) {
              int mr = Math.min(MR, mc - ir);
              int co = cOff + (ic + ir) * ldc + jc + jr;
              if (!direct) {
                kernel(kc, aPack, ir * kc, 1, MR, bPack, bo, edge);
              } else if (mr == MR) {
                int ao = aOff + (ic + ir) * aRs + pc * aCs;
                kernel(kc, ad, ao, aRs, aCs, bPack, bo, edge);
              } else {
                packA(mr, kc, ad, aOff + (ic + ir) * aRs + pc * aCs, aRs, aCs, aPack);
                kernel(kc, aPack, 0, 1, MR, bPack, bo, edge);
              }
              writeBack(edge, alpha, cd, co, ldc, mr, nr, store);
            }
          }
        }
      }
    }
  }

  static int roundUp(int x, int multiple) {
    return (x + multiple - 1) / multiple * multiple;
  }

  /** C = beta·C over an m×n block (beta = 0 writes zeros: 0·NaN must not survive). */
  static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
    if (beta == 1f) {
      return;
    }
    for (int i = 0; i < m; i++) {
      int row = cOff + i * ldc;
      if (beta == 0f) {
        java.util.Arrays.fill(c, row, row + n, 0f); // 0·NaN must not survive beta = 0
      } else {
        for (int j = 0; j < n; j++) {
          c[row + j] *= beta;
        }
      }
    }
  }

  /** Packs a kc×nc panel of B into NR-wide strips, each kc rows of NR floats, zero-padded. */
  private static void packB(int kc, int nc, float[] b, int off, int rs, int cs, float[] dst) {
    for (int js = 0; js < nc; js += NR) {
      int nr = Math.min(NR, nc - js);
      int base = PANEL_OFFSET + (js / NR) * kc * NR;
      if (rs == 1 && cs != 1) {
        // B is a transposed view (its columns are contiguous): four k at a time, four neighbours
        // read along each column and written to four rows of the strip (one float at a time,
        // row by row, took twice as long: 35 -> 18 us for a 784 × 128 weight).
        int p = 0;
        for (; p + 4 <= kc; p += 4) {
          int d = base + p * NR;
          int s = off + js * cs + p;
          for (int j = 0; j < nr; j++) {
            int sj = s + j * cs;
            float v0 = b[sj];
            float v1 = b[sj + 1];
            float v2 = b[sj + 2];
            float v3 = b[sj + 3];
            dst[d + j] = v0;
            dst[d + NR + j] = v1;
            dst[d + 2 * NR + j] = v2;
            dst[d + 3 * NR + j] = v3;
          }
        }
        for (; p < kc; p++) {
          int d = base + p * NR;
          int s = off + js * cs + p;
          for (int j = 0; j < nr; j++) {
            dst[d + j] = b[s + j * cs];
          }
        }
        if (nr < NR) {
          for (p = 0; p < kc; p++) {
            java.util.Arrays.fill(dst, base + p * NR + nr, base + (p + 1) * NR, 0f);
          }
        }
        continue;
      }
      for (int p = 0; p < kc; p++) {
        int d = base + p * NR;
        int s = off + p * rs + js * cs;
        if (cs == 1) {
          System.arraycopy(b, s, dst, d, nr);
        } else {
          for (int j = 0; j < nr; j++) {
            dst[d + j] = b[s + j * cs];
          }
        }
        for (int j = nr; j < NR; j++) {
          dst[d + j] = 0f;
        }
      }
    }
  }

  /** Packs an mc×kc block of A into MR-tall strips, each kc columns of MR floats, zero-padded. */
  private static void packA(int mc, int kc, float[] a, int off, int rs, int cs, float[] dst) {
    if (rs == 1 && cs != 1) {
      // A is a transposed view (its columns are contiguous): read along each column.
      for (int p = 0; p < kc; p++) {
        int s = off + p * cs;
        for (int is = 0; is < mc; is += MR) {
          int d = is * kc + p * MR;
          int mr = Math.min(MR, mc - is);
          for (int r = 0; r < mr; r++) {
            dst[d + r] = a[s + is + r];
          }
          for (int r = mr; r < MR; r++) {
            dst[d + r] = 0f;
          }
        }
      }
      return;
    }
    for (int is = 0; is < mc; is += MR) {
      int mr = Math.min(MR, mc - is);
      int base = is * kc;
      int s0 = off + is * rs;
      // Write the strip sequentially, reading the MR rows side by side.
      for (int p = 0; p < kc; p++) {
        int d = base + p * MR;
        int sp = s0 + p * cs;
        for (int r = 0; r < mr; r++) {
          dst[d + r] = a[sp + r * rs];
        }
        for (int r = mr; r < MR; r++) { // the buffer is reused: pad explicitly
          dst[d + r] = 0f;
        }
      }
    }
  }

  /**
   * The MR×NR tile A strip · B strip into {@code edge}, where A(r, p) = {@code ap[ao + r·ars +
   * p·acs]}: a packed strip (ars = 1, acs = MR) or six rows of A in place. No branches but the k
   * loop: {@link #writeBack} adds the tile to C.
   */
  private static void kernel(
      int kc, float[] ap, int ao, int ars, int acs, float[] bp, int bo, float[] edge) {
    // Each accumulator starts from its own zero: sharing one initial value made C2 spill.
    FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
    FloatVector c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c12 = FloatVector.zero(S), c13 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
    FloatVector c22 = FloatVector.zero(S), c23 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
    FloatVector c32 = FloatVector.zero(S), c33 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
    FloatVector c42 = FloatVector.zero(S), c43 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
    FloatVector c52 = FloatVector.zero(S), c53 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int b = bo + p * NR;
      int a = ao + p * acs;
      FloatVector b0 = FloatVector.fromArray(S, bp, b);
      FloatVector b1 = FloatVector.fromArray(S, bp, b + L);
      FloatVector b2 = FloatVector.fromArray(S, bp, b + 2 * L);
      FloatVector b3 = FloatVector.fromArray(S, bp, b + 3 * L);
      FloatVector a0 = FloatVector.broadcast(S, ap[a]);
      c00 = b0.fma(a0, c00);
      c01 = b1.fma(a0, c01);
      c02 = b2.fma(a0, c02);
      c03 = b3.fma(a0, c03);
      FloatVector a1 = FloatVector.broadcast(S, ap[a + 1 * ars]);
      c10 = b0.fma(a1, c10);
      c11 = b1.fma(a1, c11);
      c12 = b2.fma(a1, c12);
      c13 = b3.fma(a1, c13);
      FloatVector a2 = FloatVector.broadcast(S, ap[a + 2 * ars]);
      c20 = b0.fma(a2, c20);
      c21 = b1.fma(a2, c21);
      c22 = b2.fma(a2, c22);
      c23 = b3.fma(a2, c23);
      FloatVector a3 = FloatVector.broadcast(S, ap[a + 3 * ars]);
      c30 = b0.fma(a3, c30);
      c31 = b1.fma(a3, c31);
      c32 = b2.fma(a3, c32);
      c33 = b3.fma(a3, c33);
      FloatVector a4 = FloatVector.broadcast(S, ap[a + 4 * ars]);
      c40 = b0.fma(a4, c40);
      c41 = b1.fma(a4, c41);
      c42 = b2.fma(a4, c42);
      c43 = b3.fma(a4, c43);
      FloatVector a5 = FloatVector.broadcast(S, ap[a + 5 * ars]);
      c50 = b0.fma(a5, c50);
      c51 = b1.fma(a5, c51);
      c52 = b2.fma(a5, c52);
      c53 = b3.fma(a5, c53);
    }
    // Spill the tile to a small buffer with intrinsic stores only: passing the accumulators to a
    // helper method would box them, and C2 then keeps them boxed inside the loop (15x slower).
    c00.intoArray(edge, 0);
    c01.intoArray(edge, L);
    c02.intoArray(edge, 2 * L);
    c03.intoArray(edge, 3 * L);
    c10.intoArray(edge, NR);
    c11.intoArray(edge, NR + L);
    c12.intoArray(edge, NR + 2 * L);
    c13.intoArray(edge, NR + 3 * L);
    c20.intoArray(edge, 2 * NR);
    c21.intoArray(edge, 2 * NR + L);
    c22.intoArray(edge, 2 * NR + 2 * L);
    c23.intoArray(edge, 2 * NR + 3 * L);
    c30.intoArray(edge, 3 * NR);
    c31.intoArray(edge, 3 * NR + L);
    c32.intoArray(edge, 3 * NR + 2 * L);
    c33.intoArray(edge, 3 * NR + 3 * L);
    c40.intoArray(edge, 4 * NR);
    c41.intoArray(edge, 4 * NR + L);
    c42.intoArray(edge, 4 * NR + 2 * L);
    c43.intoArray(edge, 4 * NR + 3 * L);
    c50.intoArray(edge, 5 * NR);
    c51.intoArray(edge, 5 * NR + L);
    c52.intoArray(edge, 5 * NR + 2 * L);
    c53.intoArray(edge, 5 * NR + 3 * L);
  }

  /**
   * C tile (mr×nr) += alpha · the tile the kernel left in {@code edge} ({@code store}: = instead of
   * +=). Kept out of the kernel: with these branches inside it, C2 recompiled the kernel each time
   * a new case showed up, and about one training run in eight ended with a slower kernel. One
   * method per case, each a single loop.
   */
  private static void writeBack(
      float[] edge, float alpha, float[] c, int co, int ldc, int mr, int nr, boolean store) {
    if (nr == NR && store) {
      storeTile(edge, alpha, c, co, ldc, mr);
    } else if (nr == NR) {
      addTile(edge, alpha, c, co, ldc, mr);
    } else {
      edgeTile(edge, alpha, c, co, ldc, mr, nr, store);
    }
  }

  /**
   * C rows (mr × NR) = alpha · edge; for alpha = 1 (every convolution product and most others) a
   * row copy. The copy needs no Vector API call: inlined into {@link #packed} after the varied
   * products of a CNN training run, this loop's vector ops were left to the Vector API's scalar
   * fallback (JFR: {@code FloatVector.stOp} under here), and every product storing its result ran
   * 2.4× slower for the rest of the run (convTranspose2d of the CNN's second layer: 3.3 ms fresh,
   * 8.1 ms after 50 training steps; 3.4 ms with the copy).
   */
  private static void storeTile(float[] edge, float alpha, float[] c, int co, int ldc, int mr) {
    if (alpha == 1f) {
      for (int r = 0; r < mr; r++) {
        System.arraycopy(edge, r * NR, c, co + r * ldc, NR);
      }
      return;
    }
    for (int r = 0; r < mr; r++) {
      int row = co + r * ldc;
      for (int v = 0; v < NR; v += L) {
        FloatVector.fromArray(S, edge, r * NR + v).mul(alpha).intoArray(c, row + v);
      }
    }
  }

  /** C rows (mr × NR) += alpha · edge. */
  private static void addTile(float[] edge, float alpha, float[] c, int co, int ldc, int mr) {
    for (int r = 0; r < mr; r++) {
      int row = co + r * ldc;
      for (int v = 0; v < NR; v += L) {
        FloatVector.fromArray(S, c, row + v)
            .add(FloatVector.fromArray(S, edge, r * NR + v).mul(alpha))
            .intoArray(c, row + v);
      }
    }
  }

  /** A tile narrower than NR, scalar: C (mr × nr) = or += alpha · edge. */
  private static void edgeTile(
      float[] edge, float alpha, float[] c, int co, int ldc, int mr, int nr, boolean store) {
    for (int r = 0; r < mr; r++) {
      for (int j = 0; j < nr; j++) {
        int at = co + r * ldc + j;
        c[at] = store ? alpha * edge[r * NR + j] : c[at] + alpha * edge[r * NR + j];
      }
    }
  }
}
