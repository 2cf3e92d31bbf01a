package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link GradMode}: per-thread, scopes nest and restore what they found. */
class GradModeTest {

  static Tensor leaf(double... values) {
    return Tensor.of(values).requiresGrad(true);
  }

  static double[] values(Tensor t) {
    return t.data().toDoubleArray();
  }

  @Test
  void noGradRecordsNothingAndRestores() {
    Tensor x = leaf(1, 2);
    Tensor y;
    try (GradMode.Scope g = Tensor.noGrad()) {
      y = x.mul(3);
      try (GradMode.Scope e = Tensor.enableGrad()) {
        assertTrue(x.mul(3).requiresGrad());
      }
      assertFalse(GradMode.isEnabled());
    }
    assertTrue(GradMode.isEnabled());
    assertFalse(y.requiresGrad());
    assertNull(y.gradFn());
  }

  @Test
  void scopesRestoreWhatTheyFoundEvenWhenClosedOutOfOrder() {
    assertTrue(GradMode.isEnabled());
    GradMode.Scope off = GradMode.set(false);
    GradMode.Scope on = GradMode.set(true);
    assertTrue(GradMode.isEnabled());
    on.close();
    assertFalse(GradMode.isEnabled());
    off.close();
    assertTrue(GradMode.isEnabled());
  }

  @Test
  void gradModeIsPerThread() throws Exception {
    boolean[] seen = new boolean[1];
    try (GradMode.Scope g = Tensor.noGrad()) {
      Thread t = new Thread(() -> seen[0] = GradMode.isEnabled());
      t.start();
      t.join();
      assertFalse(GradMode.isEnabled());
    }
    assertTrue(seen[0], "another thread still records");
  }
}
