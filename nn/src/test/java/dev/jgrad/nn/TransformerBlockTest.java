package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The issue #12 layers together: a one-block causal transformer language model ({@link Embedding},
 * {@link LayerNorm}, a fused q/k/v {@link Linear} split with {@code chunk}, heads as views, a
 * causal mask from {@code triu}, {@link RMSNorm} before the output) learns to predict the next
 * token of a fixed sequence with plain gradient steps: every parameter gets a finite gradient and
 * the loss falls.
 */
class TransformerBlockTest {
  static final int VOCAB = 11;
  static final int EMBED = 16;
  static final int HEADS = 2;
  static final int T = 8;

  static final class TinyLm extends Module {
    final Embedding tokens;
    final Embedding positions;
    final LayerNorm norm1;
    final Linear qkv;
    final Linear proj;
    final RMSNorm norm2;
    final Linear head;
    final Tensor future = new Tensor(NDArray.ones(DType.INT32, T, T).triu(1));

    TinyLm(Generator g) {
      tokens = registerModule("tokens", new Embedding(VOCAB, EMBED, 0, g));
      positions = registerModule("positions", new Embedding(T, EMBED, null, g));
      norm1 = registerModule("norm1", new LayerNorm(EMBED));
      qkv = registerModule("qkv", new Linear(EMBED, 3 * EMBED, true, g));
      proj = registerModule("proj", new Linear(EMBED, EMBED, true, g));
      norm2 = registerModule("norm2", new RMSNorm(EMBED));
      head = registerModule("head", new Linear(EMBED, VOCAB, true, g));
    }

    @Override
    public Tensor forward(Tensor ids) {
      int b = ids.shape(0);
      int t = ids.shape(1);
      Tensor x = tokens.forward(ids).add(positions.forward(Tensor.arange(t)));
      List<Tensor> qkvParts = qkv.forward(norm1.forward(x)).chunk(3, -1);
      int d = EMBED / HEADS;
      Tensor q = qkvParts.get(0).view(b, t, HEADS, d).transpose(1, 2);
      Tensor k = qkvParts.get(1).view(b, t, HEADS, d).transpose(1, 2);
      Tensor v = qkvParts.get(2).view(b, t, HEADS, d).transpose(1, 2);
      Tensor scores = q.matmul(k.transpose(-2, -1)).div(Math.sqrt(d));
      Tensor attended = scores.maskedFill(future, Double.NEGATIVE_INFINITY).softmax(-1).matmul(v);
      x = x.add(proj.forward(attended.transpose(1, 2).reshape(b, t, EMBED)));
      return head.forward(norm2.forward(x));
    }
  }

  @Test
  void aCausalBlockLearnsTheNextTokenAndEveryParameterGetsAGradient() {
    TinyLm model = new TinyLm(new Generator(42));
    // two sequences that count upwards, with padding id 0 at the start of the second
    int[] ids = {1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 3, 4, 5, 6, 7, 8};
    int[] next = {2, 3, 4, 5, 6, 7, 8, 9, 0, 3, 4, 5, 6, 7, 8, 9};
    Tensor input = new Tensor(NDArray.fromArray(ids, 2, T));
    Tensor target = new Tensor(NDArray.fromArray(next, 2 * T));
    double first = Double.NaN;
    double last = Double.NaN;
    for (int step = 0; step < 30; step++) {
      model.zeroGrad();
      Tensor loss = F.crossEntropy(model.forward(input).reshape(2 * T, VOCAB), target);
      loss.backward();
      if (step == 0) {
        first = loss.item();
        for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) {
          Tensor grad = p.getValue().grad();
          assertTrue(grad != null, p.getKey() + " has no gradient");
          double size = grad.data().abs().sum().item();
          assertTrue(Double.isFinite(size) && size > 0, p.getKey() + ": gradient " + size);
        }
        // the padding row of the token table receives nothing
        assertEquals(0, model.tokens.weight().grad().data().select(0, 0).abs().sum().item());
      }
      last = loss.item();
      try (GradMode.Scope s = Tensor.noGrad()) {
        for (Tensor p : model.parameters()) {
          p.data().subInPlace(p.grad().data().mul(0.1));
        }
      }
    }
    assertTrue(last < 0.5 * first, "loss went from " + first + " to " + last);
  }
}
