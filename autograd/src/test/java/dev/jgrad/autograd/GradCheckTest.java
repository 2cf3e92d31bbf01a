package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;

/** {@link GradCheck} passes right gradients and catches wrong ones, first and second order. */
class GradCheckTest {

  static Tensor leaf(double... values) {
    return Tensor.of(values).requiresGrad(true);
  }

  static double[] values(Tensor t) {
    return t.data().toDoubleArray();
  }

  /** x² as a custom Function whose backward is the given formula of (grad, x). */
  static Function squareWithGradient(BinaryOperator<Tensor> gradient) {
    return new Function() {
      @Override
      protected Tensor forward(Context ctx, Tensor... in) {
        ctx.saveForBackward(in[0]);
        return in[0].square();
      }

      @Override
      protected Tensor[] backward(Context ctx, Tensor grad) {
        return new Tensor[] {gradient.apply(grad, ctx.saved().get(0))};
      }
    };
  }

  @Test
  void gradCheckCatchesAWrongGradient() {
    Function wrong = squareWithGradient((grad, x) -> grad.mul(x)); // should be 2x
    Tensor x = Tensor.randn(new Generator(4), DType.FLOAT64, 3).requiresGrad(true);
    GradCheck.Report r = GradCheck.firstOrder(in -> wrong.apply(in[0]), x);
    assertFalse(r.passed());
    assertTrue(r.toString().contains("FAILED"), r.toString());
  }

  @Test
  void gradCheckPassesACorrectGradientAndNamesTheWorstElement() {
    Tensor x = Tensor.randn(new Generator(5), DType.FLOAT64, 2, 3).requiresGrad(true);
    GradCheck.Report first = GradCheck.firstOrder(in -> in[0].tanh().mul(in[0]), x);
    assertTrue(first.passed(), first::toString);
    assertEquals("first-order", first.order());
    assertEquals(0, first.input());
    assertEquals(2, first.index().length);
    assertTrue(first.error() <= GradCheck.ATOL + GradCheck.RTOL * Math.abs(first.numeric()));
    GradCheck.Report second = GradCheck.secondOrder(in -> in[0].tanh().mul(in[0]), x);
    assertTrue(second.passed(), second::toString);
    assertEquals("second-order", second.order());
  }

  @Test
  void gradCheckRefusesFloat32InputsAndNonLeaves() {
    Tensor f32 = Tensor.randn(new Generator(6), 3).requiresGrad(true);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GradCheck.firstOrder(in -> in[0], f32));
    assertTrue(e.getMessage().contains("float32"), e.getMessage());
    Tensor nonLeaf = Tensor.randn(new Generator(7), DType.FLOAT64, 3).requiresGrad(true).mul(2);
    assertThrows(IllegalArgumentException.class, () -> GradCheck.firstOrder(in -> in[0], nonLeaf));
  }

  @Test
  void aSecondDerivativeThatIsWrongFailsTheSecondOrderCheck() {
    // first derivative right (2x), but written with a detached x: its own derivative is lost
    Function square = squareWithGradient((grad, x) -> grad.mul(x.detach()).mul(2));
    Tensor x = Tensor.randn(new Generator(8), DType.FLOAT64, 3).requiresGrad(true);
    assertTrue(GradCheck.firstOrder(in -> square.apply(in[0]), x).passed());
    assertFalse(GradCheck.secondOrder(in -> square.apply(in[0]), x).passed());
  }
}
