package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.NDArray;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParameterTest {

  @Test
  void aParameterIsATrainableLeafOverTheGivenArray() {
    NDArray data = NDArray.of(1f, -2f, 3f);
    Tensor w = Parameter.of(data);
    assertTrue(w.isLeaf());
    assertTrue(w.requiresGrad());
    assertNull(w.gradFn());
    assertSame(data, w.data(), "not copied");
    assertTrue(w.toString().endsWith(", requiresGrad=true)"), w.toString());
  }

  @Test
  void gradientsReachItAndAnInPlaceUpdateChangesTheArray() {
    NDArray data = NDArray.of(1f, -2f, 3f);
    Tensor w = Parameter.of(data);
    w.square().sum().backward();
    assertArrayEquals(new float[] {2f, -4f, 6f}, w.grad().data().toFloatArray());
    try (var g = Tensor.noGrad()) {
      w.addInPlace(w.grad(), -0.5); // one gradient-descent step, as an optimizer takes it
    }
    assertArrayEquals(new float[] {0f, 0f, 0f}, data.toFloatArray());
  }

  @Test
  void aModuleRegistersItAsOneOfItsParameters() {
    class Scale extends Module {
      final Tensor factor = registerParameter("factor", Parameter.of(NDArray.of(2f)));

      @Override
      public Tensor forward(Tensor input) {
        return input.mul(factor);
      }
    }
    Scale m = new Scale();
    assertEquals(List.of(m.factor), m.parameters());
    assertEquals(List.of("factor"), List.copyOf(m.namedParameters().keySet()));
  }

  @Test
  void integerArraysCannotBeParameters() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Parameter.of(NDArray.ofInts(1, 2)));
    assertTrue(e.getMessage().contains("int32"), e.getMessage());
  }
}
