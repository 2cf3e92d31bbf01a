package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link F#scaledDotProductAttention} with batch dims of different ranks and sizes, and its checks
 * on the composite path (issue #14, mutation testing). Values are checked against a loop reference
 * softmax(q·kᵀ/√E + mask)·v per broadcast batch element, on the fused kernel (a constant mask) and
 * on the composite (a mask that requires grad); the errors are checked with dropout on, where the
 * composite runs and only the op's own checks can name the problem.
 */
class AttentionBroadcastTest {

  static final int L = 2;
  static final int S = 4;
  static final int E = 3;
  static final int EV = 2;

  static Tensor randn(Generator g, int... shape) {
    return new Tensor(NDArray.randn(g, DType.FLOAT64, shape));
  }

  /** softmax(q·kᵀ/√E + mask)·v of one batch element, by loops: q [L, E], k [S, E], v [S, EV]. */
  static double[] reference(double[] q, double[] k, double[] v, double[] mask) {
    double[] out = new double[L * EV];
    for (int i = 0; i < L; i++) {
      double[] p = new double[S];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < S; j++) {
        double dot = 0;
        for (int c = 0; c < E; c++) {
          dot += q[i * E + c] * k[j * E + c];
        }
        p[j] = dot / Math.sqrt(E) + mask[i * S + j];
        max = Math.max(max, p[j]);
      }
      double total = 0;
      for (int j = 0; j < S; j++) {
        p[j] = Math.exp(p[j] - max);
        total += p[j];
      }
      for (int j = 0; j < S; j++) {
        for (int c = 0; c < EV; c++) {
          out[i * EV + c] += p[j] / total * v[j * EV + c];
        }
      }
    }
    return out;
  }

  /** The [b0, b1] slice of a tensor whose batch dims are [d0, d1] (broadcast: size 1 repeats). */
  static double[] slice(Tensor t, int b0, int b1) {
    int[] s = t.shape();
    int batchDims = s.length - 2;
    int i0 = batchDims == 2 ? (s[0] == 1 ? 0 : b0) : 0;
    int i1 = batchDims == 0 ? 0 : (s[batchDims - 1] == 1 ? 0 : b1);
    NDArray a = t.data();
    if (batchDims == 2) {
      a = a.select(0, i0);
    }
    if (batchDims >= 1) {
      a = a.select(0, i1);
    }
    return a.contiguous().toDoubleArray();
  }

  /** The output [2, 3, L, EV] of q, k, v and a [2, 3, L, S] mask, against the reference. */
  static void assertBroadcasts(Tensor q, Tensor k, Tensor v) {
    Tensor mask = randn(new Generator(99), 2, 3, L, S);
    double[] expected = new double[2 * 3 * L * EV];
    for (int b0 = 0; b0 < 2; b0++) {
      for (int b1 = 0; b1 < 3; b1++) {
        double[] r =
            reference(slice(q, b0, b1), slice(k, b0, b1), slice(v, b0, b1), slice(mask, b0, b1));
        System.arraycopy(r, 0, expected, (b0 * 3 + b1) * L * EV, L * EV);
      }
    }
    for (boolean maskGrad : new boolean[] {false, true}) {
      Tensor m = maskGrad ? mask.detach().requiresGrad(true) : mask;
      Tensor y = F.scaledDotProductAttention(q, k, v, m, 0, false, null, null);
      assertArrayEquals(new int[] {2, 3, L, EV}, y.shape());
      assertArrayEquals(expected, y.data().toDoubleArray(), 1e-9, "mask grad " + maskGrad);
    }
  }

  @Test
  void aQueryOfThreeBroadcastsAgainstKeysAndValuesOfTwoByOne() {
    Generator g = new Generator(1);
    // batch dims [3] with [2, 1] and [2, 1]: the scores are [2, 3, L, S]
    assertBroadcasts(randn(g, 3, L, E), randn(g, 2, 1, S, E), randn(g, 2, 1, S, EV));
  }

  @Test
  void anUnbatchedQueryBroadcastsAgainstKeysOfTwoByOneAndValuesOfThree() {
    Generator g = new Generator(2);
    // batch dims [] with [2, 1] and [3]: the keys and values broadcast to [2, 3] first
    assertBroadcasts(randn(g, L, E), randn(g, 2, 1, S, E), randn(g, 3, S, EV));
    // and the other way round: keys of [3], values of [2, 1]
    assertBroadcasts(randn(g, 1, L, E), randn(g, 3, S, E), randn(g, 2, 1, S, EV));
  }

  static String error(Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }

  static String sdpa(Tensor q, Tensor k, Tensor v, Tensor mask, double p, Double scale) {
    return error(() -> F.scaledDotProductAttention(q, k, v, mask, p, false, scale, null));
  }

  @Test
  void batchDimsThatDoNotBroadcastAreRefusedOnBothPaths() {
    Generator g = new Generator(3);
    Tensor q = randn(g, 2, L, E);
    Tensor k = randn(g, 3, S, E);
    Tensor v = randn(g, 3, S, EV);
    for (double p : new double[] {0, 0.5}) {
      String m = sdpa(q, k, v, null, p, null);
      assertTrue(m.contains("batch dims of q, k and v do not broadcast"), m);
      m = sdpa(q, randn(g, 2, S, E), v, null, p, null); // keys of 2, values of 3
      assertTrue(m.contains("batch dims of q, k and v do not broadcast"), m);
      m = sdpa(randn(g, 3, L, E), randn(g, 2, 3, S, E), randn(g, 4, 1, S, EV), null, p, null);
      assertTrue(m.contains("batch dims of q, k and v do not broadcast"), m);
    }
  }

  @Test
  void aMaskOfMoreDimsThanTheScoresIsRefused() {
    Generator g = new Generator(4);
    Tensor q = randn(g, 2, L, E);
    Tensor k = randn(g, 2, S, E);
    Tensor v = randn(g, 2, S, EV);
    Tensor mask = Tensor.zeros(DType.FLOAT64, 1, 1, L, S);
    for (double p : new double[] {0, 0.5}) {
      String m = sdpa(q, k, v, mask, p, null);
      assertTrue(
          m.contains("attnMask [1, 1, 2, 4] does not broadcast") && m.contains("[2, 2, 4]"), m);
    }
  }

  @Test
  void theCompositePathChecksShapesDtypesAndScalarsItself() {
    Generator g = new Generator(5);
    Tensor q = randn(g, 2, L, E);
    Tensor k = randn(g, 2, S, E);
    Tensor v = randn(g, 2, S, EV);
    Tensor mask = Tensor.zeros(DType.FLOAT64, L, S).requiresGrad(true);
    for (double p : new double[] {0.5, 1}) {
      String m = sdpa(null, k, v, null, p, null);
      assertTrue(m.contains("must not be null"), m);
      m = sdpa(q, k, null, mask, p, null);
      assertTrue(m.contains("must not be null"), m);
      m = sdpa(randn(g, E), k, v, null, p, null);
      assertTrue(m.contains("at least 2 dims") && m.contains("q [3]"), m);
      m = sdpa(q, k, randn(g, S), null, p, null);
      assertTrue(m.contains("at least 2 dims") && m.contains("v [4]"), m);
      m = sdpa(q, k.to(DType.FLOAT32), v, null, p, null);
      assertTrue(m.contains("one floating dtype"), m);
      m = sdpa(q, k, v.to(DType.FLOAT32), null, p, null);
      assertTrue(m.contains("one floating dtype"), m);
      m = sdpa(q.to(DType.INT32), k.to(DType.INT32), v.to(DType.INT32), null, p, null);
      assertTrue(m.contains("one floating dtype"), m);
      m = sdpa(q, randn(g, 2, S, E + 1), v, null, p, null);
      assertTrue(m.contains("same embedding size E"), m);
      m = sdpa(q, k, randn(g, 2, S + 1, EV), null, p, null);
      assertTrue(m.contains("same sequence length S"), m);
      for (double scale : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
        m = sdpa(q, k, v, null, p, scale);
        assertTrue(m.contains("scale must be finite"), m);
      }
    }
    // a mask that requires grad takes the composite even without dropout
    String m = sdpa(q, k, v, mask, 0, Double.NaN);
    assertTrue(m.contains("scale must be finite"), m);
    m = sdpa(q, randn(g, 2, S, E + 1), v, mask, 0, null);
    assertTrue(m.contains("same embedding size E"), m);
  }

  @Test
  void attendChecksItsScalarsWhenCalledDirectly() {
    // MultiheadAttention calls attend without going through scaledDotProductAttention
    Generator g = new Generator(6);
    Tensor q = randn(g, 2, L, E);
    Tensor k = randn(g, 2, S, E);
    Tensor v = randn(g, 2, S, EV);
    for (double p : new double[] {-0.5, 1.5, Double.NaN}) {
      String m = error(() -> Attention.attend("op", q, k, v, null, p, false, null, g));
      assertTrue(m.startsWith("op: dropoutP must be in [0, 1]"), m);
    }
    String m = error(() -> Attention.attend("op", q, k, v, null, 0, false, Double.NaN, g));
    assertTrue(m.startsWith("op: scale must be finite"), m);
  }

  static String attentionNode(Tensor y) {
    return y.gradFn().name();
  }

  @Test
  void theFusedKernelRunsWithoutDropoutOrAMaskGradient() {
    // one ScaledDotProductAttention node (backward from the saved probabilities) whenever the
    // composite is not needed: no dropout, no mask or a constant one
    Generator g = new Generator(7);
    Tensor q = randn(g, 2, L, E).requiresGrad(true);
    Tensor k = randn(g, 2, S, E);
    Tensor v = randn(g, 2, S, EV);
    Tensor mask = randn(g, L, S);
    String plain = attentionNode(F.scaledDotProductAttention(q, k, v, null, 0, false, null, g));
    assertTrue(plain.startsWith("ScaledDotProductAttention"), plain);
    String masked = attentionNode(F.scaledDotProductAttention(q, k, v, mask, 0, false, null, g));
    assertTrue(masked.startsWith("ScaledDotProductAttention"), masked);
    // dropout or a mask that requires grad: the composite, ending in the product P·v
    String dropped = attentionNode(F.scaledDotProductAttention(q, k, v, null, 0.5, false, null, g));
    assertTrue(!dropped.startsWith("ScaledDotProductAttention"), dropped);
    Tensor learnt = mask.detach().requiresGrad(true);
    String composite =
        attentionNode(F.scaledDotProductAttention(q, k, v, learnt, 0, false, null, g));
    assertTrue(!composite.startsWith("ScaledDotProductAttention"), composite);
  }
}
