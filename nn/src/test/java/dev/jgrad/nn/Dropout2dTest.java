package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;
import org.junit.jupiter.api.Test;

/** {@link Dropout2d} and {@link F#dropout2d}. */
class Dropout2dTest {

  @Test
  void wholeChannelsAreDroppedAndTheOthersScaled() {
    Tensor x = Tensor.randn(new Generator(1), 8, 50, 3, 4);
    Tensor y = new Dropout2d(0.25, new Generator(2)).forward(x);
    float[] in = x.data().toFloatArray();
    float[] out = y.data().toFloatArray();
    int dropped = 0;
    for (int plane = 0; plane < 8 * 50; plane++) {
      boolean zero = out[plane * 12] == 0;
      dropped += zero ? 1 : 0;
      for (int i = plane * 12; i < plane * 12 + 12; i++) {
        float expected = zero ? 0 : in[i] / 0.75f;
        assertEquals(expected, out[i], 1e-6f * Math.abs(in[i]), "plane " + plane);
      }
    }
    assertEquals(100, dropped, 30); // 400 planes, p = 0.25
  }

  @Test
  void theIdentityInEvaluationModeOrWithPZero() {
    Tensor x = Tensor.ones(2, 3, 4, 4);
    Dropout2d drop = new Dropout2d(0.5, new Generator(3));
    drop.eval();
    assertSame(x, drop.forward(x));
    assertSame(x, new Dropout2d(0).forward(x));
    assertEquals("Dropout2d(p=0.5)", drop.toString());
  }

  @Test
  void gradientsPassOnlyThroughKeptChannels() {
    Tensor x = Tensor.ones(4, 6, 2, 2).requiresGrad(true);
    Tensor y = F.dropout2d(x, 0.5, true, new Generator(4));
    y.sum().backward();
    assertArrayEquals(y.data().toFloatArray(), x.grad().data().toFloatArray());
  }

  @Test
  void badInputIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new Dropout2d(0.5).forward(Tensor.ones(3, 4, 4)));
    assertEquals(
        "dropout2d: expected a 4-D (N, C, H, W) input, got shape [3, 4, 4] (unsqueeze(0) adds a"
            + " batch dim)",
        e.getMessage());
    for (double p : new double[] {-0.1, 1, Double.NaN}) {
      IllegalArgumentException q =
          assertThrows(IllegalArgumentException.class, () -> new Dropout2d(p));
      assertTrue(q.getMessage().contains("[0, 1)"), q.getMessage());
    }
  }
}
