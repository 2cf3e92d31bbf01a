package dev.jgrad.nn;

import static dev.jgrad.testkit.TensorAssertions.assertCloseTo;
import static dev.jgrad.testkit.TensorAssertions.assertGradientsMatch;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.testkit.Shapes;
import dev.jgrad.testkit.TensorSample;
import dev.jgrad.testkit.Tensors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The README's "Testing your own layer", as a user would write it: a custom {@link Module} tested
 * with the test kit (its value against the formula, its gradients for the input and the parameter
 * against finite differences, on inputs laid out as views).
 */
class TestKitExampleTest {

  /** y = x · σ(w): one learnable gate per feature. */
  static final class Gate extends Module {
    final Tensor w;

    Gate(int features, Generator g) {
      w = registerParameter("w", new Tensor(NDArray.randn(g, DType.FLOAT64, features)));
    }

    @Override
    public Tensor forward(Tensor x) {
      return checkInput(x).mul(w.sigmoid());
    }
  }

  @Provide
  Arbitrary<TensorSample> batches() {
    return Tensors.leaves(Shapes.shapes(2, 2, 5), -3, 3); // [batch, features], FLOAT64 views
  }

  @Property(tries = 30)
  void theGateMatchesItsFormulaAndItsGradientsMatchFiniteDifferences(
      @ForAll("batches") TensorSample x) {
    Gate gate = new Gate(x.shape()[1], new Generator(x.seed()));
    NDArray formula = x.array().div(gate.w.data().neg().exp().add(1)); // x / (1 + e^−w)
    assertCloseTo(formula, gate.forward(x.tensor()).data(), 1e-12, 1e-12);
    assertGradientsMatch(in -> gate.forward(in[0]), x.leaf(), gate.w);
  }
}
