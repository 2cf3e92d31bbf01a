package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GeneratorTest {

  @Test
  void nextLongIsSplitMix64() {
    // The first outputs of the reference splitmix64.c (Vigna) seeded with 1234567.
    Generator g = new Generator(1234567);
    String[] expected = {
      "6457827717110365317",
      "3203168211198807973",
      "9817491932198370423",
      "4593380528125082431",
      "16408922859458223821"
    };
    for (String e : expected) {
      assertEquals(Long.parseUnsignedLong(e), g.nextLong());
    }
  }

  @Test
  void theSameSeedGivesTheSameSequenceAndAnotherSeedAnother() {
    Generator a = new Generator(42);
    Generator b = new Generator(42);
    Generator c = new Generator(43);
    double[] sa = new double[100];
    double[] sb = new double[100];
    double[] sc = new double[100];
    for (int i = 0; i < 100; i++) {
      sa[i] = i % 2 == 0 ? a.nextGaussian() : a.nextDouble();
      sb[i] = i % 2 == 0 ? b.nextGaussian() : b.nextDouble();
      sc[i] = i % 2 == 0 ? c.nextGaussian() : c.nextDouble();
    }
    assertArrayEquals(sa, sb);
    assertFalse(java.util.Arrays.equals(sa, sc));
  }

  @Test
  void uniformDoublesAndFloatsFillTheUnitIntervalWithTheirBits() {
    Generator g = new Generator(1);
    int n = 100_000;
    double sum = 0;
    double sumSq = 0;
    for (int i = 0; i < n; i++) {
      double u = g.nextDouble();
      assertTrue(u >= 0 && u < 1, "nextDouble in [0, 1): " + u);
      assertEquals(0, (u * 0x1.0p53) % 1, "53 bits: " + u);
      sum += u;
      sumSq += u * u;
      float f = g.nextFloat();
      assertTrue(f >= 0 && f < 1, "nextFloat in [0, 1): " + f);
      assertEquals(0, (f * 0x1.0p24) % 1, "24 bits: " + f);
    }
    double mean = sum / n;
    assertEquals(0.5, mean, 0.005); // standard error 0.29 / √n ≈ 0.0009
    assertEquals(1.0 / 12, sumSq / n - mean * mean, 0.002);
  }

  @Test
  void nextIntIsUniformOverItsBoundAndRejectsEmptyRanges() {
    Generator g = new Generator(7);
    int[] counts = new int[3];
    for (int i = 0; i < 30000; i++) {
      counts[g.nextInt(3)]++;
    }
    for (int c : counts) {
      assertEquals(10000, c, 400);
    }
    for (int i = 0; i < 100; i++) {
      assertEquals(0, g.nextInt(1));
      int big = g.nextInt(Integer.MAX_VALUE);
      assertTrue(big >= 0, "in range: " + big);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.nextInt(0));
    assertTrue(e.getMessage().startsWith("nextInt:"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> g.nextInt(-3));
  }

  @Test
  void gaussiansHaveTheMomentsOfAStandardNormal() {
    Generator g = new Generator(2024);
    int n = 200_000;
    double[] m = new double[5];
    int withinOneSigma = 0;
    for (int i = 0; i < n; i++) {
      double x = g.nextGaussian();
      double p = 1;
      for (int k = 1; k <= 4; k++) {
        p *= x;
        m[k] += p / n;
      }
      withinOneSigma += Math.abs(x) < 1 ? 1 : 0;
    }
    assertEquals(0, m[1], 0.01);
    assertEquals(1, m[2], 0.015);
    assertEquals(0, m[3], 0.045); // skewness of a normal; 5 standard errors (√(15/n))
    assertEquals(3, m[4], 0.11); // kurtosis of a normal; 5 standard errors (√(96/n))
    assertEquals(0.6827, withinOneSigma / (double) n, 0.005); // erf(1/√2)
  }
}
