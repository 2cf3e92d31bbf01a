package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;

/**
 * Drawing category indices from rows of non-negative weights (PyTorch's {@code multinomial}). A row
 * need not sum to 1: category c of a row w is drawn with probability {@code w[c] / Σw}. With
 * replacement each draw inverts the row's cumulative sum at a uniform point; without, each draw
 * does the same over the categories not drawn yet.
 */
final class Sampling {
  private Sampling() {}

  static NDArray multinomial(NDArray probs, int numSamples, boolean replacement, Generator g) {
    String op = "multinomial";
    if (probs.rank() != 1 && probs.rank() != 2) {
      throw new IllegalArgumentException(
          op
              + ": expects probabilities of shape [C] or [N, C], got "
              + Shapes.toString(probs.shape));
    }
    if (!probs.dtype.isFloatingPoint()) {
      throw new IllegalArgumentException(
          op
              + ": expects floating-point probabilities, got "
              + probs.dtype
              + " of shape "
              + Shapes.toString(probs.shape));
    }
    if (g == null) {
      throw new IllegalArgumentException(op + ": the generator must not be null");
    }
    NDArray p = probs.rank() == 1 ? probs.unsqueeze(0) : probs;
    int rows = p.shape[0];
    int classes = p.shape[1];
    if (numSamples <= 0) {
      throw new IllegalArgumentException(op + ": numSamples must be positive, got " + numSamples);
    }
    if (!replacement && numSamples > classes) {
      throw new IllegalArgumentException(
          String.format(
              "%s: cannot draw %d samples without replacement from %d categories (shape %s)",
              op, numSamples, classes, Shapes.toString(probs.shape)));
    }
    Shapes.checkAllocation(op, p.shape, Double.BYTES); // the rows' weights, copied as doubles
    Shapes.checkAllocation(op, new int[] {rows, numSamples}, Integer.BYTES);
    double[][] weights = new double[rows][];
    for (int r = 0; r < rows; r++) {
      weights[r] = checkedRow(probs, p.select(0, r).toDoubleArray(), r, numSamples, replacement);
    }
    NDArray out = Creation.empty(op, DType.INT32, new int[] {rows, numSamples});
    int[] o = (int[]) out.data;
    for (int r = 0; r < rows; r++) {
      double[] w = weights[r];
      double[] cdf = new double[classes];
      for (int s = 0; s < numSamples; s++) {
        if (s == 0 || !replacement) {
          cumulate(w, cdf);
        }
        int c = draw(cdf, w, g.nextDouble() * cdf[classes - 1]);
        o[r * numSamples + s] = c;
        if (!replacement) {
          w[c] = 0;
        }
      }
    }
    return probs.rank() == 1 ? out.reshape(numSamples) : out;
  }

  /** The row's weights, after checking they are finite, non-negative and enough to draw from. */
  private static double[] checkedRow(
      NDArray probs, double[] w, int r, int numSamples, boolean replacement) {
    int positive = 0;
    for (int c = 0; c < w.length; c++) {
      if (!(w[c] >= 0) || Double.isInfinite(w[c])) {
        throw new IllegalArgumentException(
            String.format(
                "multinomial: row %d of probabilities of shape %s has the invalid entry %s at"
                    + " column %d (entries must be finite and non-negative)",
                r, Shapes.toString(probs.shape), w[c], c));
      }
      positive += w[c] > 0 ? 1 : 0;
    }
    if (positive == 0) {
      throw new IllegalArgumentException(
          String.format(
              "multinomial: row %d of probabilities of shape %s sums to zero",
              r, Shapes.toString(probs.shape)));
    }
    if (!replacement && positive < numSamples) {
      throw new IllegalArgumentException(
          String.format(
              "multinomial: row %d of probabilities of shape %s has %d non-zero categories, too"
                  + " few for %d samples without replacement",
              r, Shapes.toString(probs.shape), positive, numSamples));
    }
    return w;
  }

  private static void cumulate(double[] w, double[] cdf) {
    double sum = 0;
    for (int c = 0; c < w.length; c++) {
      sum += w[c];
      cdf[c] = sum;
    }
  }

  /**
   * The first category whose cumulative weight exceeds {@code u} (never one of weight 0); the last
   * category of positive weight when rounding put {@code u} at the total.
   */
  private static int draw(double[] cdf, double[] w, double u) {
    int lo = 0;
    int hi = cdf.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cdf[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    while (w[lo] == 0) { // u rounded up to the total: step back to a drawable category
      lo--;
    }
    return lo;
  }
}
