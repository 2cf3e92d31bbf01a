package dev.jgrad.tensor;

import static dev.jgrad.tensor.Samples.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.Samples.Layout;
import dev.jgrad.tensor.Samples.Sample;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Gather, scatter-add, index-select, index-add, one-hot and masked fill against the naive
 * reference: covers {@code Indexing}.
 */
class IndexingProperties {

  @Provide
  Arbitrary<int[]> shapes() {
    return Samples.shapes(1, 4).filter(s -> Model.numel(s) > 0);
  }

  /** Random valid indices into dim {@code dim} of {@code shape}, with the index array's shape. */
  static NDArray indices(int[] indexShape, int bound, long seed) {
    Generator g = new Generator(seed);
    int[] v = new int[Model.numel(indexShape)];
    for (int i = 0; i < v.length; i++) {
      v[i] = g.nextInt(bound);
    }
    return NDArray.fromArray(v, indexShape);
  }

  @Property(tries = 150)
  void gatherReadsTheIndexedElements(
      @ForAll("shapes") int[] shape,
      @ForAll Layout layout,
      @ForAll int dimSeed,
      @ForAll long seed) {
    Sample a = Samples.sample(DType.FLOAT32, shape, layout, seed, -5, 5);
    int dim = Math.floorMod(dimSeed, shape.length);
    int[] indexShape = shape.clone();
    indexShape[dim] = 1 + (int) Math.floorMod(seed, 4L);
    NDArray index = indices(indexShape, shape[dim], seed);
    NDArray out = a.array().gather(dim, index);
    int[] idx = index.toIntArray();
    double[] expected = new double[idx.length];
    for (int f = 0; f < idx.length; f++) {
      int[] pos = Model.unflat(indexShape, f);
      pos[dim] = idx[f];
      expected[f] = a.model().get(pos);
    }
    assertClose("gather", out, Model.of(indexShape, expected), 0, 0);
  }

  @Property(tries = 200)
  void scatterAddAccumulatesRepeatedIndices(
      @ForAll("shapes") int[] shape,
      @ForAll int dimSeed,
      @ForAll boolean lastDim,
      @ForAll boolean contiguousSource,
      @ForAll boolean float32,
      @ForAll long seed) {
    int dim = lastDim ? shape.length - 1 : Math.floorMod(dimSeed, shape.length);
    DType dtype = float32 ? DType.FLOAT32 : DType.FLOAT64;
    Sample base = Samples.sample(dtype, shape, Layout.CONTIGUOUS, seed, -5, 5);
    int[] indexShape = shape.clone();
    indexShape[dim] = 1 + (int) Math.floorMod(seed, 5L);
    NDArray index = indices(indexShape, shape[dim], seed + 1);
    Layout srcLayout = contiguousSource ? Layout.CONTIGUOUS : Layout.TRANSPOSED;
    Sample src = Samples.sample(dtype, indexShape, srcLayout, seed + 2, -5, 5);
    NDArray out = base.array().scatterAdd(dim, index, src.array());
    double[] expected = base.model().values().clone();
    int[] idx = index.toIntArray();
    for (int f = 0; f < idx.length; f++) {
      int[] pos = Model.unflat(indexShape, f);
      double v = src.model().get(pos);
      pos[dim] = idx[f];
      expected[Model.flat(shape, pos)] += v;
    }
    // FLOAT32: up to 6 terms of magnitude ≤ 5, each addition rounded to 24 bits
    double atol = float32 ? 2e-5 : 1e-12;
    assertClose("scatterAdd", out, Model.of(shape, expected), float32 ? 1e-6 : 1e-12, atol);
    assertClose("input untouched", base.array(), base.model(), 0, 0);
  }

