package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Recording ({@link Graph}) and the {@link Node} it records: nothing when grad mode is off or no
 * input requires grad, views sharing version counters, and the in-place check of what an op saved.
 */
class GraphTest {

  static Tensor leaf(double... values) {
    return Tensor.of(values).requiresGrad(true);
  }

  static double[] values(Tensor t) {
    return t.data().toDoubleArray();
  }

  @Test
  void inPlaceChangeOfASavedTensorFailsBackward() {
    Tensor w = leaf(1, 2);
    Tensor x = Tensor.of(3.0, 4.0);
    Tensor y = w.mul(x).sum();
    try (GradMode.Scope g = Tensor.noGrad()) {
      x.addInPlace(Tensor.of(1.0, 1.0));
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(
        e.getMessage().contains("MulBackward") && e.getMessage().contains("version 1"),
        e.getMessage());
  }

  @Test
  void nothingIsRecordedWhenGradModeIsOffOrNoInputRequiresGrad() {
    Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
    Tensor c = Tensor.of(3.0, 4.0);
    assertNull(c.mul(c).gradFn());
    assertFalse(c.mul(c).requiresGrad());
    try (GradMode.Scope g = Tensor.noGrad()) {
      assertNull(x.mul(c).gradFn());
      assertFalse(x.linear(Tensor.of(new double[][] {{1, 2}}), Tensor.of(1.0)).requiresGrad());
    }
    Tensor y = x.mul(c);
    assertTrue(y.requiresGrad());
    assertEquals(List.of(x, c), y.gradFn().inputs());
  }

  @Test
  void aViewSharesItsBasesVersionAndACopyDoesNot() {
    Tensor base = Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
    Tensor view = base.transpose(0, 1);
    Tensor copy = view.reshape(6); // a transposed tensor cannot be flattened without a copy
    Tensor flat = base.reshape(6); // a contiguous one can
    base.mulInPlace(2);
    assertEquals(1, view.version());
    assertEquals(1, flat.version());
    assertEquals(0, copy.version());
    assertFalse(copy.data().sharesStorage(base.data()));
  }

  @Test
  void onlyWhatAnOpSavedIsCheckedForInPlaceChanges() {
    Tensor w = Tensor.of(1.0, 2.0).requiresGrad(true);
    Tensor x = Tensor.of(3.0, 4.0);
    Tensor sum = w.add(x).sum(); // add saves nothing: its gradient does not read x
    Tensor exp = w.exp();
    Tensor fromExp = exp.sum(); // exp saves its output
    try (GradMode.Scope g = Tensor.noGrad()) {
      x.addInPlace(Tensor.of(1.0, 1.0));
      exp.mulInPlace(2);
    }
    sum.backward();
    assertArrayEquals(new double[] {1, 1}, w.grad().data().toDoubleArray());
    IllegalStateException e = assertThrows(IllegalStateException.class, fromExp::backward);
    assertTrue(e.getMessage().contains("saved by ExpBackward"), e.getMessage());
  }

  @Test
  void aCustomFunctionsResultIsMarkedCustomAndABuiltInOneIsNot() {
    Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
    Tensor custom = new FunctionTest.Cube().apply(x);
    assertTrue(custom.node().custom);
    assertFalse(x.exp().node().custom);
  }
}
