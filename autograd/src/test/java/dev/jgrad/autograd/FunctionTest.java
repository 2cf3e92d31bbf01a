package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import org.junit.jupiter.api.Test;

/** User-defined ops ({@link Function}): forward on values, backward by hand. */
class FunctionTest {

  static Tensor leaf(double... values) {
    return Tensor.of(values).requiresGrad(true);
  }

  static double[] values(Tensor t) {
    return t.data().toDoubleArray();
  }

  @Test
  void customFunctionsJoinTheGraph() {
    Tensor x = leaf(1, -2);
    Tensor y = new Cube().apply(x);
    assertEquals("CubeBackward", y.gradFn().name());
    y.sum().backward();
    assertArrayEquals(new double[] {3, 12}, values(x.grad()), 1e-12);
    Tensor z = Tensor.randn(new Generator(3), DType.FLOAT64, 2, 3).requiresGrad(true);
    assertTrue(GradCheck.firstOrder(in -> new Cube().apply(in[0]), z).passed());
    assertTrue(GradCheck.secondOrder(in -> new Cube().apply(in[0]), z).passed());
  }

  @Test
  void aBackwardThatReturnsTheWrongNumberOfGradientsIsNamed() {
    Function wrong =
        new Function() {
          @Override
          protected Tensor forward(Context ctx, Tensor... in) {
            return in[0].add(in[1]);
          }

          @Override
          protected Tensor[] backward(Context ctx, Tensor grad) {
            return new Tensor[] {grad};
          }

          @Override
          protected String name() {
            return "Wrong";
          }
        };
    Tensor y = wrong.apply(EngineTest.leaf(1), EngineTest.leaf(2)).sum();
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertEquals("Wrong.backward returned 1 gradients for 2 inputs", e.getMessage());
  }

  @Test
  void aBackwardGradientOfAnIncompatibleShapeIsNamed() {
    Function wrong =
        new Function() {
          @Override
          protected Tensor forward(Context ctx, Tensor... in) {
            return in[0].mul(2);
          }

          @Override
          protected Tensor[] backward(Context ctx, Tensor grad) {
            return new Tensor[] {Tensor.of(1.0, 2.0, 3.0)};
          }

          @Override
          protected String name() {
            return "Wrong";
          }
        };
    Tensor y = wrong.apply(EngineTest.leaf(1, 2)).sum();
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertEquals(
        "WrongBackward returned a gradient of shape [3] for input 0 of shape [2]", e.getMessage());
  }

  @Test
  void aForwardThatReturnsNullIsNamed() {
    Function lost =
        new Function() {
          @Override
          protected Tensor forward(Context ctx, Tensor... in) {
            return null;
          }

          @Override
          protected Tensor[] backward(Context ctx, Tensor grad) {
            return new Tensor[] {grad};
          }

          @Override
          protected String name() {
            return "Lost";
          }
        };
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> lost.apply(EngineTest.leaf(1)));
    assertEquals("Lost.forward returned null instead of its output tensor", e.getMessage());
  }

  @Test
  void forwardRunsWithoutRecordingAndBackwardRunsOncePerCall() {
    int[] calls = new int[1];
    boolean[] recording = new boolean[1];
    Function twice =
        new Function() {
          @Override
          protected Tensor forward(Context ctx, Tensor... in) {
            recording[0] = GradMode.isEnabled();
            return in[0].mul(2).add(in[1].mul(2));
          }

          @Override
          protected Tensor[] backward(Context ctx, Tensor grad) {
            calls[0]++;
            return new Tensor[] {grad.mul(2), grad.mul(2)};
          }
        };
    Tensor a = EngineTest.leaf(1, 2);
    Tensor b = EngineTest.leaf(3, 4);
    twice.apply(a, b).sum().backward();
    assertFalse(recording[0]);
    assertEquals(1, calls[0], "one backward call serves both inputs");
    assertArrayEquals(new double[] {2, 2}, a.grad().data().toDoubleArray());
    assertArrayEquals(new double[] {2, 2}, b.grad().data().toDoubleArray());
    assertEquals("CustomBackward", twice.apply(a, b).gradFn().name());
  }

  /** y = x³ written by hand: the custom op's gradient reaches the leaves and passes GradCheck. */
  static final class Cube extends Function {
    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
      ctx.saveForBackward(in[0]);
      return in[0].mul(in[0]).mul(in[0]);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
      Tensor x = ctx.saved().get(0);
      return new Tensor[] {grad.mul(x.square()).mul(3)};
    }
  }
}
