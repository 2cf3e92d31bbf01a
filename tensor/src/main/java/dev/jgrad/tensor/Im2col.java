package dev.jgrad.tensor;

import dev.jgrad.tensor.Convolution.Geometry;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two index maps of {@link Convolution}'s kernels: im2col unfolds the kernel-sized patches of
 * one group of an image into the rows of a [C/G·kh·kw, OH·OW] matrix ("cols"), so that a
 * convolution becomes a matrix product; col2im is its adjoint, adding such a matrix back onto an
 * image (where patches overlap, their values add up). FLOAT32 and FLOAT64 twins.
 *
 * <pre>{@code
 * Im2col.im2col(g, x, base, sc, sh, sw, cols, 0, Convolution.colsStride(positions));
 * }</pre>
 */
final class Im2col {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = S.length();

  private Im2col() {}

  /**
   * Unfolds the patches of one group: dst[(c·kh + i)·kw + j][at + p·OW + q] = x[c, p·sh + i·dh −
   * padTop, q·sw + j·dw − padLeft] (zero outside; rows {@code ld} long), x read from {@code base}
   * through its strides.
   */
  static void im2col(
      Geometry g, float[] x, int base, int sc, int sh, int sw, float[] dst, int at, int ld) {
    int oh = g.outH();
    int ow = g.outW();
    int step = g.sw() * sw;
    // Whole vectors from the row's first position on: a row of OW columns takes ⌈OW/LANES⌉ loads
    // and stores, reading up to a vector past its end in x and writing up to a vector past its end
    // in dst. What lands past the end is overwritten by the next row or lies in the row's slack
    // (rows are ld ≥ OW + LANES long: see colsStride), and the padding columns are zeroed after.
    int span = (ow + LANES - 1) / LANES * LANES;
    if (g.sh() == 1 && step == 1 && sh == g.imageW() && ow == g.imageW()) {
      im2colPacked(g, x, base, sc, dst, at, ld);
      return;
    }
    int row = 0;
    for (int c = 0; c < g.cg(); c++) {
      for (int i = 0; i < g.kh(); i++) {
        for (int j = 0; j < g.kw(); j++, row++) {
          int colShift = j * g.dw() - g.padLeft();
          int qLo = firstInside(colShift, g.sw());
          int qHi = endInside(colShift, g.sw(), g.imageW(), ow);
          int d = row * ld + at;
          for (int p = 0; p < oh; p++, d += ow) {
            int h = p * g.sh() + i * g.dh() - g.padTop();
            if (h < 0 || h >= g.imageH() || qLo >= qHi) {
              Arrays.fill(dst, d, d + ow, 0f);
              continue;
            }
            int first = base + c * sc + h * sh + colShift * sw; // x's index of position q = 0
            if (step == 1 && first >= 0 && first + span <= x.length) {
              for (int q = 0; q < ow; q += LANES) {
                FloatVector.fromArray(S, x, first + q).intoArray(dst, d + q);
              }
              for (int q = 0; q < qLo; q++) {
                dst[d + q] = 0f;
              }
              for (int q = qHi; q < ow; q++) {
                dst[d + q] = 0f;
              }
              continue;
            }
            Arrays.fill(dst, d, d + qLo, 0f);
            int src = first + qLo * step;
            for (int q = qLo; q < qHi; q++, src += step) {
              dst[d + q] = x[src];
            }
            Arrays.fill(dst, d + qHi, d + ow, 0f);
          }
        }
      }
    }
  }

