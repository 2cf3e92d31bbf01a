package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.kernel.VectorMath;
import jdk.incubator.vector.FloatVector;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link VectorMath#erf} (and the FLOAT32 erf and GELU kernels of {@link UnaryOp} built on it)
 * against the double-precision {@link SpecialFunctions#erf}, which {@code ElementwiseProperties}
 * checks against an independent Simpson integral: within {@value #MAX_ERROR} everywhere in the
 * float range, ±∞, NaN and −0 as {@code Math} would give them, odd bit for bit, and every SIMD lane
 * with the bits of the scalar tail, so results do not depend on an array's length or split.
 */
class ErfKernelProperties {
  /** The largest |erf − exact| allowed; a scan of every float in [0, 4.5] measured 6.4·10⁻⁸. */
  static final double MAX_ERROR = 1e-7;

  static final int W = FloatVector.SPECIES_PREFERRED.length();

  /** erf of each value by the SIMD kernel, checked lane by lane against the scalar form. */
  static float[] erfChecked(float[] x) {
    float[] out = new float[x.length];
    VectorMath.erf(x, 0, 1f, out, 0, x.length);
    for (int i = 0; i < x.length; i++) {
      float tail = VectorMath.erf(x[i]);
      if (Float.floatToRawIntBits(tail) != Float.floatToRawIntBits(out[i])
          && !(Float.isNaN(tail) && Float.isNaN(out[i]))) {
        throw new AssertionError("erf(" + x[i] + "): lane " + out[i] + ", scalar " + tail);
      }
    }
    return out;
  }

  static void assertAccurate(float x, float erf) {
    double exact = SpecialFunctions.erf(x);
    if (Double.isNaN(exact)) {
      assertTrue(Float.isNaN(erf), () -> "erf(NaN) = " + erf);
      return;
    }
    assertEquals(exact, erf, MAX_ERROR, () -> "erf(" + x + ")");
  }

  /** Every float: the raw bits drawn uniformly, so huge, tiny, subnormal and NaN inputs come up. */
  @Property(tries = 3000)
  void erfIsAccurateForAnyFloat(@ForAll int bits) {
    float x = Float.intBitsToFloat(bits);
    float[] in = new float[2 * W + 1];
    java.util.Arrays.fill(in, x);
    float[] out = erfChecked(in);
    assertAccurate(x, out[0]);
  }

  /** Where erf is not yet ±1 in float, drawn uniformly. */
  @Property(tries = 3000)
  void erfIsAccurateWhereItBends(@ForAll @FloatRange(min = -4.5f, max = 4.5f) float x) {
    float[] out = erfChecked(new float[] {x});
    assertAccurate(x, out[0]);
    float[] neg = erfChecked(new float[] {-x});
    assertEquals(Float.floatToRawIntBits(-out[0]), Float.floatToRawIntBits(neg[0]), "odd");
  }

  /**
   * 2²⁰ evenly spaced floats over [−4.5, 4.5] and the floats next to the branch points 0.9 and 4,
   * through the SIMD body and tails of every length.
   */
  @Example
  void erfIsAccurateOnADenseGridAndAtItsBranchPoints() {
    int n = 1 << 20;
    float[] grid = new float[n + 12];
    for (int i = 0; i < n; i++) {
      grid[i] = (float) (-4.5 + 9.0 * i / (n - 1));
    }
    int k = n;
    for (float b : new float[] {0.9f, 4f, -0.9f, -4f}) {
      grid[k++] = Math.nextDown(b);
      grid[k++] = b;
      grid[k++] = Math.nextUp(b);
    }
    float[] out = erfChecked(grid);
    for (int i = 0; i < grid.length; i++) {
      assertAccurate(grid[i], out[i]);
    }
  }

  @Example
  void erfOfSpecialValues() {
    float[] x = {
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      Float.NaN,
      0f,
      -0f,
      Float.MIN_VALUE,
      -Float.MIN_VALUE,
      Float.MAX_VALUE,
      -Float.MAX_VALUE
    };
    float[] want = {1f, -1f, Float.NaN, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1f, -1f};
    float[] out = erfChecked(x);
    for (int i = 0; i < x.length; i++) {
      assertEquals(
          Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(out[i]), "erf " + x[i]);
    }
  }

  /**
   * FLOAT32 erf and GELU as NDArray ops: each element has the bits of the same op on that element
   * alone (the scalar form), whatever the array's length, and GELU is within |x|·½·({@value
   * #MAX_ERROR} + 2⁻²³) plus an ulp of ½x(1 + erf(x/√2)) in double.
   */
  @Property(tries = 300)
  void geluAndErfDoNotDependOnTheLengthAndAreAccurate(
      @ForAll @IntRange(min = 0, max = 100) int length, @ForAll long seed) {
    NDArray x = NDArray.rand(new Generator(seed), length).mul(14).sub(7);
    NDArray gelu = x.gelu();
    NDArray erf = x.erf();
    for (int i = 0; i < length; i++) {
      float xi = x.getFloat(i);
      NDArray alone = NDArray.of(xi);
      assertEquals(
          Float.floatToRawIntBits(alone.gelu().getFloat(0)),
          Float.floatToRawIntBits(gelu.getFloat(i)),
          "gelu " + xi);
      assertEquals(
          Float.floatToRawIntBits(alone.erf().getFloat(0)),
          Float.floatToRawIntBits(erf.getFloat(i)),
          "erf " + xi);
      double exact = 0.5 * xi * (1 + SpecialFunctions.erf(xi / Math.sqrt(2)));
      // erf's error, then 1 + erf rounded in [0, 2] (half an ulp of 1.x), then the products
      double allowed = Math.abs(xi) * 0.5 * (MAX_ERROR + Math.ulp(1f)) + Math.ulp((float) exact);
      assertEquals(exact, gelu.getFloat(i), allowed, "gelu " + xi);
    }
  }
}
