package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.testkit.TensorAssertions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link MultiheadAttention}: PyTorch's parameter names, shapes and initialisation, the masks
 * (padded keys and future keys cannot change an output), the layouts (sequence first, unbatched),
 * the averaged weights, dropout, GradCheck through the whole layer, and its errors.
 */
class MultiheadAttentionTest {

  static Tensor randn(Generator g, DType dtype, int... shape) {
    return new Tensor(NDArray.randn(g, dtype, shape));
  }

  @Test
  void theStateDictHasPyTorchsNamesAndShapes() {
    // nn.MultiheadAttention(8, 2).state_dict(): in_proj_weight [24, 8], in_proj_bias [24],
    // out_proj.weight [8, 8], out_proj.bias [8], in this order
    Map<String, NDArray> state = new MultiheadAttention(8, 2).stateDict();
    assertEquals(
        List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"),
        new ArrayList<>(state.keySet()));
    assertArrayEquals(new int[] {24, 8}, state.get("in_proj_weight").shape());
    assertArrayEquals(new int[] {24}, state.get("in_proj_bias").shape());
    assertArrayEquals(new int[] {8, 8}, state.get("out_proj.weight").shape());
    assertArrayEquals(new int[] {8}, state.get("out_proj.bias").shape());
    Map<String, NDArray> noBias =
        new MultiheadAttention(8, 2, 0, false, true, new Generator(1)).stateDict();
    assertEquals(List.of("in_proj_weight", "out_proj.weight"), new ArrayList<>(noBias.keySet()));
  }

  @Test
  void initialisationIsPyTorchs() {
    MultiheadAttention mha = new MultiheadAttention(32, 4, 0, true, true, new Generator(3));
    assertEquals(0, mha.inProjBias().data().abs().sum().item());
    assertEquals(0, mha.outProj().bias().data().abs().sum().item());
    // Xavier-uniform over fan_in 32, fan_out 96: U(−b, b), b = √(6/128); variance b²/3
    double b = Math.sqrt(6.0 / 128);
    NDArray w = mha.inProjWeight().data();
    assertTrue(w.abs().max().item() <= b);
    double variance = w.square().mean().item();
    assertEquals(b * b / 3, variance, 0.1 * b * b / 3);
    // out_proj keeps a Linear's kaiming-uniform weight: bound 1/√32
    assertTrue(mha.outProj().weight().data().abs().max().item() <= 1 / Math.sqrt(32));
  }

  @Test
  void paddedKeysAndFutureKeysCannotChangeAnOutput() {
    Generator g = new Generator(5);
    MultiheadAttention mha = new MultiheadAttention(8, 2, 0, true, true, g);
    Tensor q = randn(g, DType.FLOAT32, 2, 4, 8);
    Tensor kv = randn(g, DType.FLOAT32, 2, 6, 8);
    Tensor padding =
        new Tensor(NDArray.fromArray(new int[] {0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1}, 2, 6));
    Tensor changed = kv.cloneTensor();
    changed.data().select(0, 0).narrow(0, 5, 1).fill(100); // padded keys of sequence 0
    changed.data().select(0, 1).narrow(0, 3, 3).fill(-7); // and of sequence 1
    MultiheadAttention.Output a = mha.forward(q, kv, kv, padding, true, null, false);
    MultiheadAttention.Output b = mha.forward(q, changed, changed, padding, true, null, false);
    TensorAssertions.assertCloseTo(a.output(), b.output(), 1e-6, 1e-6);
    // the averaged weights: [N, L, S], rows summing to 1, zero on padded keys
    assertArrayEquals(new int[] {2, 4, 6}, a.weights().shape());
    TensorAssertions.assertCloseTo(Tensor.ones(2, 4), a.weights().sum(-1, false), 1e-6, 1e-6);
    assertEquals(0, a.weights().data().select(0, 1).narrow(1, 3, 3).abs().sum().item());
    // causal self-attention: changing the last token leaves every earlier output as it was
    Tensor x = randn(g, DType.FLOAT32, 2, 5, 8);
    Tensor y = x.cloneTensor();
    y.data().narrow(1, 4, 1).fill(3);
    Tensor ox = mha.forward(x, x, x, null, false, null, true).output();
    Tensor oy = mha.forward(y, y, y, null, false, null, true).output();
    TensorAssertions.assertCloseTo(ox.narrow(1, 0, 4), oy.narrow(1, 0, 4), 1e-6, 1e-6);
    assertTrue(ox.narrow(1, 4, 1).sub(oy.narrow(1, 4, 1)).abs().sum().item() > 1e-3);
    // a float mask of −∞ above the diagonal is the same as isCausal; the weights path too
    Tensor future =
        Tensor.zeros(5, 5)
            .maskedFill(
                new Tensor(NDArray.ones(DType.INT32, 5, 5).triu(1)), Double.NEGATIVE_INFINITY);
    TensorAssertions.assertCloseTo(
        ox, mha.forward(x, x, x, null, true, future, false).output(), 1e-6, 1e-6);
  }

