package dev.jgrad.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;

/**
 * The deterministic exp, log and tanh: accurate over their range, the same bits in lanes and tails.
 */
class VectorMathProperties {
  static final int N =
      2 * jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length()
          + 3; // two SIMD blocks and a scalar tail

  static float[] filled(float x) {
    float[] a = new float[N];
    java.util.Arrays.fill(a, x);
    return a;
  }

  @Property(tries = 2000)
  void expIsAccurateAndLanesMatchTheTail(@ForAll @FloatRange(min = -86.5f, max = 88.7f) float x) {
    float[] out = new float[N];
    VectorMath.exp(filled(x), 0, 1f, 0f, out, 0, N);
    double exact = Math.exp(x);
    assertEquals(exact, out[0], 3 * Math.ulp((float) exact), "exp(" + x + ")");
    assertEquals(
        Float.floatToRawIntBits(out[0]), Float.floatToRawIntBits(out[N - 1]), "lane vs tail");
  }

  @Property(tries = 2000)
  void tanhIsAccurateAndLanesMatchTheTail(@ForAll @FloatRange(min = -12f, max = 12f) float x) {
    float[] out = new float[N];
    VectorMath.tanh(filled(x), 0, out, 0, N);
    double exact = Math.tanh(x);
    assertEquals(exact, out[0], 3 * Math.ulp((float) exact) + 1e-9, "tanh(" + x + ")");
    assertEquals(
        Float.floatToRawIntBits(out[0]), Float.floatToRawIntBits(out[N - 1]), "lane vs tail");
  }

  @Property(tries = 2000)
  void logIsAccurateAndLanesMatchTheTail(
      @ForAll @FloatRange(min = 0f, max = Float.MAX_VALUE) float x, @ForAll boolean subnormal) {
    float v = subnormal ? x * 0x1p-149f * 0x1p-20f + Float.MIN_VALUE : x; // also below MIN_NORMAL
    float[] out = new float[N];
    VectorMath.log(filled(v), 0, out, 0, N);
    double exact = Math.log(v);
    assertEquals(exact, out[0], Math.ulp((float) exact), "log(" + v + ")");
    assertEquals(
        Float.floatToRawIntBits(out[0]), Float.floatToRawIntBits(out[N - 1]), "lane vs tail");
  }

  @Example
  void logOfSpecialValuesBehavesLikeMath() {
    float[] in = {
      Float.NaN,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      0f,
      -0f,
      -1f,
      1f,
      Float.MIN_VALUE,
      Float.MIN_NORMAL,
      Float.MAX_VALUE
    };
    for (float x : in) {
      float[] out = new float[N];
      VectorMath.log(filled(x), 0, out, 0, N);
      float exact = (float) Math.log(x);
      for (float v : new float[] {out[0], out[N - 1]}) {
        if (Float.isNaN(exact)) {
          assertTrue(Float.isNaN(v), "log(" + x + ") = " + v);
        } else {
          assertEquals(exact, v, Float.isInfinite(exact) ? 0 : Math.ulp(exact), "log(" + x + ")");
        }
      }
    }
  }

  @Example
  void specialValuesBehaveLikeMath() {
    float[] in = {
      Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 100f, -100f
    };
    for (float x : in) {
      float[] e = new float[N];
      float[] t = new float[N];
      VectorMath.exp(filled(x), 0, 1f, 0f, e, 0, N);
      VectorMath.tanh(filled(x), 0, t, 0, N);
      for (float v : new float[] {e[0], e[N - 1]}) {
        assertEquals((float) Math.exp(x), v, 1e-30f, "exp(" + x + ")");
      }
      for (float v : new float[] {t[0], t[N - 1]}) {
        assertEquals((float) Math.tanh(x), v, 1e-30f, "tanh(" + x + ")");
      }
    }
    assertTrue(Float.isNaN(dev.jgrad.tensor.NDArray.of(Float.NaN).sigmoid().getFloat(0)));
  }
}
