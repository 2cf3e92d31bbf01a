package dev.jgrad.tensor;

import static dev.jgrad.tensor.Samples.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jgrad.tensor.Samples.Layout;
import dev.jgrad.tensor.Samples.Sample;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** tril and triu against the reference's index test j − i ≤ k (≥ k): covers {@code Triangular}. */
class TriangularProperties {

  @Provide
  Arbitrary<int[]> shapes() {
    return Samples.shapes(2, 4);
  }

  @Provide
  Arbitrary<Integer> diagonals() {
    return Arbitraries.integers().between(-8, 8);
  }

  static Model triangle(Model m, int diagonal, boolean lower) {
    int rank = m.rank();
    double[] v = m.values().clone();
    for (int f = 0; f < v.length; f++) {
      int[] idx = Model.unflat(m.shape(), f);
      int above = idx[rank - 1] - idx[rank - 2];
      boolean kept = lower ? above <= diagonal : above >= diagonal;
      v[f] = kept ? v[f] : 0;
    }
    return Model.of(m.shape(), v);
  }

  @Property(tries = 150)
  void trilAndTriuKeepTheirTriangle(
      @ForAll("shapes") int[] shape,
      @ForAll Layout layout,
      @ForAll DType dtype,
      @ForAll("diagonals") int diagonal,
      @ForAll long seed) {
    Sample a = Samples.sample(dtype, shape, layout, seed, -5, 5);
    assertClose("tril", a.array().tril(diagonal), triangle(a.model(), diagonal, true), 0, 0);
    assertClose("triu", a.array().triu(diagonal), triangle(a.model(), diagonal, false), 0, 0);
    assertClose("input untouched", a.array(), a.model(), 0, 0);
  }

  @Test
  void aVectorHasNoTriangle() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> NDArray.zeros(3).tril(0));
    assertEquals("tril: expects an array with at least 2 dims, got shape [3]", e.getMessage());
  }
}
