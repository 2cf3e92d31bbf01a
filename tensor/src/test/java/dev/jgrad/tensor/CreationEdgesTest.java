package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The edges of the creation ops: each refusal gives its own reason (a zero or NaN step, a
 * non-finite bound, an empty or too wide randint range), linspace's zero, one and two steps, and
 * rows of doubles and floats whose lengths must agree. Written for the mutants PIT left alive in
 * Creation (issue #14).
 */
class CreationEdgesTest {

  private static void assertRefused(String expected, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void arangeNamesWhyItRefuses() {
    assertRefused("step must be non-zero", () -> NDArray.arange(0, 5, 0));
    assertRefused("step must be non-zero", () -> NDArray.arange(0, 5, Double.NaN));
    assertRefused("must be finite", () -> NDArray.arange(Double.NEGATIVE_INFINITY, 5, 1));
    assertRefused("must be finite", () -> NDArray.arange(0, Double.POSITIVE_INFINITY, 1));
    assertRefused("too many values", () -> NDArray.arange(0, 1e12, 1));
    assertArrayEquals(new double[] {0, 0.5, 1, 1.5}, NDArray.arange(0, 2, 0.5).toDoubleArray());
    assertArrayEquals(new double[] {2, 1}, NDArray.arange(2, 0, -1).toDoubleArray());
  }

  @Test
  void randintNeedsANonEmptyRangeOfAtMostTwoToThe31MinusOneValues() {
    Generator g = new Generator(14);
    assertRefused("expected low < high", () -> NDArray.randint(g, 3, 3, 2));
    assertRefused("expected low < high", () -> NDArray.randint(g, 4, 3, 2));
    assertRefused("more than 2^31 - 1", () -> NDArray.randint(g, -1, Integer.MAX_VALUE, 2));
    double[] one = NDArray.randint(g, 3, 4, 5).toDoubleArray();
    assertArrayEquals(new double[] {3, 3, 3, 3, 3}, one);
    double[] widest = NDArray.randint(g, 0, Integer.MAX_VALUE, 50).toDoubleArray();
    for (double v : widest) {
      assertTrue(v >= 0 && v < Integer.MAX_VALUE, "randint(0, MAX) gave " + v);
    }
  }

  @Test
  void linspaceWithZeroOneAndTwoSteps() {
    assertArrayEquals(new double[] {}, NDArray.linspace(2, 5, 0).toDoubleArray());
    assertArrayEquals(new double[] {2}, NDArray.linspace(2, 5, 1).toDoubleArray());
    assertArrayEquals(new double[] {2, 5}, NDArray.linspace(2, 5, 2).toDoubleArray());
    assertArrayEquals(new double[] {2, 3, 4, 5}, NDArray.linspace(2, 5, 4).toDoubleArray());
    assertRefused("steps must be non-negative", () -> NDArray.linspace(0, 1, -1));
  }

  @Test
  void rowsMustHaveOneLengthAndAnEmptyListIsZeroByZero() {
    assertArrayEquals(new int[] {0, 0}, NDArray.of(new double[][] {}).shape());
    assertArrayEquals(new int[] {0, 0}, NDArray.of(new float[][] {}).shape());
    assertArrayEquals(
        new double[] {1, 2, 3, 4}, NDArray.of(new double[][] {{1, 2}, {3, 4}}).toDoubleArray());
    assertThrows(IllegalArgumentException.class, () -> NDArray.of(new double[][] {{1, 2}, {3}}));
    assertThrows(IllegalArgumentException.class, () -> NDArray.of(new float[][] {{1}, {2, 3}}));
  }
}
