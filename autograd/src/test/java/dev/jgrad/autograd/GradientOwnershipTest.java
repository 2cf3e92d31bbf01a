package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import org.junit.jupiter.api.Test;

/**
 * A leaf adopts a gradient without copying it only when nothing else refers to its storage: these
 * tests change one gradient (or the data it came from) in place and check that nothing else moved.
 */
class GradientOwnershipTest {

  private static Tensor leaf(Generator g, int... shape) {
    return Tensor.randn(g, shape).requiresGrad(true);
  }

  private static void assertIndependent(Tensor changed, Tensor other) {
    double[] before = other.data().toDoubleArray();
    changed.data().mulInPlace(-3);
    assertArrayEquals(before, other.data().toDoubleArray(), 0, "storage is shared");
  }

  @Test
  void twoLeavesFedTheSameGradientGetSeparateCopies() {
    Generator g = new Generator(1);
    Tensor a = leaf(g, 3, 4);
    Tensor b = leaf(g, 3, 4);
    Tensor c = Tensor.randn(g, 3, 4);
    a.add(b).mul(c).sum().backward(); // add hands its incoming (fresh) gradient to both inputs
    assertFalse(a.grad().data().sharesStorage(b.grad().data()));
    assertIndependent(a.grad(), b.grad());
  }

  @Test
  void aFormulaResultAdoptedByOneLeafIsNotSharedWithAnother() {
    Generator g = new Generator(2);
    Tensor x = leaf(g, 5, 7);
    Tensor w = leaf(g, 3, 7);
    Tensor b = leaf(g, 3);
    x.matmulT(w).add(b).relu().sum().backward();
    Tensor[] grads = {x.grad(), w.grad(), b.grad()};
    for (int i = 0; i < grads.length; i++) {
      for (int j = 0; j < grads.length; j++) {
        if (i != j) {
          assertFalse(grads[i].data().sharesStorage(grads[j].data()));
        }
      }
      assertFalse(grads[i].data().sharesStorage(x.data()));
      assertFalse(grads[i].data().sharesStorage(w.data()));
      assertFalse(grads[i].data().sharesStorage(b.data()));
    }
    assertIndependent(w.grad(), x.grad());
  }

  @Test
  void theSeedGradientOfALeafIsCopied() {
    Generator g = new Generator(3);
    Tensor x = leaf(g, 4);
    Tensor seed = Tensor.randn(g, 4);
    x.backward(seed);
    assertFalse(x.grad().data().sharesStorage(seed.data()));
    assertIndependent(seed, x.grad());
  }

  /** A custom op whose backward returns a tensor the caller keeps. */
  static final class ReturnsAKeptTensor extends Function {
    final Tensor kept;

    ReturnsAKeptTensor(Tensor kept) {
      this.kept = kept;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
      return in[0].mul(2);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
      return new Tensor[] {kept};
    }
  }

  @Test
  void whatACustomFunctionReturnsIsCopied() {
    Generator g = new Generator(4);
    Tensor x = leaf(g, 2, 3);
    Tensor kept = Tensor.randn(g, 2, 3);
    new ReturnsAKeptTensor(kept).apply(x).sum().backward();
    assertFalse(x.grad().data().sharesStorage(kept.data()));
    assertIndependent(kept, x.grad());
  }

  @Test
  void aGradientHandedToAHookIsCopied() {
    Generator g = new Generator(5);
    Tensor w = leaf(g, 3, 3);
    Tensor[] seen = new Tensor[1];
    w.registerHook(
        grad -> {
          seen[0] = grad;
          return grad;
        });
    w.mul(w).sum().backward();
    assertFalse(w.grad().data().sharesStorage(seen[0].data()));
  }

  @Test
  void aGradientSeenByAHookUpstreamIsCopiedIntoTheLeaf() {
    Generator g = new Generator(7);
    Tensor a = leaf(g, 3);
    Tensor y = a.reshape(3, 1); // its gradient formula returns a view of the incoming gradient
    Tensor[] seen = new Tensor[1];
    y.registerHook(
        grad -> {
          seen[0] = grad;
          return grad;
        });
    y.mul(Tensor.randn(g, 3, 1)).sum().backward();
    assertFalse(a.grad().data().sharesStorage(seen[0].data()));
    assertIndependent(seen[0], a.grad());
  }

  @Test
  void adoptedGradientsAccumulateAcrossBackwardCalls() {
    Generator g = new Generator(6);
    Tensor x = Tensor.randn(g, 4, 5);
    Tensor w = leaf(g, 3, 5);
    Tensor loss = x.matmulT(w).square().sum();
    loss.backward(null, true, false);
    NDArray first = w.grad().data().clone();
    loss.backward();
    assertArrayEquals(first.mul(2).toDoubleArray(), w.grad().data().toDoubleArray(), 1e-5);
  }
}
