package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.testkit.TensorAssertions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link TransformerEncoderLayer}: PyTorch's submodule and state-dict names and shapes, the
 * post-norm and pre-norm formulas recomputed from the submodules, causality, the errors, and a tiny
 * causal language model of two such layers that learns to predict the next token.
 */
class TransformerEncoderLayerTest {

  @Test
  void submodulesAndStateDictHavePyTorchsNamesAndShapes() {
    TransformerEncoderLayer layer =
        new TransformerEncoderLayer(8, 2, 16, 0.1, "relu", 1e-5, true, false, new Generator(1));
    assertEquals(
        List.of(
            "self_attn", "linear1", "dropout", "linear2", "norm1", "norm2", "dropout1", "dropout2"),
        new ArrayList<>(layer.children().keySet()));
    // nn.TransformerEncoderLayer(8, 2, 16).state_dict(), in PyTorch's order
    Map<String, NDArray> state = layer.stateDict();
    String[] names = {
      "self_attn.in_proj_weight",
      "self_attn.in_proj_bias",
      "self_attn.out_proj.weight",
      "self_attn.out_proj.bias",
      "linear1.weight",
      "linear1.bias",
      "linear2.weight",
      "linear2.bias",
      "norm1.weight",
      "norm1.bias",
      "norm2.weight",
      "norm2.bias"
    };
    int[][] shapes = {{24, 8}, {24}, {8, 8}, {8}, {16, 8}, {16}, {8, 16}, {8}, {8}, {8}, {8}, {8}};
    assertEquals(List.of(names), new ArrayList<>(state.keySet()));
    for (int i = 0; i < names.length; i++) {
      assertArrayEquals(shapes[i], state.get(names[i]).shape(), names[i]);
    }
  }

  /** The layer's formula written out from its own submodules, in evaluation mode. */
  static Tensor byHand(TransformerEncoderLayer layer, Tensor x, boolean pre, boolean gelu) {
    Map<String, Module> c = layer.children();
    MultiheadAttention sa = (MultiheadAttention) c.get("self_attn");
    java.util.function.Function<Tensor, Tensor> attn =
        h -> sa.forward(h, h, h, null, false, null, true).output();
    java.util.function.Function<Tensor, Tensor> ff =
        h -> {
          Tensor a = c.get("linear1").forward(h);
          return c.get("linear2").forward(gelu ? a.gelu() : a.relu());
        };
    Module n1 = c.get("norm1");
    Module n2 = c.get("norm2");
    if (pre) {
      Tensor h = x.add(attn.apply(n1.forward(x)));
      return h.add(ff.apply(n2.forward(h)));
    }
    Tensor h = n1.forward(x.add(attn.apply(x)));
    return n2.forward(h.add(ff.apply(h)));
  }

  @Test
  void postNormAndPreNormFollowTheirFormulas() {
    Tensor x = new Tensor(NDArray.randn(new Generator(2), 2, 5, 8));
    for (boolean pre : new boolean[] {false, true}) {
      for (String act : new String[] {"relu", "gelu"}) {
        TransformerEncoderLayer layer =
            new TransformerEncoderLayer(8, 2, 16, 0.1, act, 1e-5, true, pre, new Generator(3));
        layer.eval();
        TensorAssertions.assertCloseTo(
            byHand(layer, x, pre, act.equals("gelu")),
            layer.forward(x, null, true),
            1e-6,
            1e-6,
            "pre=" + pre + " " + act);
      }
    }
  }

  @Test
  void aCausalLayerDoesNotLookAhead() {
    TransformerEncoderLayer layer =
        new TransformerEncoderLayer(8, 2, 16, 0.0, "gelu", 1e-5, true, true, new Generator(4));
    Tensor x = new Tensor(NDArray.randn(new Generator(5), 1, 6, 8));
    Tensor y = x.cloneTensor();
    y.data().narrow(1, 3, 3).fill(2);
    Tensor a = layer.forward(x, null, true);
    Tensor b = layer.forward(y, null, true);
    TensorAssertions.assertCloseTo(a.narrow(1, 0, 3), b.narrow(1, 0, 3), 1e-6, 1e-6);
    // without the mask the first positions do see the change
    assertTrue(
        layer.forward(x).narrow(1, 0, 3).sub(layer.forward(y).narrow(1, 0, 3)).abs().max().item()
            > 1e-4);
  }

