package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * multinomial: drawn frequencies against the probabilities (a chi-square bound), draws without
 * replacement distinct and never of weight 0, the same seed giving the same draws, and the refused
 * rows: covers {@code Sampling}.
 */
class SamplingProperties {

  /** Random weights, about a third of them 0, at least one positive per row. */
  static double[][] weights(long seed, int rows, int classes) {
    Generator g = new Generator(seed);
    double[][] w = new double[rows][classes];
    for (double[] row : w) {
      for (int c = 0; c < classes; c++) {
        row[c] = g.nextInt(3) == 0 ? 0 : 0.1 + g.nextDouble();
      }
      row[g.nextInt(classes)] = 0.5 + g.nextDouble();
    }
    return w;
  }

  /**
   * Pearson's statistic Σ (observed − expected)² / expected over the categories of positive weight
   * of a row, which follows a chi-square law with (positive categories − 1) degrees of freedom.
   */
  @Test
  void drawnFrequenciesMatchTheProbabilities() {
    int samples = 4000;
    for (long seed = 1; seed <= 6; seed++) {
      int classes = 2 + (int) (seed * 3 % 9);
      double[][] w = weights(seed, 3, classes);
      NDArray probs = NDArray.of(w).to(seed % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64);
      int[] drawn = probs.multinomial(samples, true, new Generator(seed * 7919)).toIntArray();
      for (int r = 0; r < w.length; r++) {
        double total = 0;
        for (double v : w[r]) {
          total += (float) v;
        }
        int[] counts = new int[classes];
        for (int s = 0; s < samples; s++) {
          counts[drawn[r * samples + s]]++;
        }
        double chi2 = 0;
        int positive = 0;
        for (int c = 0; c < classes; c++) {
          double expected = samples * (float) w[r][c] / total;
          if (w[r][c] == 0) {
            assertEquals(0, counts[c], "a category of weight 0 was drawn");
          } else {
            positive++;
            chi2 += (counts[c] - expected) * (counts[c] - expected) / expected;
          }
        }
        int df = Math.max(1, positive - 1);
        // mean df, standard deviation √(2·df): ten of them above the mean is generous
        double bound = df + 10 * Math.sqrt(2.0 * df);
        assertTrue(chi2 < bound, "seed " + seed + " row " + r + ": chi² " + chi2 + " ≥ " + bound);
      }
    }
  }

  @Property(tries = 80)
  void drawsWithoutReplacementAreDistinctAndDrawable(
      @ForAll @IntRange(min = 1, max = 12) int classes,
      @ForAll @IntRange(min = 1, max = 4) int rows,
      @ForAll long seed) {
    double[][] w = weights(seed, rows, classes);
    int fewest = classes;
    for (double[] row : w) {
      int positive = 0;
      for (double v : row) {
        positive += v > 0 ? 1 : 0;
      }
      fewest = Math.min(fewest, positive);
    }
    int k = 1 + (int) Math.floorMod(seed, (long) fewest);
    NDArray probs = NDArray.of(w);
    NDArray out = probs.multinomial(k, false, new Generator(seed));
    assertArrayEquals(new int[] {rows, k}, out.shape());
    assertArrayEquals(
        out.toIntArray(), probs.multinomial(k, false, new Generator(seed)).toIntArray());
    for (int r = 0; r < rows; r++) {
      boolean[] seen = new boolean[classes];
      for (int s = 0; s < k; s++) {
        int c = out.getInt(r, s);
        assertTrue(w[r][c] > 0, "drew category " + c + " of weight 0");
        assertTrue(!seen[c], "drew category " + c + " twice");
        seen[c] = true;
      }
    }
  }

  @Test
  void aVectorOfProbabilitiesGivesAVectorOfDraws() {
    NDArray out = NDArray.of(0.0, 1.0, 0.0).multinomial(5, true, new Generator(3));
    assertArrayEquals(new int[] {1, 1, 1, 1, 1}, out.toIntArray());
  }

  @Test
  void badRowsAreRefusedNamingTheRowAndShape() {
    Generator g = new Generator(0);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NDArray.of(new double[][] {{1, 2}, {0.5, -1}}).multinomial(1, true, g));
    assertEquals(
        "multinomial: row 1 of probabilities of shape [2, 2] has the invalid entry -1.0 at column"
            + " 1 (entries must be finite and non-negative)",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NDArray.of(1.0, Double.NaN).multinomial(1, true, g));
    assertTrue(e.getMessage().contains("invalid entry NaN"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> NDArray.zeros(3).multinomial(1, true, g));
    assertEquals("multinomial: row 0 of probabilities of shape [3] sums to zero", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NDArray.of(1.0, 0.0, 1.0).multinomial(3, false, g));
    assertTrue(e.getMessage().contains("has 2 non-zero categories"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> NDArray.zeros(2, 2, 2).multinomial(1, true, g));
    assertTrue(e.getMessage().startsWith("multinomial: expects probabilities of shape [C] or"));
    assertThrows(
        IllegalArgumentException.class,
        () -> NDArray.ofInts(1, 2).multinomial(1, true, g),
        "INT32 weights");
  }
}