  /**
   * im2col when stride is 1 and each output row is as wide as an image row (a "same" convolution on
   * rows stored back to back): then position (p, q) of a cols row sits at p·W + q and so does its
   * source pixel, shifted by a constant. One copy moves all positions from the first valid to the
   * last; the padding columns it carried over from neighbouring image rows are zeroed after.
   */
  private static void im2colPacked(
      Geometry g, float[] x, int base, int sc, float[] dst, int at, int ld) {
    int oh = g.outH();
    int ow = g.outW();
    int row = 0;
    for (int c = 0; c < g.cg(); c++) {
      for (int i = 0; i < g.kh(); i++) {
        int rowShift = i * g.dh() - g.padTop();
        int pLo = Math.max(0, -rowShift);
        int pHi = Math.min(oh, g.imageH() - rowShift);
        for (int j = 0; j < g.kw(); j++, row++) {
          int colShift = j * g.dw() - g.padLeft();
          int qLo = firstInside(colShift, 1);
          int qHi = endInside(colShift, 1, g.imageW(), ow);
          int d = row * ld + at;
          if (pLo >= pHi || qLo >= qHi) {
            Arrays.fill(dst, d, d + oh * ow, 0f);
            continue;
          }
          int first = pLo * ow + qLo;
          int last = (pHi - 1) * ow + qHi; // one past
          Arrays.fill(dst, d, d + first, 0f);
          int src = base + c * sc + (pLo + rowShift) * ow + qLo + colShift;
          System.arraycopy(x, src, dst, d + first, last - first);
          Arrays.fill(dst, d + last, d + oh * ow, 0f);
          if (qLo > 0 || qHi < ow) {
            for (int p = pLo; p < pHi - 1; p++) {
              Arrays.fill(dst, d + p * ow + qHi, d + (p + 1) * ow + qLo, 0f);
            }
          }
        }
      }
    }
  }

  /** The FLOAT64 twin of the FLOAT32 im2col, into a [patch, positions] matrix. */
  static void im2col(Geometry g, double[] x, int base, int sc, int sh, int sw, double[] dst) {
    int oh = g.outH();
    int ow = g.outW();
    int d = 0;
    for (int c = 0; c < g.cg(); c++) {
      for (int i = 0; i < g.kh(); i++) {
        for (int j = 0; j < g.kw(); j++) {
          int colShift = j * g.dw() - g.padLeft();
          int qLo = firstInside(colShift, g.sw());
          int qHi = endInside(colShift, g.sw(), g.imageW(), ow);
          for (int p = 0; p < oh; p++) {
            int h = p * g.sh() + i * g.dh() - g.padTop();
            if (h < 0 || h >= g.imageH() || qLo >= qHi) {
              Arrays.fill(dst, d, d + ow, 0);
              d += ow;
              continue;
            }
            Arrays.fill(dst, d, d + qLo, 0);
            int src = base + c * sc + h * sh + (qLo * g.sw() + colShift) * sw;
            int step = g.sw() * sw;
            for (int q = qLo; q < qHi; q++, src += step) {
              dst[d + q] = x[src];
            }
            Arrays.fill(dst, d + qHi, d + ow, 0);
            d += ow;
          }
        }
      }
    }
  }

  /**
   * The adjoint of im2col: image[c, p·sh + i·dh − padTop, q·sw + j·dw − padLeft] += cols[(c·kh +
   * i)·kw + j][at + p·OW + q] (rows {@code ld} long) inside the image, the image contiguous [C/G,
   * H, W] from {@code base}.
   */
  static void col2im(Geometry g, float[] cols, int at, int ld, float[] image, int base) {
    int oh = g.outH();
    int ow = g.outW();
    int hw = g.imageH() * g.imageW();
    if (g.sh() == 1 && g.sw() == 1 && ow == g.imageW()) {
      col2imPacked(g, cols, at, ld, image, base);
      return;
    }
    int row = 0;
    for (int c = 0; c < g.cg(); c++) {
      for (int i = 0; i < g.kh(); i++) {
        for (int j = 0; j < g.kw(); j++, row++) {
          int colShift = j * g.dw() - g.padLeft();
          int qLo = firstInside(colShift, g.sw());
          int qHi = endInside(colShift, g.sw(), g.imageW(), ow);
          int s = row * ld + at;
          for (int p = 0; p < oh; p++, s += ow) {
            int h = p * g.sh() + i * g.dh() - g.padTop();
            if (h < 0 || h >= g.imageH()) {
              continue;
            }
            if (g.sw() == 1) {
              int origin = base + c * hw + h * g.imageW() + colShift;
              for (int q = qLo; q < qHi; q++) {
                image[origin + q] += cols[s + q];
              }
            } else {
              int dst = base + c * hw + h * g.imageW() + qLo * g.sw() + colShift;
              for (int q = qLo; q < qHi; q++, dst += g.sw()) {
                image[dst] += cols[s + q];
              }
            }
          }
        }
      }
    }
  }

