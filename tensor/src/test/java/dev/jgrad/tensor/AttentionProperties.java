package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@code scaledDotProductAttention} against the textbook softmax(scale·q·kᵀ + mask)·v in double
 * precision, on broadcast batches, L ≠ S, sizes around the SIMD width, transposed, sliced and
 * broadcast operands, INT32 and float masks of broadcast shapes and the causal triangle; the
 * probabilities too; 1 and 2 threads giving the same bits; and the errors: covers {@code
 * Attention}.
 */
class AttentionProperties {
  static final int W = Samples.W;

  enum View {
    CONTIGUOUS,
    TRANSPOSED,
    SLICED
  }

  enum Mask {
    NONE,
    INT,
    FLOAT,
    CAUSAL
  }

  @Provide
  Arbitrary<Integer> width() {
    return Arbitraries.of(1, 2, 3, W - 1, W, W + 1, 2 * W + 3);
  }

  @Provide
  Arbitrary<Integer> length() {
    // Mostly short; sometimes a vector long or more (the SIMD softmax loops) or past one block of
    // 64 query rows.
    return Arbitraries.frequencyOf(
        Tuple.of(5, Arbitraries.integers().between(0, 9)),
        Tuple.of(1, Arbitraries.of(W - 1, W, W + 1, 2 * W + 1, 70)));
  }

  /** An array of {@code shape} with values in [−2, 2), laid out as the view says. */
  static NDArray draw(Generator g, DType dtype, int[] shape, View view) {
    int n = shape.length;
    switch (view) {
      case TRANSPOSED -> {
        int[] t = shape.clone();
        t[n - 2] = shape[n - 1];
        t[n - 1] = shape[n - 2];
        return NDArray.rand(g, dtype, t).mul(4).sub(2).transpose(n - 2, n - 1);
      }
      case SLICED -> {
        int[] wide = shape.clone();
        wide[n - 1] += 3;
        return NDArray.rand(g, dtype, wide).mul(4).sub(2).narrow(n - 1, 2, shape[n - 1]);
      }
      default -> {
        return NDArray.rand(g, dtype, shape).mul(4).sub(2);
      }
    }
  }

  static int[] shape(int[] batch, int rows, int cols) {
    int[] s = Arrays.copyOf(batch, batch.length + 2);
    s[batch.length] = rows;
    s[batch.length + 1] = cols;
    return s;
  }

  /** The element of {@code a} (values in row-major order) at a broadcast index of {@code full}. */
  static double at(double[] a, int[] shape, int[] full, int[] index) {
    int lead = full.length - shape.length;
    int flat = 0;
    for (int d = 0; d < shape.length; d++) {
      flat = flat * shape[d] + (shape[d] == 1 ? 0 : index[lead + d]);
    }
    return a[flat];
  }

