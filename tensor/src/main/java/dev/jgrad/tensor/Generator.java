package dev.jgrad.tensor;

/**
 * A small, explicit, seedable random number generator: the same seed gives the same numbers on
 * every run, every JDK and every thread count.
 *
 * <p>The bits come from SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014); normal variates from the Box-Muller transform. Not thread-safe: give
 * each thread its own generator.
 *
 * <pre>{@code
 * Generator g = new Generator(42);
 * NDArray w = NDArray.randn(g, 784, 128);
 * }</pre>
 */
public final class Generator {
  private long state;
  private double spareGaussian;
  private boolean hasSpare;

  /** A generator whose sequence is fixed by {@code seed}. */
  public Generator(long seed) {
    this.state = seed;
  }

  /** The next 64 random bits. */
  public long nextLong() {
    long z = (state += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in {@code [0, 1)} with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in {@code [0, 1)} with 24 random bits. */
  public float nextFloat() {
    return (nextLong() >>> 40) * 0x1.0p-24f;
  }

  /**
   * Uniform integer in {@code [0, bound)}, without modulo bias: {@code g.nextInt(10)}.
   *
   * @throws IllegalArgumentException if {@code bound <= 0}
   */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("nextInt: bound must be positive, got " + bound);
    }
    while (true) {
      long bits = nextLong() >>> 1; // 63 uniform bits
      long value = bits % bound;
      if (bits - value + (bound - 1) >= 0) { // reject the incomplete last block: no bias
        return (int) value;
      }
    }
  }

  /** A standard normal variate (mean 0, variance 1). */
  public double nextGaussian() {
    if (hasSpare) {
      hasSpare = false;
      return spareGaussian;
    }
    double u1;
    do {
      u1 = nextDouble();
    } while (u1 == 0.0);
    double u2 = nextDouble();
    double radius = Math.sqrt(-2.0 * Math.log(u1));
    double angle = 2.0 * Math.PI * u2;
    spareGaussian = radius * Math.sin(angle);
    hasSpare = true;
    return radius * Math.cos(angle);
  }
}
