package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.GradCheck;
import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** {@link Embedding} and {@code F.embedding}: lookup, index-add gradient, padding, init, errors. */
class EmbeddingTest {

  static Tensor ids(long seed, int vocabulary, int... shape) {
    return new Tensor(NDArray.randint(new Generator(seed), 0, vocabulary, shape));
  }

  @Property(tries = 40)
  void rowsAreLookedUpAndGradientsAddUpPerId(
      @ForAll @IntRange(min = 1, max = 9) int vocabulary,
      @ForAll @IntRange(min = 1, max = 7) int dim,
      @ForAll @IntRange(min = 1, max = 5) int batch,
      @ForAll @IntRange(min = 1, max = 6) int time,
      @ForAll boolean withPadding,
      @ForAll long seed) {
    int padding = withPadding ? (int) Math.floorMod(seed, (long) vocabulary) : -1;
    Embedding table =
        new Embedding(vocabulary, dim, withPadding ? padding : null, new Generator(seed));
    Tensor x = ids(seed + 1, vocabulary, batch, time);
    Tensor out = table.forward(x);
    assertArrayEquals(new int[] {batch, time, dim}, out.shape());
    NDArray c = NDArray.randn(new Generator(seed + 2), batch, time, dim);
    out.mul(new Tensor(c)).sum().backward();
    // reference: row v's gradient is the sum of c over the positions holding id v (0 for padding)
    double[][] expected = new double[vocabulary][dim];
    float[] w = table.weight().data().toFloatArray();
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < time; t++) {
        int id = x.data().getInt(b, t);
        for (int e = 0; e < dim; e++) {
          assertEquals(w[id * dim + e], out.data().getFloat(b, t, e), "value at " + b + "," + t);
          if (id != padding) {
            expected[id][e] += c.getFloat(b, t, e);
          }
        }
      }
    }
    NDArray grad = table.weight().grad().data();
    for (int v = 0; v < vocabulary; v++) {
      for (int e = 0; e < dim; e++) {
        assertEquals(expected[v][e], grad.getFloat(v, e), 1e-5, "gradient of row " + v);
      }
    }
  }

  @Test
  void theLookupPassesGradCheckFirstAndSecondOrder() {
    Tensor w = Tensor.randn(new Generator(3), DType.FLOAT64, 5, 3).requiresGrad(true);
    Tensor x = Tensor.ofInts(4, 0, 4, 2, 1, 0).reshape(2, 3);
    // (the padding row's gradient is 0 by design, not the numeric derivative: see the property)
    java.util.function.Function<Tensor[], Tensor> f = in -> F.embedding(x, in[0]).square();
    GradCheck.Report first = GradCheck.firstOrder(f, w);
    assertTrue(first.passed(), first::toString);
    GradCheck.Report second = GradCheck.secondOrder(f, w);
    assertTrue(second.passed(), second::toString);
  }

  @Test
  void initialisationIsStandardNormalWithAZeroPaddingRow() {
    Embedding table = new Embedding(2000, 16, -1, new Generator(7));
    assertEquals(1999, table.paddingIdx());
    NDArray w = table.weight().data().narrow(0, 0, 1999);
    assertEquals(0, w.mean().item(), 0.02);
    assertEquals(1, w.var().item(), 0.03);
    assertEquals(0, table.weight().data().select(0, 1999).abs().sum().item());
    assertEquals(
        java.util.List.of("weight"), java.util.List.copyOf(table.namedParameters().keySet()));
    assertEquals("Embedding(2000, 16, padding_idx=1999)", table.toString());
  }

  @Test
  void badIdsAreRefusedNamingTheOpAndShapes() {
    Embedding table = new Embedding(10, 4);
    IndexOutOfBoundsException e =
        assertThrows(
            IndexOutOfBoundsException.class,
            () -> table.forward(Tensor.ofInts(1, 10, 2).reshape(1, 3)));
    assertEquals(
        "embedding: id 10 is out of range for a weight of shape [10, 4] (ids of shape [1, 3])",
        e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> table.forward(Tensor.ofInts(-1)));
    IllegalArgumentException f =
        assertThrows(IllegalArgumentException.class, () -> table.forward(Tensor.of(1f, 2f)));
    assertEquals("embedding: ids must be INT32, got float32 of shape [2]", f.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Embedding(10, 4, 10, new Generator(1)));
    assertThrows(IllegalArgumentException.class, () -> new Embedding(0, 4));
  }
}
