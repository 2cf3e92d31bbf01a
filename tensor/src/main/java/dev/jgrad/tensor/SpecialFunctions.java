package dev.jgrad.tensor;

/** Special functions the JDK lacks. */
final class SpecialFunctions {
  private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

  private SpecialFunctions() {}

  /**
   * The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt to about 1e-14: its Maclaurin series 2/√π Σ
   * (−1)ⁿ x^(2n+1) / (n!(2n+1)) for |x| ≤ 2, and above that 1 − erfc(x) with erfc(x) = e^(−x²)/√π ·
   * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), the continued fraction of Laplace.
   */
  static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double ax = Math.abs(x);
    double r;
    if (ax > 6) {
      r = 1.0; // erfc(6) ≈ 2e-17
    } else if (ax <= 2) {
      double sum = 0;
      double power = ax; // (−1)ⁿ x^(2n+1) / n!
      for (int n = 0; n < 60; n++) {
        double term = power / (2 * n + 1);
        sum += term;
        if (Math.abs(term) < 1e-17 * Math.abs(sum)) {
          break;
        }
        power *= -ax * ax / (n + 1);
      }
      r = TWO_OVER_SQRT_PI * sum;
    } else {
      double f = ax;
      for (int n = 80; n >= 1; n--) {
        f = ax + (n / 2.0) / f;
      }
      r = 1.0 - Math.exp(-ax * ax) / (Math.sqrt(Math.PI) * f);
    }
    return x < 0 ? -r : r;
  }
}
