package dev.jgrad.tensor;

/** Special functions the JDK lacks. */
final class SpecialFunctions {
  private SpecialFunctions() {}

  /**
   * The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt, accurate to about 1.2e-7 absolute: the
   * Chebyshev-fitted complementary error function of Numerical Recipes (erfcc), 3rd ed. §6.2.
   */
  static double erf(double x) {
    double z = Math.abs(x);
    double t = 1.0 / (1.0 + 0.5 * z);
    double poly =
        -z * z
            - 1.26551223
            + t
                * (1.00002368
                    + t
                        * (0.37409196
                            + t
                                * (0.09678418
                                    + t
                                        * (-0.18628806
                                            + t
                                                * (0.27886807
                                                    + t
                                                        * (-1.13520398
                                                            + t
                                                                * (1.48851587
                                                                    + t
                                                                        * (-0.82215223
                                                                            + t
                                                                                * 0.17087277))))))));
    double erfc = t * Math.exp(poly);
    return x >= 0 ? 1.0 - erfc : erfc - 1.0;
  }
}
