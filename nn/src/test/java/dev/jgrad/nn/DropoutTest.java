package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;
import org.junit.jupiter.api.Test;

/** {@link Dropout} and {@link F#dropout}. */
class DropoutTest {

  @Test
  void dropoutIsActiveOnlyWhileTraining() {
    Dropout drop = new Dropout(0.5, new Generator(9));
    Sequential model = new Sequential(drop);
    Tensor x = Tensor.ones(10_000);
    Tensor y = model.forward(x);
    double zeros = y.data().eq(0).sum().item();
    assertEquals(5000, zeros, 300);
    assertEquals(10_000, y.data().sum().item(), 400, "inverted scaling keeps the expectation");
    model.eval();
    assertFalse(drop.isTraining());
    assertArrayEquals(x.data().toFloatArray(), model.forward(x).data().toFloatArray());
    model.train();
    assertTrue(drop.isTraining());
  }

  @Test
  void keptElementsAreScaledByOneOverOneMinusP() {
    Tensor x = Tensor.randn(new Generator(1), 1000);
    Tensor y = new Dropout(0.25, new Generator(2)).forward(x);
    float[] in = x.data().toFloatArray();
    float[] out = y.data().toFloatArray();
    for (int i = 0; i < in.length; i++) {
      assertTrue(
          out[i] == 0 || Math.abs(out[i] - in[i] / 0.75f) <= 1e-6f * Math.abs(in[i]),
          "element " + i + ": " + in[i] + " -> " + out[i]);
    }
  }

  @Test
  void theSameGeneratorSeedGivesTheSameMask() {
    Tensor x = Tensor.ones(200);
    assertArrayEquals(
        new Dropout(0.5, new Generator(3)).forward(x).data().toFloatArray(),
        new Dropout(0.5, new Generator(3)).forward(x).data().toFloatArray());
  }

  @Test
  void theIdentityWhenPIsZeroOrNotTraining() {
    Tensor x = Tensor.ones(10);
    assertSame(x, new Dropout(0).forward(x));
    assertSame(x, F.dropout(x, 0.9, false, new Generator(1)));
    assertEquals("Dropout(p=0.5)", new Dropout(0.5).toString());
  }

  @Test
  void pOneZeroesEverythingAsInPyTorch() {
    // PyTorch accepts p in [0, 1]; with p = 1 it returns input · 0, so the gradient is 0 too.
    Tensor x = Tensor.of(1.0, -2.0, 3.0).requiresGrad(true);
    Tensor y = F.dropout(x, 1.0, true, new Generator(1));
    assertArrayEquals(new double[] {0, 0, 0}, y.data().toDoubleArray(), 0); // −2·0 = −0.0 too
    y.sum().backward();
    assertArrayEquals(new double[] {0, 0, 0}, x.grad().data().toDoubleArray());
    Dropout all = new Dropout(1.0, new Generator(2));
    assertArrayEquals(new float[10], all.forward(Tensor.ones(10)).data().toFloatArray());
    all.eval();
    assertArrayEquals(
        Tensor.ones(10).data().toFloatArray(), all.forward(Tensor.ones(10)).data().toFloatArray());
  }

  @Test
  void pMustBeInZeroToOne() {
    for (double p : new double[] {-0.1, 1.0000001, 1.5, Double.NaN}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new Dropout(p));
      assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
      assertThrows(
          IllegalArgumentException.class,
          () -> F.dropout(Tensor.ones(2), p, true, new Generator(1)));
    }
  }
}