  /**
   * scatterAddInPlace writes the same sums into its array, views included (through their strides
   * and offset: the untouched rest of the storage stays as it was); an expanded view is refused.
   */
  @Property(tries = 150)
  void scatterAddInPlaceAccumulatesIntoTheArray(
      @ForAll("shapes") int[] shape,
      @ForAll Layout layout,
      @ForAll int dimSeed,
      @ForAll boolean lastDim,
      @ForAll boolean float32,
      @ForAll long seed) {
    int dim = lastDim ? shape.length - 1 : Math.floorMod(dimSeed, shape.length);
    DType dtype = float32 ? DType.FLOAT32 : DType.FLOAT64;
    Sample base = Samples.sample(dtype, shape, layout, seed, -5, 5);
    int[] indexShape = shape.clone();
    indexShape[dim] = 1 + (int) Math.floorMod(seed, 5L);
    NDArray index = indices(indexShape, shape[dim], seed + 1);
    Sample src = Samples.sample(dtype, indexShape, Layout.CONTIGUOUS, seed + 2, -5, 5);
    NDArray target = base.array();
    boolean expanded = false;
    for (int d = 0; d < shape.length; d++) {
      expanded |= target.strides()[d] == 0 && shape[d] > 1;
    }
    if (expanded) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> target.scatterAddInPlace(dim, index, src.array()));
      assertTrue(e.getMessage().startsWith("scatterAddInPlace: cannot write"), e.getMessage());
      return;
    }
    double[] expected = base.model().values().clone();
    int[] idx = index.toIntArray();
    for (int f = 0; f < idx.length; f++) {
      int[] pos = Model.unflat(indexShape, f);
      double v = src.model().get(pos);
      pos[dim] = idx[f];
      expected[Model.flat(shape, pos)] += v;
    }
    NDArray out = target.scatterAddInPlace(dim, index, src.array());
    assertTrue(out == target, "returns this");
    double atol = float32 ? 2e-5 : 1e-12;
    assertClose(
        "scatterAddInPlace", target, Model.of(shape, expected), float32 ? 1e-6 : 1e-12, atol);
  }

  @Property(tries = 100)
  void indexSelectPicksSlicesInOrder(
      @ForAll("shapes") int[] shape,
      @ForAll Layout layout,
      @ForAll int dimSeed,
      @ForAll long seed) {
    Sample a = Samples.sample(DType.FLOAT32, shape, layout, seed, -5, 5);
    int dim = Math.floorMod(dimSeed, shape.length);
    NDArray index = indices(new int[] {5}, shape[dim], seed);
    NDArray out = a.array().indexSelect(dim, index);
    int[] idx = index.toIntArray();
    for (int i = 0; i < idx.length; i++) {
      assertArrayEquals(
          a.array().select(dim, idx[i]).toFloatArray(), out.select(dim, i).toFloatArray());
    }
  }

  @Property(tries = 100)
  void oneHotMarksTheClass(@ForAll("shapes") int[] shape, @ForAll long seed) {
    NDArray labels = indices(shape, 7, seed);
    NDArray hot = labels.oneHot(7);
    assertArrayEquals(MatMul.concat(shape, 7), hot.shape());
    assertArrayEquals(labels.toIntArray(), hot.argmax(-1, false).toIntArray());
    assertArrayEquals(
        NDArray.ones(DType.INT32, shape).toIntArray(), hot.sum(-1, false).toIntArray());
  }

  @Property(tries = 100)
  void maskedFillReplacesWhereTheMaskIsSet(
      @ForAll("shapes") int[] shape, @ForAll Layout layout, @ForAll long seed) {
    Sample a = Samples.sample(DType.FLOAT32, shape, layout, seed, -5, 5);
    NDArray mask = a.array().gt(0);
    NDArray out = a.array().maskedFill(mask, 0);
    assertClose("maskedFill", out, a.model().map(x -> x > 0 ? 0 : x), 0, 0);
  }

  @Property(tries = 100)
  void outOfRangeIndicesAreRefusedWithoutSideEffects(
      @ForAll("shapes") int[] shape, @ForAll int dimSeed, @ForAll long seed) {
    int dim = Math.floorMod(dimSeed, shape.length);
    NDArray a = NDArray.zeros(shape);
    NDArray index = indices(shape, shape[dim], seed);
    int[] bad = index.toIntArray();
    bad[bad.length - 1] = shape[dim] + (int) Math.floorMod(seed, 3L);
    NDArray badIndex = NDArray.fromArray(bad, shape);
    IndexOutOfBoundsException e =
        assertThrows(IndexOutOfBoundsException.class, () -> a.gather(dim, badIndex));
    assertTrue(e.getMessage().startsWith("gather: index " + bad[bad.length - 1]), e.getMessage());
    assertThrows(
        IndexOutOfBoundsException.class, () -> a.scatterAdd(dim, badIndex, NDArray.ones(shape)));
    IndexOutOfBoundsException inPlace =
        assertThrows(
            IndexOutOfBoundsException.class,
            () -> a.scatterAddInPlace(dim, badIndex, NDArray.ones(shape)));
    assertTrue(inPlace.getMessage().startsWith("scatterAddInPlace: index"), inPlace.getMessage());
    assertArrayEquals(new float[Model.numel(shape)], a.toFloatArray());
  }

  @Property(tries = 100)
  void indexAddAccumulatesSlicesAtRepeatedIndices(
      @ForAll("shapes") int[] shape,
      @ForAll Layout layout,
      @ForAll DType dtype,
      @ForAll int dimSeed,
      @ForAll long seed) {
    int dim = Math.floorMod(dimSeed, shape.length);
    Sample base = Samples.sample(dtype, shape, Layout.CONTIGUOUS, seed, -5, 5);
    int[] srcShape = shape.clone();
    srcShape[dim] = (int) Math.floorMod(seed, 6L);
    NDArray index = indices(new int[] {srcShape[dim]}, shape[dim], seed + 1);
    Sample src = Samples.sample(dtype, srcShape, layout, seed + 2, -5, 5);
    NDArray out = base.array().indexAdd(dim, index, src.array());
    double[] expected = base.model().values().clone();
    int[] idx = index.toIntArray();
    for (int f = 0; f < src.model().values().length; f++) {
      int[] pos = Model.unflat(srcShape, f);
      double v = src.model().values()[f];
      pos[dim] = idx[pos[dim]];
      expected[Model.flat(shape, pos)] += v;
    }
    assertClose("indexAdd", out, Model.of(shape, expected), 1e-6, 1e-5);
    assertClose("input untouched", base.array(), base.model(), 0, 0);
    // in place, into a transposed destination: the same sums, in the destination's own storage
    Sample dest = Samples.sample(dtype, shape, Layout.TRANSPOSED, seed, -5, 5);
    NDArray target = dest.array();
    org.junit.jupiter.api.Assertions.assertSame(
        target, target.indexAddInPlace(dim, index, src.array()));
    double[] expectedInPlace = dest.model().values().clone();
    for (int f = 0; f < src.model().values().length; f++) {
      int[] pos = Model.unflat(srcShape, f);
      double v = src.model().values()[f];
      pos[dim] = idx[pos[dim]];
      expectedInPlace[Model.flat(shape, pos)] += v;
    }
    assertClose("indexAddInPlace", target, Model.of(shape, expectedInPlace), 1e-6, 1e-5);
  }

  @org.junit.jupiter.api.Test
  void indexAddRefusesASourceOfTheWrongShape() {
    NDArray a = NDArray.zeros(4, 3);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> a.indexAdd(0, NDArray.ofInts(1, 2), NDArray.ones(2, 4)));
    org.junit.jupiter.api.Assertions.assertEquals(
        "indexAdd: source of shape [2, 4] does not fit the input of shape [4, 3] with 2 indices"
            + " along dim 0 (expected [2, 3])",
        e.getMessage());
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> a.indexAdd(0, NDArray.ofInts(4), NDArray.ones(1, 3)));
  }
}