  @Test
  void badArgumentsAreRefused() {
    String m =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    new TransformerEncoderLayer(
                        8, 3, 16, 0.1, "relu", 1e-5, true, false, new Generator(1)))
            .getMessage();
    assertTrue(m.contains("numHeads=3"), m);
    m =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    new TransformerEncoderLayer(
                        8, 2, 16, 0.1, "tanh", 1e-5, true, false, new Generator(1)))
            .getMessage();
    assertTrue(m.contains("TransformerEncoderLayer") && m.contains("tanh"), m);
    TransformerEncoderLayer layer = new TransformerEncoderLayer(8, 2);
    m =
        assertThrows(IllegalArgumentException.class, () -> layer.forward(Tensor.zeros(2, 5, 7)))
            .getMessage();
    assertTrue(m.contains("[2, 5, 7]"), m);
    assertThrows(IllegalArgumentException.class, () -> layer.forward(null));
  }

  /** Token and position embeddings, two causal pre-norm layers, a final norm and a linear head. */
  static final class TinyLm extends Module {
    static final int VOCAB = 10;
    static final int EMBED = 16;
    static final int T = 8;
    final Embedding tokens;
    final Embedding positions;
    final TransformerEncoderLayer block1;
    final TransformerEncoderLayer block2;
    final LayerNorm norm;
    final Linear head;

    TinyLm(Generator g) {
      tokens = registerModule("tokens", new Embedding(VOCAB, EMBED, null, g));
      positions = registerModule("positions", new Embedding(T, EMBED, null, g));
      block1 =
          registerModule(
              "block1",
              new TransformerEncoderLayer(EMBED, 2, 32, 0.0, "gelu", 1e-5, true, true, g));
      block2 =
          registerModule(
              "block2",
              new TransformerEncoderLayer(EMBED, 2, 32, 0.0, "gelu", 1e-5, true, true, g));
      norm = registerModule("norm", new LayerNorm(EMBED));
      head = registerModule("head", new Linear(EMBED, VOCAB, true, g));
    }

    @Override
    public Tensor forward(Tensor ids) {
      Tensor x = tokens.forward(ids).add(positions.forward(Tensor.arange(ids.shape(1))));
      x = block2.forward(block1.forward(x, null, true), null, true);
      return head.forward(norm.forward(x));
    }
  }

  @Test
  void aTinyCausalLanguageModelLearnsTheNextToken() {
    TinyLm model = new TinyLm(new Generator(42));
    // two sequences: counting up and counting down; each next token depends on the current one
    int[] ids = {1, 2, 3, 4, 5, 6, 7, 8, 9, 8, 7, 6, 5, 4, 3, 2};
    int[] next = {2, 3, 4, 5, 6, 7, 8, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    Tensor input = new Tensor(NDArray.fromArray(ids, 2, TinyLm.T));
    Tensor target = new Tensor(NDArray.fromArray(next, 2 * TinyLm.T));
    double first = Double.NaN;
    double last = Double.NaN;
    for (int step = 0; step < 60; step++) {
      model.zeroGrad();
      Tensor loss =
          F.crossEntropy(model.forward(input).reshape(2 * TinyLm.T, TinyLm.VOCAB), target);
      loss.backward();
      try (GradMode.Scope off = Tensor.noGrad()) { // plain gradient descent
        for (Tensor p : model.parameters()) {
          p.data().subInPlace(p.grad().data().mul(0.1));
        }
      }
      if (step == 0) {
        first = loss.item();
      }
      last = loss.item();
    }
    assertTrue(last < 0.2 * first, "loss went from " + first + " to " + last);
    try (GradMode.Scope off = Tensor.noGrad()) {
      NDArray predicted = model.forward(input).data().argmax(-1, false);
      int[] guess = predicted.reshape(2 * TinyLm.T).toIntArray();
      int right = 0;
      for (int i = 0; i < next.length; i++) {
        right += guess[i] == next[i] ? 1 : 0;
      }
      // chance is 1 in 10; the first token of each sequence has no context to tell them apart
      assertTrue(right >= 14, right + " of 16 right (" + first + " -> " + last + ")");
    }
  }
}