  /** The reference, [batch.., L, Ev] then [batch.., L, S], in double. */
  static double[][] reference(
      NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal, double scale, int[] batch) {
    int l = q.shape(-2);
    int s = k.shape(-2);
    int e = q.shape(-1);
    int ev = v.shape(-1);
    double[] qa = q.toDoubleArray();
    double[] ka = k.toDoubleArray();
    double[] va = v.toDoubleArray();
    double[] ma = mask == null ? null : mask.toDoubleArray();
    int batches = Math.toIntExact(Arrays.stream(batch).asLongStream().reduce(1, (x, y) -> x * y));
    double[] out = new double[batches * l * ev];
    double[] prob = new double[batches * l * s];
    int[] idx = new int[batch.length + 2];
    for (int b = 0; b < batches; b++) {
      for (int rest = b, d = batch.length - 1; d >= 0; d--) {
        idx[d] = rest % batch[d];
        rest /= batch[d];
      }
      int[] full = shape(batch, l, Math.max(s, Math.max(e, ev)));
      for (int i = 0; i < l; i++) {
        double[] score = new double[s];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < s; j++) {
          double dot = 0;
          for (int c = 0; c < e; c++) {
            idx[batch.length] = i;
            idx[batch.length + 1] = c;
            double qv = at(qa, q.shape(), full, idx);
            idx[batch.length] = j;
            dot += qv * at(ka, k.shape(), full, idx);
          }
          score[j] = dot * scale;
          idx[batch.length] = i;
          idx[batch.length + 1] = j;
          if (causal && j > i) {
            score[j] = Double.NEGATIVE_INFINITY;
          } else if (mask != null && mask.dtype() == DType.INT32) {
            score[j] = at(ma, mask.shape(), full, idx) == 0 ? Double.NEGATIVE_INFINITY : score[j];
          } else if (mask != null) {
            score[j] += at(ma, mask.shape(), full, idx);
          }
          max = Math.max(max, score[j]);
        }
        double sum = 0;
        for (int j = 0; j < s; j++) {
          sum += Math.exp(score[j] - max);
        }
        for (int j = 0; j < s; j++) {
          double p = Math.exp(score[j] - max) / sum;
          prob[(b * l + i) * s + j] = p;
          for (int c = 0; c < ev; c++) {
            idx[batch.length] = j;
            idx[batch.length + 1] = c;
            out[(b * l + i) * ev + c] += p * at(va, v.shape(), full, idx);
          }
        }
      }
    }
    return new double[][] {out, prob};
  }

  static void assertClose(String what, double[] expected, NDArray actual, double tol) {
    double[] a = actual.toDoubleArray();
    assertTrue(
        expected.length == a.length,
        what + ": " + a.length + " values, expected " + expected.length);
    for (int i = 0; i < a.length; i++) {
      double allowed = tol * (1 + Math.abs(expected[i]));
      assertTrue(
          Math.abs(a[i] - expected[i]) <= allowed,
          what + "[" + i + "] = " + a[i] + ", expected " + expected[i]);
    }
  }

  @Property(tries = 120)
  void matchesTheTextbookFormulaOnViewsMasksAndBroadcastBatches(
      @ForAll("length") int l,
      @ForAll("length") int s,
      @ForAll("width") int e,
      @ForAll("width") int ev,
      @ForAll @IntRange(min = 0, max = 2) int rank,
      @ForAll boolean broadcastQ,
      @ForAll View qView,
      @ForAll View kView,
      @ForAll View vView,
      @ForAll Mask maskKind,
      @ForAll boolean maskBroadcast,
      @ForAll boolean float64,
      @ForAll @IntRange(min = 0, max = 1000) int seed) {
    DType dtype = float64 ? DType.FLOAT64 : DType.FLOAT32;
    Generator g = new Generator(seed);
    int[] batch = Arrays.copyOf(new int[] {2, 3}, rank);
    int[] qBatch = broadcastQ && rank > 0 ? batch.clone() : batch;
    if (broadcastQ && rank > 0) {
      qBatch[rank - 1] = 1; // one query block shared by the last batch dim
    }
    NDArray q = draw(g, dtype, shape(qBatch, l, e), qView);
    NDArray k = draw(g, dtype, shape(batch, s, e), kView);
    NDArray v = draw(g, dtype, shape(batch, s, ev), vView);
    // a mask of [L, S] or of the whole scores' shape; the INT32 one keeps column 0 of every row
    int[] maskShape = maskBroadcast ? new int[] {l, s} : shape(batch, l, s);
    NDArray mask =
        switch (maskKind) {
          case INT -> {
            NDArray m = NDArray.rand(g, DType.FLOAT64, maskShape).ge(0.4).to(DType.INT32);
            if (s > 0) {
              m.narrow(m.rank() - 1, 0, 1).fill(1);
            }
            yield m;
          }
          case FLOAT -> NDArray.randn(g, dtype, maskShape);
          default -> null;
        };
    boolean causal = maskKind == Mask.CAUSAL;
    double scale = 1 / Math.sqrt(e);
    Attended a = NDArray.scaledDotProductAttention(q, k, v, mask, causal, scale);
    double[][] ref = reference(q, k, v, mask, causal, scale, batch);
    double tol = float64 ? 1e-12 : 2e-5;
    assertArrayEquals(shape(batch, l, ev), a.output().shape());
    assertArrayEquals(shape(batch, l, s), a.probabilities().shape());
    assertClose("output", ref[0], a.output(), tol);
    assertClose("probabilities", ref[1], a.probabilities(), tol);
  }

  @Test
  void aRowWithEveryPositionMaskedIsNaNAsSoftmaxIs() {
    Generator g = new Generator(3);
    NDArray q = NDArray.randn(g, 2, 4);
    NDArray k = NDArray.randn(g, 3, 4);
    NDArray v = NDArray.randn(g, 3, 5);
    NDArray mask = NDArray.fromArray(new int[] {1, 0, 1, 0, 0, 0}, 2, 3);
    Attended a = NDArray.scaledDotProductAttention(q, k, v, mask, false, 0.5);
    for (float x : a.output().narrow(0, 1, 1).toFloatArray()) {
      assertTrue(Float.isNaN(x));
    }
    for (float x : a.output().narrow(0, 0, 1).toFloatArray()) {
      assertTrue(Float.isFinite(x));
    }
  }

  @Test
  void rowsSharedAmongThreadsGiveTheSameBits() {
    Generator g = new Generator(9);
    NDArray q = NDArray.randn(g, 4, 64, 4, 32).transpose(1, 2);
    NDArray k = NDArray.randn(g, 4, 64, 4, 32).transpose(1, 2);
    NDArray v = NDArray.randn(g, 4, 64, 4, 32).transpose(1, 2); // [B, H, T, D] views
    int before = Parallel.threads();
    try {
      Parallel.setThreads(1);
      Attended one = NDArray.scaledDotProductAttention(q, k, v, null, true, 0.2);
      Parallel.setThreads(2);
      Attended two = NDArray.scaledDotProductAttention(q, k, v, null, true, 0.2);
      assertArrayEquals(one.output().toFloatArray(), two.output().toFloatArray());
      assertArrayEquals(one.probabilities().toFloatArray(), two.probabilities().toFloatArray());
    } finally {
      Parallel.setThreads(before);
    }
  }

  static String error(NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal) {
    return assertThrows(
            IllegalArgumentException.class,
            () -> NDArray.scaledDotProductAttention(q, k, v, mask, causal, 1))
        .getMessage();
  }

  @Test
  void badInputIsRefusedNamingTheOpAndTheShapes() {
    NDArray q = NDArray.zeros(DType.FLOAT32, 2, 5, 4);
    NDArray k = NDArray.zeros(DType.FLOAT32, 2, 7, 4);
    NDArray v = NDArray.zeros(DType.FLOAT32, 2, 7, 3);
    String m = error(q, NDArray.zeros(DType.FLOAT32, 2, 7, 6), v, null, false);
    assertTrue(
        m.contains("scaledDotProductAttention") && m.contains("[2, 7, 6]") && m.contains(" E "), m);
    m = error(q, k, NDArray.zeros(DType.FLOAT32, 2, 6, 3), null, false);
    assertTrue(m.contains("sequence length S") && m.contains("[2, 6, 3]"), m);
    m = error(q, k, v, NDArray.zeros(DType.INT32, 5, 6), false);
    assertTrue(m.contains("mask [5, 6]") && m.contains("[2, 5, 7]"), m);
    m = error(q, k, v, NDArray.ones(DType.INT32, 5, 7), true);
    assertTrue(m.contains("causal") && m.contains("[5, 7]"), m);
    m = error(NDArray.zeros(DType.FLOAT32, 3, 5, 4), k, v, null, false);
    assertTrue(m.contains("batch dims") && m.contains("[3, 5, 4]"), m);
    m = error(NDArray.zeros(DType.FLOAT32, 4), k, v, null, false);
    assertTrue(m.contains("at least 2 dims") && m.contains("q [4]"), m);
    m = error(q.to(DType.FLOAT64), k, v, null, false);
    assertTrue(m.contains("dtype") && m.contains("float64"), m);
    m = error(null, k, v, null, false);
    assertTrue(m.contains("null"), m);
  }
}