  /**
   * col2im when stride is 1 and each row of positions is as wide as an image row: as in {@link
   * #im2colPacked}, all positions of a cols row map to the image by one constant shift, so the row
   * is added in one vector loop from its first valid position to its last, after zeroing (in the
   * scratch cols) the padding columns that fall on neighbouring image rows.
   */
  private static void col2imPacked(
      Geometry g, float[] cols, int at, int ld, float[] image, int base) {
    int oh = g.outH();
    int ow = g.outW();
    int hw = g.imageH() * g.imageW();
    int row = 0;
    for (int c = 0; c < g.cg(); c++) {
      for (int i = 0; i < g.kh(); i++) {
        int rowShift = i * g.dh() - g.padTop();
        int pLo = Math.max(0, -rowShift);
        int pHi = Math.min(oh, g.imageH() - rowShift);
        for (int j = 0; j < g.kw(); j++, row++) {
          int colShift = j * g.dw() - g.padLeft();
          int qLo = firstInside(colShift, 1);
          int qHi = endInside(colShift, 1, g.imageW(), ow);
          if (pLo >= pHi || qLo >= qHi) {
            continue;
          }
          int s = row * ld + at;
          if (qLo > 0 || qHi < ow) {
            for (int p = pLo; p < pHi - 1; p++) {
              Arrays.fill(cols, s + p * ow + qHi, s + (p + 1) * ow + qLo, 0f);
            }
          }
          int first = pLo * ow + qLo;
          int n = (pHi - 1) * ow + qHi - first;
          int src = s + first;
          int dst = base + c * hw + (pLo + rowShift) * ow + qLo + colShift;
          int t = 0;
          for (int bound = S.loopBound(n); t < bound; t += LANES) {
            FloatVector.fromArray(S, image, dst + t)
                .add(FloatVector.fromArray(S, cols, src + t))
                .intoArray(image, dst + t);
          }
          for (; t < n; t++) {
            image[dst + t] += cols[src + t];
          }
        }
      }
    }
  }

  /** The FLOAT64 twin of the FLOAT32 col2im, from a [patch, positions] matrix. */
  static void col2im(Geometry g, double[] cols, double[] image, int base) {
    int oh = g.outH();
    int ow = g.outW();
    int hw = g.imageH() * g.imageW();
    int s = 0;
    for (int c = 0; c < g.cg(); c++) {
      for (int i = 0; i < g.kh(); i++) {
        for (int j = 0; j < g.kw(); j++) {
          int colShift = j * g.dw() - g.padLeft();
          int qLo = firstInside(colShift, g.sw());
          int qHi = endInside(colShift, g.sw(), g.imageW(), ow);
          for (int p = 0; p < oh; p++, s += ow) {
            int h = p * g.sh() + i * g.dh() - g.padTop();
            if (h < 0 || h >= g.imageH()) {
              continue;
            }
            int dst = base + c * hw + h * g.imageW() + qLo * g.sw() + colShift;
            for (int q = qLo; q < qHi; q++, dst += g.sw()) {
              image[dst] += cols[s + q];
            }
          }
        }
      }
    }
  }

  /** The first q ≥ 0 with q·s + shift ≥ 0. */
  private static int firstInside(int shift, int s) {
    return shift >= 0 ? 0 : (-shift + s - 1) / s;
  }

  /** One past the last q < count with q·s + shift < size (at least firstInside when empty). */
  private static int endInside(int shift, int s, int size, int count) {
    if (shift >= size) {
      return 0;
    }
    int end = (size - 1 - shift) / s + 1;
    return Math.min(count, end);
  }
}