  @Test
  void sequenceFirstAndUnbatchedLayoutsGiveTheSameValues() {
    Generator g = new Generator(6);
    MultiheadAttention first = new MultiheadAttention(6, 3, 0, true, true, new Generator(9));
    MultiheadAttention seq = new MultiheadAttention(6, 3, 0, true, false, new Generator(9));
    Tensor q = randn(g, DType.FLOAT32, 2, 4, 6);
    Tensor kv = randn(g, DType.FLOAT32, 2, 3, 6);
    Tensor a = first.forward(q, kv, kv, null, false, null, false).output();
    Tensor b =
        seq.forward(
                q.transpose(0, 1), kv.transpose(0, 1), kv.transpose(0, 1), null, false, null, false)
            .output();
    assertArrayEquals(new int[] {4, 2, 6}, b.shape());
    TensorAssertions.assertCloseTo(a, b.transpose(0, 1), 1e-6, 1e-6);
    Tensor one =
        first
            .forward(q.select(0, 1), kv.select(0, 1), kv.select(0, 1), null, false, null, false)
            .output();
    assertArrayEquals(new int[] {4, 6}, one.shape());
    TensorAssertions.assertCloseTo(a.select(0, 1), one, 1e-6, 1e-6);
  }

  @Test
  void dropoutActsInTrainingOnlyAndFollowsTheGenerator() {
    Tensor x = randn(new Generator(7), DType.FLOAT32, 2, 5, 8);
    MultiheadAttention a = new MultiheadAttention(8, 2, 0.5, true, true, new Generator(1));
    MultiheadAttention b = new MultiheadAttention(8, 2, 0.5, true, true, new Generator(1));
    Tensor ya = a.forward(x);
    TensorAssertions.assertCloseTo(ya, b.forward(x), 0, 0);
    a.eval();
    Tensor eval = a.forward(x);
    assertTrue(ya.sub(eval).abs().max().item() > 1e-3, "dropout changed nothing in training");
    TensorAssertions.assertCloseTo(eval, a.forward(x), 0, 0);
  }

  @Test
  void gradientsPassGradCheckThroughTheLayer() {
    // FLOAT64 inputs through FLOAT32 weights promote to FLOAT64: the layer is then a float64
    // function of its inputs, checked against finite differences to second order
    Generator g = new Generator(11);
    MultiheadAttention mha = new MultiheadAttention(4, 2, 0, true, true, g);
    for (Tensor p : mha.parameters()) {
      Init.uniform(p, -0.5, 0.5, g); // non-zero biases
    }
    Tensor q = randn(g, DType.FLOAT64, 2, 3, 4).requiresGrad(true);
    Tensor kv = randn(g, DType.FLOAT64, 2, 2, 4).requiresGrad(true);
    Tensor padding = new Tensor(NDArray.fromArray(new int[] {0, 0, 0, 1}, 2, 2));
    TensorAssertions.assertGradientsMatch(
        in -> mha.forward(in[0], in[1], in[1], padding, false, null, false).output().square(),
        q,
        kv);
    TensorAssertions.assertGradientsMatch(
        in -> mha.forward(in[0], in[0], in[0], null, false, null, true).output().square(), q);
    TensorAssertions.assertGradientsMatch(
        in -> mha.forward(in[0], in[1], in[1], null, true, null, false).weights(), q, kv);
  }

  @Test
  void everyParameterGetsAGradient() {
    MultiheadAttention mha = new MultiheadAttention(8, 2, 0.1, true, true, new Generator(2));
    Tensor x = randn(new Generator(3), DType.FLOAT32, 2, 5, 8);
    mha.forward(x, x, x, null, false, null, true).output().square().sum().backward();
    for (Map.Entry<String, Tensor> p : mha.namedParameters().entrySet()) {
      assertTrue(p.getValue().grad() != null, p.getKey());
      assertTrue(p.getValue().grad().data().abs().sum().item() > 0, p.getKey());
    }
  }

  @Test
  void badArgumentsAreRefusedNamingTheLayerAndShapes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(10, 3));
    assertTrue(e.getMessage().contains("numHeads=3") && e.getMessage().contains("embedDim=10"));
    assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(0, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new MultiheadAttention(8, 2, 1.5, true, true, new Generator(1)));
    MultiheadAttention mha = new MultiheadAttention(8, 2);
    Tensor x = Tensor.zeros(2, 5, 8);
    String m =
        assertThrows(IllegalArgumentException.class, () -> mha.forward(Tensor.zeros(2, 5, 6)))
            .getMessage();
    assertTrue(m.contains("MultiheadAttention") && m.contains("[2, 5, 6]"), m);
    m =
        assertThrows(
                IllegalArgumentException.class,
                () -> mha.forward(x, x, x, Tensor.zeros(DType.INT32, 2, 4), false, null, false))
            .getMessage();
    assertTrue(m.contains("keyPaddingMask") && m.contains("[2, 4]"), m);
    m =
        assertThrows(
                IllegalArgumentException.class,
                () -> mha.forward(x, x, x, null, false, Tensor.zeros(DType.INT32, 5, 4), false))
            .getMessage();
    assertTrue(m.contains("attnMask") && m.contains("[5, 4]"), m);
    m =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    mha.forward(
                        x, Tensor.zeros(3, 5, 8), Tensor.zeros(3, 5, 8), null, false, null, false))
            .getMessage();
    assertTrue(m.contains("batch size") && m.contains("[3, 5, 8]"), m);
    m =
        assertThrows(
                IllegalArgumentException.class,
                () -> mha.forward(x, x, null, null, false, null, false))
            .getMessage();
    assertTrue(m.contains("MultiheadAttention"), m);
    assertFalse(mha.toString().isEmpty());
    assertNull(mha.forward(x, x, x, null, false, null, false).weights());
  }
}
