package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.GradFn;
import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.testkit.TensorAssertions;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link MultiheadAttention} against a naive reference (issue #14, mutation testing): PyTorch's
 * {@code multi_head_attention_forward} written as loops over doubles (in-projection, per-head
 * softmax(q·kᵀ/√d + bias), concatenation, out-projection, weights averaged over the heads). It
 * checks cross-attention without biases, every mask form (INT32 and float [L, S], per-head [N·H, L,
 * S], key padding alone and combined, causal alone and with padding), the unbatched form with a
 * padding mask, dropout 1 and evaluation mode, the gradient reaching a float mask, which path
 * (fused kernel or composite) runs, the smallest layer, the repr and the errors.
 */
class MultiheadAttentionReferenceTest {

  /** An additive bias on the scores of batch n, head h, query l, key s (−∞ hides). */
  interface Bias {
    double at(int n, int h, int l, int s);
  }

  static final Bias NONE = (n, h, l, s) -> 0;

  record Ref(double[][][] out, double[][][] weights) {}

  static double[] values(Tensor t, int size) {
    return t == null ? new double[size] : t.data().toDoubleArray();
  }

  /** The in-projection rows [off, off + E) of in_proj_weight applied to x [N][T][E]. */
  static double[][][] project(double[][][] x, double[] w, double[] b, int off, int e) {
    double[][][] p = new double[x.length][x[0].length][e];
    for (int n = 0; n < x.length; n++) {
      for (int t = 0; t < x[0].length; t++) {
        for (int j = 0; j < e; j++) {
          double sum = b[off + j];
          for (int c = 0; c < e; c++) {
            sum += w[(off + j) * e + c] * x[n][t][c];
          }
          p[n][t][j] = sum;
        }
      }
    }
    return p;
  }

  /** PyTorch's multi-head attention by loops, batch first: q [N][L][E], k and v [N][S][E]. */
  static Ref reference(
      MultiheadAttention m, int heads, double[][][] q, double[][][] k, double[][][] v, Bias bias) {
    int e = q[0][0].length;
    int batch = q.length;
    int l = q[0].length;
    int s = k[0].length;
    int d = e / heads;
    double[] w = values(m.inProjWeight(), 3 * e * e);
    double[] b = values(m.inProjBias(), 3 * e);
    double[] wo = values(m.outProj().weight(), e * e);
    double[] bo = values(m.outProj().bias(), e);
    double[][][] qp = project(q, w, b, 0, e);
    double[][][] kp = project(k, w, b, e, e);
    double[][][] vp = project(v, w, b, 2 * e, e);
    double[][][] context = new double[batch][l][e];
    double[][][] weights = new double[batch][l][s];
    for (int n = 0; n < batch; n++) {
      for (int h = 0; h < heads; h++) {
        for (int i = 0; i < l; i++) {
          double[] scores = new double[s];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < s; j++) {
            double dot = 0;
            for (int c = h * d; c < (h + 1) * d; c++) {
              dot += qp[n][i][c] * kp[n][j][c];
            }
            scores[j] = dot / Math.sqrt(d) + bias.at(n, h, i, j);
            max = Math.max(max, scores[j]);
          }
          double total = 0;
          for (int j = 0; j < s; j++) {
            scores[j] = Math.exp(scores[j] - max);
            total += scores[j];
          }
          for (int j = 0; j < s; j++) {
            double p = scores[j] / total;
            weights[n][i][j] += p / heads;
            for (int c = h * d; c < (h + 1) * d; c++) {
              context[n][i][c] += p * vp[n][j][c];
            }
          }
        }
      }
    }
    double[][][] out = new double[batch][l][e];
    for (int n = 0; n < batch; n++) {
      for (int i = 0; i < l; i++) {
        for (int o = 0; o < e; o++) {
          double sum = bo[o];
          for (int c = 0; c < e; c++) {
            sum += wo[o * e + c] * context[n][i][c];
          }
          out[n][i][o] = sum;
        }
      }
    }
    return new Ref(out, weights);
  }

  static double[][][] array3(Tensor t) {
    int[] s = t.shape();
    double[] flat = t.data().toDoubleArray();
    double[][][] out = new double[s[0]][s[1]][s[2]];
    for (int i = 0; i < s[0]; i++) {
      for (int j = 0; j < s[1]; j++) {
        for (int c = 0; c < s[2]; c++) {
          out[i][j][c] = flat[(i * s[1] + j) * s[2] + c];
        }
      }
    }
    return out;
  }

  static double[] flat(double[][][] a) {
    return Arrays.stream(a).flatMap(Arrays::stream).flatMapToDouble(Arrays::stream).toArray();
  }

  static Tensor randn(Generator g, int... shape) {
    return new Tensor(NDArray.randn(g, DType.FLOAT64, shape));
  }

  /** A layer with non-zero biases everywhere, so a lost bias shows. */
  static MultiheadAttention layer(int e, int heads, double dropout, boolean bias, long seed) {
    Generator g = new Generator(seed);
    MultiheadAttention m = new MultiheadAttention(e, heads, dropout, bias, true, g);
    for (Tensor p : m.parameters()) {
      Init.uniform(p, -0.6, 0.6, g);
    }
    return m;
  }

  /** Checks the layer's output (and weights when asked for) against the reference. */
  static void assertMatches(
      MultiheadAttention m,
      int heads,
      Tensor q,
      Tensor k,
      Tensor v,
      Tensor padding,
      Tensor attnMask,
      boolean causal,
      Bias bias) {
    Ref ref = reference(m, heads, array3(q), array3(k), array3(v), bias);
    for (boolean needWeights : new boolean[] {false, true}) {
      MultiheadAttention.Output o = m.forward(q, k, v, padding, needWeights, attnMask, causal);
      assertArrayEquals(flat(ref.out()), o.output().data().toDoubleArray(), 1e-9, "output");
      if (needWeights) {
        assertArrayEquals(flat(ref.weights()), o.weights().data().toDoubleArray(), 1e-9);
      } else {
        assertNull(o.weights());
      }
    }
  }

  static final int[][] HIDE = {{0, 1, 0, 0}, {0, 0, 1, 1}, {1, 0, 0, 0}}; // [L, S]: 1 hides
  static final double[][] ADD = {{0.3, -0.7, 1.1, 0}, {-1.5, 0.2, 0.4, -0.1}, {0.9, 0, -0.6, 0.5}};
  static final int[][] PAD = {{0, 0, 0, 1}, {0, 1, 0, 0}}; // [N, S]: 1 marks padding

  static Tensor ints(int[][] rows) {
    return new Tensor(
        NDArray.fromArray(
            Arrays.stream(rows).flatMapToInt(Arrays::stream).toArray(),
            rows.length,
            rows[0].length));
  }

  static Tensor doubles(double[][] rows) {
    return new Tensor(
        NDArray.fromArray(
            Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray(),
            rows.length,
            rows[0].length));
  }

  static double hidden(boolean hide) {
    return hide ? Double.NEGATIVE_INFINITY : 0;
  }

  @Test
  void crossAttentionWithoutBiasesMatchesTheReference() {
    Generator g = new Generator(1);
    MultiheadAttention m = layer(6, 2, 0, false, 2);
    assertNull(m.inProjBias());
    assertNull(m.outProj().bias());
    Tensor q = randn(g, 2, 3, 6);
    Tensor k = randn(g, 2, 4, 6);
    Tensor v = randn(g, 2, 4, 6);
    assertMatches(m, 2, q, k, v, null, null, false, NONE);
    // self-attention (one in-projection) without biases too
    assertMatches(m, 2, q, q, q, null, null, false, NONE);
  }

  @Test
  void everyMaskFormMatchesTheReference() {
    Generator g = new Generator(3);
    MultiheadAttention m = layer(6, 2, 0, true, 4);
    Tensor q = randn(g, 2, 3, 6);
    Tensor k = randn(g, 2, 4, 6);
    Tensor v = randn(g, 2, 4, 6);
    // INT32 [L, S]: non-zero hides
    assertMatches(m, 2, q, k, v, null, ints(HIDE), false, (n, h, l, s) -> hidden(HIDE[l][s] != 0));
    // float [L, S]: added to the scores
    assertMatches(m, 2, q, k, v, null, doubles(ADD), false, (n, h, l, s) -> ADD[l][s]);
    // float [N·H, L, S]: one mask per batch element and head, batch-major
    Tensor perHead = randn(g, 4, 3, 4);
    double[] ph = perHead.data().toDoubleArray();
    assertMatches(
        m, 2, q, k, v, null, perHead, false, (n, h, l, s) -> ph[((n * 2 + h) * 3 + l) * 4 + s]);
    // key padding alone, and with a float mask
    Bias pad = (n, h, l, s) -> hidden(PAD[n][s] != 0);
    assertMatches(m, 2, q, k, v, ints(PAD), null, false, pad);
    assertMatches(
        m,
        2,
        q,
        k,
        v,
        ints(PAD),
        doubles(ADD),
        false,
        (n, h, l, s) -> ADD[l][s] + pad.at(n, h, l, s));
    // a float key padding mask is added as it is
    double[][] soft = {{0.5, -0.25, 0, 1}, {-1, 0, 0.75, 0.1}};
    assertMatches(m, 2, q, k, v, doubles(soft), null, false, (n, h, l, s) -> soft[n][s]);
  }

  @Test
  void causalAttentionAloneAndWithPaddingMatchesTheReference() {
    Generator g = new Generator(5);
    MultiheadAttention m = layer(4, 2, 0, true, 6);
    Tensor x = randn(g, 2, 4, 4);
    Bias future = (n, h, l, s) -> hidden(s > l);
    assertMatches(m, 2, x, x, x, null, null, true, future);
    Bias pad = (n, h, l, s) -> hidden(PAD[n][s] != 0);
    assertMatches(
        m,
        2,
        x,
        x,
        x,
        ints(PAD),
        null,
        true,
        (n, h, l, s) -> future.at(n, h, l, s) + pad.at(n, h, l, s));
    // with attnMask, isCausal is only a hint: the mask is used (PyTorch)
    double[][] add = {{0, 0.5, -0.5, 0.25}, {1, 0, -1, 0}, {0.1, 0.2, 0.3, 0.4}, {0, 0, 0, 0}};
    assertMatches(m, 2, x, x, x, null, doubles(add), true, (n, h, l, s) -> add[l][s]);
  }

  @Test
  void anUnbatchedQueryTakesAKeyPaddingMaskOfS() {
    Generator g = new Generator(7);
    MultiheadAttention m = layer(6, 3, 0, true, 8);
    Tensor q = randn(g, 3, 6);
    Tensor kv = randn(g, 4, 6);
    Tensor padding = new Tensor(NDArray.fromArray(new int[] {0, 1, 0, 1}, 4));
    Ref ref =
        reference(
            m,
            3,
            array3(q.unsqueeze(0)),
            array3(kv.unsqueeze(0)),
            array3(kv.unsqueeze(0)),
            (n, h, l, s) -> hidden(s % 2 == 1));
    MultiheadAttention.Output o = m.forward(q, kv, kv, padding, true, null, false);
    assertArrayEquals(new int[] {3, 6}, o.output().shape());
    assertArrayEquals(flat(ref.out()), o.output().data().toDoubleArray(), 1e-9);
    assertArrayEquals(new int[] {3, 4}, o.weights().shape());
    assertArrayEquals(flat(ref.weights()), o.weights().data().toDoubleArray(), 1e-9);
  }

  @Test
  void dropoutOneDropsEveryProbabilityInTrainingAndNothingInEvaluation() {
    Generator g = new Generator(9);
    MultiheadAttention m = layer(4, 2, 1, true, 10);
    Tensor x = randn(g, 2, 3, 4);
    // every probability dropped: the attended values are 0, the output is out_proj's bias
    MultiheadAttention.Output o = m.forward(x, x, x, null, true, null, false);
    double[] bias = m.outProj().bias().data().toDoubleArray();
    double[] expected = new double[2 * 3 * 4];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = bias[i % 4];
    }
    assertArrayEquals(expected, o.output().data().toDoubleArray(), 1e-7);
    assertEquals(0, o.weights().data().abs().sum().item());
    assertNull(m.forward(x, x, x, null, false, null, false).weights());
    assertArrayEquals(expected, m.forward(x).data().toDoubleArray(), 1e-7);
    // evaluation: no dropout at all
    m.eval();
    Ref ref = reference(m, 2, array3(x), array3(x), array3(x), NONE);
    assertArrayEquals(flat(ref.out()), m.forward(x).data().toDoubleArray(), 1e-9);
    assertMatches(m, 2, x, x, x, null, null, false, NONE);
  }

  @Test
  void aFloatMaskThatRequiresGradGetsItsGradient() {
    // the fused kernel treats the mask as a constant: a mask that requires grad takes the
    // composite, so d(loss)/d(mask) is there and matches finite differences
    Generator g = new Generator(11);
    MultiheadAttention m = layer(4, 2, 0, true, 12);
    Tensor q = randn(g, 2, 3, 4);
    Tensor kv = randn(g, 2, 2, 4);
    Tensor mask = randn(g, 3, 2).requiresGrad(true);
    TensorAssertions.assertGradientsMatch(
        "attnMask", in -> m.forward(q, kv, kv, null, false, in[0], false).output().square(), mask);
    Tensor perHead = randn(g, 4, 3, 2).requiresGrad(true);
    m.forward(q, kv, kv, null, false, perHead, false).output().sum().backward();
    assertNotNull(perHead.grad());
    assertTrue(perHead.grad().data().abs().sum().item() > 0);
  }

  /** The names of every node in the graph behind {@code t}. */
  static Set<String> graph(Tensor t) {
    Set<String> names = new HashSet<>();
    Set<GradFn> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    Deque<Tensor> todo = new ArrayDeque<>();
    todo.add(t);
    while (!todo.isEmpty()) {
      GradFn f = todo.poll().gradFn();
      if (f != null && seen.add(f)) {
        names.add(f.name());
        todo.addAll(f.inputs());
      }
    }
    return names;
  }

  static boolean fused(Set<String> names) {
    return names.stream().anyMatch(n -> n.startsWith("ScaledDotProductAttention"));
  }

  static boolean softmax(Set<String> names) {
    return names.stream().anyMatch(n -> n.contains("Softmax"));
  }

  @Test
  void theFusedKernelRunsUnlessWeightsDropoutOrAMaskGradientAreNeeded() {
    Generator g = new Generator(13);
    MultiheadAttention m = layer(4, 2, 0.5, true, 14);
    m.eval(); // dropout 0.5 is off in evaluation
    Tensor x = randn(g, 2, 3, 4).requiresGrad(true);
    Set<String> plain = graph(m.forward(x));
    assertTrue(fused(plain) && !softmax(plain), plain::toString);
    Set<String> masked =
        graph(
            m.forward(x, x, x, ints(new int[][] {{0, 1, 0}, {0, 0, 1}}), false, null, true)
                .output());
    assertTrue(fused(masked) && !softmax(masked), masked::toString);
    Set<String> weights = graph(m.forward(x, x, x, null, true, null, false).output());
    assertTrue(softmax(weights) && !fused(weights), weights::toString);
    Set<String> grad =
        graph(m.forward(x, x, x, null, false, randn(g, 3, 3).requiresGrad(true), false).output());
    assertTrue(softmax(grad) && !fused(grad), grad::toString);
    m.train();
    Set<String> dropout = graph(m.forward(x));
    assertTrue(softmax(dropout) && !fused(dropout), dropout::toString);
  }

  @Test
  void theSmallestLayerAndTheDropoutBoundsAreAccepted() {
    // E = 1, one head: d = 1, so the scores are q·k
    MultiheadAttention one = layer(1, 1, 0, true, 15);
    Tensor x = randn(new Generator(16), 2, 3, 1);
    Ref ref = reference(one, 1, array3(x), array3(x), array3(x), NONE);
    assertArrayEquals(flat(ref.out()), one.forward(x).data().toDoubleArray(), 1e-9);
    // dropout 0 and 1 are both in range (nn.MultiheadAttention(4, 2, dropout=1.0) is accepted)
    new MultiheadAttention(4, 2, 0, true, true, new Generator(1));
    new MultiheadAttention(4, 2, 1, true, true, new Generator(1));
  }

  static String error(Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }

  @Test
  void badSizesAndDropoutsAreRefusedNamingTheLayer() {
    Generator g = new Generator(1);
    String m = error(() -> new MultiheadAttention(0, 1, 0, true, true, g));
    assertTrue(m.contains("sizes must be positive") && m.contains("embedDim=0"), m);
    m = error(() -> new MultiheadAttention(4, 0, 0, true, true, g));
    assertTrue(m.contains("sizes must be positive") && m.contains("numHeads=0"), m);
    m = error(() -> new MultiheadAttention(-3, 1, 0, true, true, g));
    assertTrue(m.contains("sizes must be positive"), m);
    int big = Integer.MAX_VALUE / 3 + 1; // 3·embedDim rows overflow an int
    m = error(() -> new MultiheadAttention(big, 1, 0, true, true, g));
    assertTrue(m.contains("too large") && m.contains("embedDim=" + big), m);
    for (double p : new double[] {-0.01, 1.01, Double.NaN}) {
      m = error(() -> new MultiheadAttention(4, 2, p, true, true, g));
      assertTrue(m.contains("dropout must be in [0, 1]"), m);
    }
  }

  @Test
  void inputsWithoutEmbedDimFeaturesAndBadMasksAreRefused() {
    MultiheadAttention mha = new MultiheadAttention(8, 2);
    Tensor q = Tensor.zeros(2, 3, 8);
    Tensor kv = Tensor.zeros(2, 5, 8);
    String m = error(() -> mha.forward(q, Tensor.zeros(2, 5, 6), kv, null, false, null, false));
    assertTrue(m.contains("embedDim=8 features") && m.contains("key [2, 5, 6]"), m);
    m = error(() -> mha.forward(q, kv, Tensor.zeros(2, 5, 6), null, false, null, false));
    assertTrue(m.contains("embedDim=8 features") && m.contains("value [2, 5, 6]"), m);
    // ranks: all 3-D or all 2-D
    String rank = "must all be 3-D (batched) or 2-D (unbatched)";
    m = error(() -> mha.forward(q, Tensor.zeros(5, 8), kv, null, false, null, false));
    assertTrue(m.contains(rank) && m.contains("key [5, 8]"), m);
    m = error(() -> mha.forward(q, kv, Tensor.zeros(5, 8), null, false, null, false));
    assertTrue(m.contains(rank) && m.contains("value [5, 8]"), m);
    m =
        error(
            () ->
                mha.forward(Tensor.zeros(3, 8), Tensor.zeros(5, 8), kv, null, false, null, false));
    assertTrue(m.contains(rank) && m.contains("value [2, 5, 8]"), m);
    Tensor four = Tensor.zeros(1, 2, 3, 8);
    m = error(() -> mha.forward(four, four, four, null, false, null, false));
    assertTrue(m.contains(rank) && m.contains("query [1, 2, 3, 8]"), m);
    // batch sizes and lengths: key and value share N with the query, and one S
    String sizes = "must have the query's batch size and one length S";
    m = error(() -> mha.forward(q, Tensor.zeros(1, 5, 8), kv, null, false, null, false));
    assertTrue(m.contains(sizes) && m.contains("key [1, 5, 8]"), m);
    m = error(() -> mha.forward(q, kv, Tensor.zeros(1, 5, 8), null, false, null, false));
    assertTrue(m.contains(sizes) && m.contains("value [1, 5, 8]"), m);
    m = error(() -> mha.forward(q, kv, Tensor.zeros(2, 4, 8), null, false, null, false));
    assertTrue(m.contains(sizes) && m.contains("value [2, 4, 8]"), m);
    // attnMask: [L, S] = [3, 5] or [N·numHeads, L, S] = [4, 3, 5]
    m = error(() -> mha.forward(q, kv, kv, null, false, Tensor.zeros(2, 3, 5), false));
    assertTrue(m.contains("[4, 3, 5]") && m.contains("[3, 5]") && m.contains("got [2, 3, 5]"), m);
    m = error(() -> mha.forward(q, kv, kv, Tensor.zeros(DType.INT32, 2, 3), false, null, false));
    assertTrue(m.contains("keyPaddingMask must be [N, S] = [2, 5]"), m);
  }

  @Test
  void theReprShowsTheSizesDropoutAndLayout() {
    String first = new MultiheadAttention(8, 2, 0.25, true, true, new Generator(1)).toString();
    assertTrue(
        first.startsWith(
            "MultiheadAttention(\n  embed_dim=8, num_heads=2, dropout=0.25, batch_first=True\n"
                + "  (out_proj): Linear("),
        first);
    String seq = new MultiheadAttention(6, 3, 0, false, false, new Generator(1)).toString();
    assertTrue(seq.contains("embed_dim=6, num_heads=3, dropout=0.0, batch_first=False"), seq);
    assertFalse(seq.contains("True"), seq);
  }
}
