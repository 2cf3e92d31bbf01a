package dev.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jgrad.autograd.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWGroupsTest {

  private static Tensor param(double... values) {
    return Tensor.of(values).requiresGrad(true);
  }

  private static void setGrads(Tensor w, Tensor b, Tensor v) {
    w.mul(Tensor.of(0.5, -2.0, 3.0))
        .sum()
        .add(b.mul(Tensor.of(-1.5)).sum())
        .add(v.sum())
        .backward();
  }

  @Test
  void eachGroupDecaysByItsOwnWeightDecayOrTheDefault() {
    Tensor w = param(1.0, 2.0, -3.0); // a "matrix": weight decay 0.1
    Tensor b = param(4.0); // a "bias": no weight decay
    Tensor v = param(-2.0); // takes the default 0.01
    AdamW opt =
        new AdamW(
            List.of(
                new ParamGroup(List.of(w), Map.of("weight_decay", 0.1)),
                new ParamGroup(List.of(b), Map.of("weight_decay", 0.0)),
                new ParamGroup(List.of(v))),
            0.1);
    setGrads(w, b, v);
    opt.step();
    // first step: m̂ = g, v̂ = g², so p ← p(1 − η λ) − η g/(|g| + ε)
    double[] g = {0.5, -2.0, 3.0};
    double[] w0 = {1.0, 2.0, -3.0};
    for (int i = 0; i < 3; i++) {
      double expected = w0[i] * (1 - 0.1 * 0.1) - 0.1 * g[i] / (Math.abs(g[i]) + 1e-8);
      assertEquals(expected, w.data().getDouble(i), 1e-6, "w[" + i + "]");
    }
    assertEquals(4.0 - 0.1 * -1.5 / (1.5 + 1e-8), b.data().getDouble(0), 1e-6);
    assertEquals(-2.0 * (1 - 0.1 * 0.01) - 0.1 * 1 / (1 + 1e-8), v.data().getDouble(0), 1e-6);
  }

  @Test
  void groupsGiveTheSameBitsAsOneAdamWPerGroup() {
    Tensor w1 = param(1.0, 2.0, -3.0);
    Tensor b1 = param(4.0);
    Tensor v1 = param(-2.0);
    Tensor w2 = param(1.0, 2.0, -3.0);
    Tensor b2 = param(4.0);
    Tensor v2 = param(-2.0);
    AdamW grouped =
        new AdamW(
            List.of(
                new ParamGroup(List.of(w1), Map.of("weight_decay", 0.1)),
                new ParamGroup(List.of(b1, v1), Map.of("weight_decay", 0.0))),
            0.01);
    AdamW decay = new AdamW(List.of(w2), 0.01, 0.9, 0.999, 1e-8, 0.1, false);
    AdamW noDecay = new AdamW(List.of(b2, v2), 0.01, 0.9, 0.999, 1e-8, 0.0, false);
    for (int step = 0; step < 3; step++) {
      grouped.zeroGrad();
      decay.zeroGrad();
      noDecay.zeroGrad();
      setGrads(w1, b1, v1);
      setGrads(w2, b2, v2);
      grouped.step();
      decay.step();
      noDecay.step();
    }
    assertArrayEquals(w2.data().toFloatArray(), w1.data().toFloatArray());
    assertArrayEquals(b2.data().toFloatArray(), b1.data().toFloatArray());
    assertArrayEquals(v2.data().toFloatArray(), v1.data().toFloatArray());
  }

  @Test
  void anUnknownGroupOptionIsRefused() {
    Tensor w = param(1.0);
    assertThrows(
        IllegalArgumentException.class,
        () -> new AdamW(List.of(new ParamGroup(List.of(w), Map.of("momentum", 0.9))), 0.1));
  }
}
