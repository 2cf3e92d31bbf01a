package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * GradCheck, first and second order, for {@code AttentionRules}' scaled dot-product attention on
 * small FLOAT64 shapes with L ≠ S, one or two batch dims (q broadcast over one), transposed
 * operands, the causal triangle, an INT32 keep-mask and an additive float mask. First order runs
 * the formulas on the saved probabilities, second order the Tensor-op formulas, so both are checked
 * against finite differences; a square after the op makes the second derivatives non-trivial. Also:
 * the two backward paths agree, and nothing is recorded without grad.
 */
class AttentionGradProperties {

  static Tensor leaf(Generator g, boolean transposed, int... shape) {
    int r = shape.length;
    if (!transposed) {
      return new Tensor(NDArray.rand(g, DType.FLOAT64, shape).mul(2).sub(1)).requiresGrad(true);
    }
    int[] t = shape.clone();
    t[r - 2] = shape[r - 1];
    t[r - 1] = shape[r - 2];
    return new Tensor(NDArray.rand(g, DType.FLOAT64, t).mul(2).sub(1).transpose(r - 2, r - 1))
        .requiresGrad(true);
  }

  @Property(tries = 50)
  void attentionPassesGradCheckWithMasksAndCausal(
      @ForAll @IntRange(min = 1, max = 3) int l,
      @ForAll @IntRange(min = 1, max = 4) int s,
      @ForAll @IntRange(min = 1, max = 3) int e,
      @ForAll @IntRange(min = 1, max = 3) int ev,
      @ForAll @IntRange(min = 0, max = 3) int maskKind,
      @ForAll boolean batched,
      @ForAll boolean transposed,
      @ForAll @IntRange(min = 0, max = 10000) int seed) {
    Generator g = new Generator(seed);
    int[] b = batched ? new int[] {2, 2} : new int[] {2};
    Tensor q = batched ? leaf(g, transposed, 1, 2, l, e) : leaf(g, transposed, l, e);
    Tensor k = batched ? leaf(g, false, b[0], b[1], s, e) : leaf(g, false, b[0], s, e);
    Tensor v = batched ? leaf(g, transposed, b[0], b[1], s, ev) : leaf(g, transposed, b[0], s, ev);
    Tensor mask =
        switch (maskKind) {
          case 1 -> { // keep column 0 so that no row is empty
            NDArray m = NDArray.rand(g, DType.FLOAT64, l, s).ge(0.5).to(DType.INT32);
            m.narrow(1, 0, 1).fill(1);
            yield new Tensor(m);
          }
          case 2 -> new Tensor(NDArray.randn(g, DType.FLOAT64, l, s));
          default -> null;
        };
    boolean causal = maskKind == 3;
    String what = "attention l=" + l + " s=" + s + " e=" + e + " ev=" + ev + " mask=" + maskKind;
    OpGradProperties.assertGradients(
        what,
        in -> Tensor.scaledDotProductAttention(in[0], in[1], in[2], mask, causal, 0.7).square(),
        q,
        k,
        v);
  }

  @Test
  void savedProbabilityAndTensorOpBackwardsAgree() {
    Generator g = new Generator(4);
    Tensor q = leaf(g, true, 2, 3, 5, 4);
    Tensor k = leaf(g, false, 2, 3, 6, 4);
    Tensor v = leaf(g, false, 2, 3, 6, 3);
    Tensor weights = new Tensor(NDArray.randn(g, DType.FLOAT64, 2, 3, 5, 3));
    Tensor y = Tensor.scaledDotProductAttention(q, k, v, null, true, 0.5).mul(weights).sum();
    Tensor[] composed =
        Autograd.grad(new Tensor[] {y}, new Tensor[] {q, k, v}, null, true, true, false);
    y.backward();
    Tensor[] saved = {q.grad(), k.grad(), v.grad()};
    for (int i = 0; i < 3; i++) {
      double[] a = saved[i].data().toDoubleArray();
      double[] c = composed[i].data().toDoubleArray();
      assertArrayEquals(c, a, 1e-12, "input " + i);
      assertTrue(composed[i].requiresGrad(), "the createGraph gradient is differentiable");
    }
  }

  @Test
  void withoutGradNothingIsRecorded() {
    Generator g = new Generator(5);
    Tensor q = leaf(g, false, 3, 4);
    try (GradMode.Scope off = Tensor.noGrad()) {
      assertNull(Tensor.scaledDotProductAttention(q, q, q, null, false, 1).gradFn());
    }
    Tensor c = new Tensor(NDArray.randn(g, DType.FLOAT64, 3, 4));
    assertNull(Tensor.scaledDotProductAttention(c, c, c, null, false, 1).gradFn());
  }
}
