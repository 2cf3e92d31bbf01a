package dev.jgrad.tensor;

import static dev.jgrad.tensor.Samples.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.Samples.Layout;
import dev.jgrad.tensor.Samples.Sample;
import dev.jgrad.tensor.kernel.Shapes;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Views against the naive reference: covers {@code Views} (reshape and view with their stride
 * inference, transpose, permute, squeeze/unsqueeze, expand/broadcastTo, narrow, slice, select,
 * flatten, cat, stack, split, chunk), each on contiguous, transposed, strided and expanded layouts.
 */
class ViewProperties {

  @Provide
  Arbitrary<int[]> shapes() {
    return Samples.shapes();
  }

  @Provide
  Arbitrary<int[]> nonScalarShapes() {
    return Samples.shapes(1, 4);
  }

  @Provide
  Arbitrary<int[][]> pairs() {
    return Samples.broadcastPairs();
  }

  @Property(tries = 200)
  void everyLayoutShowsItsModelValues(
      @ForAll("shapes") int[] shape,
      @ForAll Layout layout,
      @ForAll DType dtype,
      @ForAll long seed) {
    Sample a = Samples.sample(dtype, shape, layout, seed, -5, 5);
    assertClose("view " + a, a.array(), a.model(), 0, 0);
    assertClose("clone " + a, a.array().clone(), a.model(), 0, 0);
    assertTrue(a.array().contiguous().isContiguous());
  }

  @Property(tries = 200)
  void transposeTwiceIsTheIdentity(
      @ForAll("nonScalarShapes") int[] shape,
      @ForAll Layout layout,
      @ForAll int i,
      @ForAll int j,
      @ForAll long seed) {
    Sample a = Samples.sample(DType.FLOAT32, shape, layout, seed, -5, 5);
    int d0 = Math.floorMod(i, shape.length);
    int d1 = Math.floorMod(j, shape.length);
    NDArray t = a.array().transpose(d0, d1);
    assertEquals(shape[d0], t.shape(d1));
    assertTrue(t.sharesStorage(a.array()));
    assertClose("transpose twice", t.transpose(d0, d1), a.model(), 0, 0);
  }

  @Property(tries = 200)
  void permuteMatchesTheReference(
      @ForAll("nonScalarShapes") int[] shape, @ForAll Layout layout, @ForAll long seed) {
    Sample a = Samples.sample(DType.FLOAT64, shape, layout, seed, -5, 5);
    int[] order = Samples.identity(shape.length);
    Generator g = new Generator(seed);
    for (int k = order.length - 1; k > 0; k--) {
      int r = g.nextInt(k + 1);
      int tmp = order[k];
      order[k] = order[r];
      order[r] = tmp;
    }
    assertClose("permute", a.array().permute(order), a.model().permute(order), 0, 0);
  }

  @Property(tries = 200)
  void reshapeRoundTripsAndViewsWhenItCan(
      @ForAll("shapes") int[] shape, @ForAll Layout layout, @ForAll long seed) {
    Sample a = Samples.sample(DType.FLOAT32, shape, layout, seed, -5, 5);
    int n = Model.numel(shape);
    NDArray flat = a.array().reshape(-1);
    assertArrayEquals(new int[] {n}, flat.shape());
    assertArrayEquals(a.model().values(), flat.toDoubleArray());
    assertClose("reshape back", flat.reshape(shape), a.model(), 0, 0);
    if (a.array().isContiguous()) {
      assertTrue(flat.sharesStorage(a.array()), "contiguous arrays reshape without copying");
    }
  }

  @Property(tries = 200)
  void broadcastingAgreesWithExplicitExpand(
      @ForAll("pairs") int[][] shapes, @ForAll Layout la, @ForAll Layout lb, @ForAll long seed) {
    Sample a = Samples.sample(DType.FLOAT32, shapes[0], la, seed, -5, 5);
    Sample b = Samples.sample(DType.FLOAT32, shapes[1], lb, seed + 3, -5, 5);
    int[] s = Shapes.broadcast("test", shapes[0], shapes[1]);
    NDArray implicit = a.array().mul(b.array());
    NDArray explicit = a.array().expand(s).clone().mul(b.array().broadcastTo(s).clone());
    assertArrayEquals(explicit.toFloatArray(), implicit.toFloatArray());
    assertTrue(b.array().broadcastTo(s).sharesStorage(b.array()));
    assertArrayEquals(s, implicit.shape());
  }

  @Property(tries = 200)
  void sliceNarrowSelectMatchTheReference(
      @ForAll("nonScalarShapes") int[] shape,
      @ForAll Layout layout,
      @ForAll int dimSeed,
      @ForAll int startSeed,
      @ForAll int stepSeed,
      @ForAll long seed) {
    Sample a = Samples.sample(DType.FLOAT64, shape, layout, seed, -5, 5);
    int dim = Math.floorMod(dimSeed, shape.length);
    int size = shape[dim];
    int start = size == 0 ? 0 : Math.floorMod(startSeed, size);
    int step = 1 + Math.floorMod(stepSeed, 3);
    NDArray sliced = a.array().slice(dim, start, size, step);
    int len = size == 0 ? 0 : (size - start + step - 1) / step;
    int[] s = shape.clone();
    s[dim] = len;
    double[] v = new double[Model.numel(s)];
    for (int f = 0; f < v.length; f++) {
      int[] idx = Model.unflat(s, f);
      idx[dim] = start + idx[dim] * step;
      v[f] = a.model().get(idx);
    }
    assertClose("slice", sliced, Model.of(s, v), 0, 0);
    if (size > 0) {
      NDArray selected = a.array().select(dim, start);
      int[] sel = Model.dropDims(shape, ReductionProperties.reduced(shape.length, new int[] {dim}));
      double[] w = new double[Model.numel(sel)];
      for (int f = 0; f < w.length; f++) {
        int[] idx = Model.unflat(shape.clone(), 0);
        int[] small = Model.unflat(sel, f);
        for (int d = 0, k = 0; d < shape.length; d++) {
          idx[d] = d == dim ? start : small[k++];
        }
        w[f] = a.model().get(idx);
      }
      assertClose("select", selected, Model.of(sel, w), 0, 0);
      assertClose(
          "narrow",
          a.array().narrow(dim, start, size - start),
          Model.of(
              a.array().slice(dim, start, size).shape(),
              a.array().slice(dim, start, size).toDoubleArray()),
          0,
          0);
    }
  }

  @Property(tries = 150)
  void catThenNarrowGivesThePartsBack(
      @ForAll("nonScalarShapes") int[] shape, @ForAll int dimSeed, @ForAll long seed) {
    int dim = Math.floorMod(dimSeed, shape.length);
    Sample a = Samples.sample(DType.FLOAT32, shape, Layout.CONTIGUOUS, seed, -5, 5);
    int[] other = shape.clone();
    other[dim] = 2;
    Sample b = Samples.sample(DType.FLOAT32, other, Layout.TRANSPOSED, seed + 1, -5, 5);
    NDArray c = NDArray.cat(dim, a.array(), b.array());
    assertEquals(shape[dim] + 2, c.shape(dim));
    assertClose("first part", c.narrow(dim, 0, shape[dim]), a.model(), 0, 0);
    assertClose("second part", c.narrow(dim, shape[dim], 2), b.model(), 0, 0);
    NDArray s = NDArray.stack(0, a.array(), a.array());
    assertClose("stacked", s.select(0, 1), a.model(), 0, 0);
  }

  @Property(tries = 100)
  void squeezeUnsqueezeAndFlattenKeepTheValues(
      @ForAll("shapes") int[] shape, @ForAll Layout layout, @ForAll long seed) {
    Sample a = Samples.sample(DType.FLOAT32, shape, layout, seed, -5, 5);
    NDArray u = a.array().unsqueeze(0).unsqueeze(-1);
    assertEquals(shape.length + 2, u.rank());
    assertClose("squeeze(0).squeeze(-1)", u.squeeze(0).squeeze(-1), a.model(), 0, 0);
    assertArrayEquals(a.model().values(), a.array().flatten().toDoubleArray());
    for (int s : a.array().squeeze().shape()) {
      assertFalse(s == 1);
    }
  }

  /** Ints near the edges of the int range as well as small ones, for bounds, lengths and steps. */
  @Provide
  Arbitrary<Integer> extremeInts() {
    return net.jqwik.api.Arbitraries.oneOf(
        net.jqwik.api.Arbitraries.integers().between(-25, 25),
        net.jqwik.api.Arbitraries.integers().between(Integer.MAX_VALUE - 20, Integer.MAX_VALUE),
        net.jqwik.api.Arbitraries.integers().between(Integer.MIN_VALUE, Integer.MIN_VALUE + 20));
  }

  /** A Python slice bound, in long arithmetic: negative counts from the end, clamped to [0, n]. */
  static long pythonBound(long i, long n) {
    long j = i < 0 ? i + n : i;
    return Math.max(0, Math.min(n, j));
  }

  @Property(tries = 300)
  void slicesWithBoundsAndStepsAtTheEdgesOfIntAreLikePython(
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 20) int size,
      @ForAll("extremeInts") int start,
      @ForAll("extremeInts") int end,
      @ForAll("extremeInts") int step) {
    NDArray a = NDArray.arange(size);
    if (step <= 0) {
      org.junit.jupiter.api.Assertions.assertThrows(
          IllegalArgumentException.class, () -> a.slice(0, start, end, step));
      return;
    }
    // Python: len(range(10)[start:end:step]), computed without overflow.
    long from = pythonBound(start, size);
    long to = pythonBound(end, size);
    int len = (int) (to > from ? (to - from + step - 1) / step : 0);
    NDArray sliced = a.slice(0, start, end, step);
    assertArrayEquals(
        new int[] {len}, sliced.shape(), "slice(0, " + start + ", " + end + ", " + step + ")");
    for (int i = 0; i < len; i++) {
      assertEquals(from + (long) i * step, (long) sliced.getDouble(i));
    }
  }

  @Property(tries = 300)
  void narrowRefusesEveryRangeOutsideTheDim(
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 20) int size,
      @ForAll("extremeInts") int start,
      @ForAll("extremeInts") int length) {
    NDArray a = NDArray.arange(size);
    long from = start < 0 ? (long) start + size : start;
    boolean fits = from >= 0 && length >= 0 && from + length <= size;
    if (fits) {
      NDArray n = a.narrow(0, start, length);
      assertArrayEquals(new int[] {length}, n.shape());
      for (int i = 0; i < length; i++) {
        assertEquals(from + i, (long) n.getDouble(i));
      }
    } else {
      ErrorProperties.assertMessage(
          IndexOutOfBoundsException.class,
          () -> a.narrow(0, start, length),
          "narrow",
          "size " + size);
    }
  }

  @Test
  void flattenChecksItsDimsOnAZeroDimArrayToo() {
    NDArray scalar = NDArray.scalar(DType.FLOAT32, 7);
    assertArrayEquals(new int[] {1}, scalar.flatten(0, -1).shape());
    assertArrayEquals(new int[] {1}, scalar.flatten(-1, 0).shape());
    ErrorProperties.assertMessage(
        IndexOutOfBoundsException.class, () -> scalar.flatten(-1, 1), "flatten", "dim 1");
    ErrorProperties.assertMessage(
        IndexOutOfBoundsException.class, () -> scalar.flatten(-2, 0), "flatten", "dim -2");
  }

  /**
   * The model's elements with index {@code from <= i < from + len} along {@code dim}, read by index
   * arithmetic (not by a view).
   */
  static Model part(Model m, int dim, int from, int len) {
    int[] s = m.shape().clone();
    s[dim] = len;
    double[] v = new double[Model.numel(s)];
    for (int f = 0; f < v.length; f++) {
      int[] idx = Model.unflat(s, f);
      idx[dim] += from;
      v[f] = m.get(idx);
    }
    return Model.of(s, v);
  }

  /** Checks that the pieces are views of a's storage with the expected sizes and elements. */
  static void assertPieces(
      String what, Sample a, int dim, java.util.List<NDArray> pieces, int[] sizes) {
    assertEquals(sizes.length, pieces.size(), what + ": number of pieces");
    int at = 0;
    for (int i = 0; i < sizes.length; i++) {
      NDArray p = pieces.get(i);
      assertTrue(p.sharesStorage(a.array()), what + ": piece " + i + " is a copy");
      assertClose(what + " piece " + i, p, part(a.model(), dim, at, sizes[i]), 0, 0);
      at += sizes[i];
    }
  }

  @Property(tries = 150)
  void splitAndChunkAreViewsOfConsecutiveParts(
      @ForAll("nonScalarShapes") int[] shape,
      @ForAll Layout layout,
      @ForAll int dimSeed,
      @ForAll int sizeSeed,
      @ForAll long seed) {
    Sample a = Samples.sample(DType.FLOAT32, shape, layout, seed, -5, 5);
    int dim = Math.floorMod(dimSeed, shape.length);
    int n = shape[dim];
    // split(size): ⌊n / size⌋ full pieces and the remainder, or one empty piece when n = 0
    int size = 1 + Math.floorMod(sizeSeed, 6);
    int full = n / size;
    int rest = n % size;
    int[] sizes = new int[n == 0 ? 1 : full + (rest > 0 ? 1 : 0)];
    java.util.Arrays.fill(sizes, 0, Math.min(full, sizes.length), size);
    if (rest > 0) {
      sizes[full] = rest;
    }
    assertPieces("split(" + size + ")", a, dim, a.array().split(size, dim - shape.length), sizes);
    // split(sizes): the given sizes, here n cut at a point
    int cut = n == 0 ? 0 : Math.floorMod(sizeSeed, n + 1);
    int[] two = {cut, n - cut};
    assertPieces("split(sizes)", a, dim, a.array().split(two, dim), two);
    // chunk(c): pieces of ⌈n / c⌉, as many as it takes (c empty pieces when n = 0)
    int chunks = 1 + Math.floorMod(sizeSeed >>> 8, 5);
    int[] chunkSizes;
    if (n == 0) {
      chunkSizes = new int[chunks];
    } else {
      int each = (n + chunks - 1) / chunks;
      chunkSizes = new int[(n + each - 1) / each];
      for (int i = 0; i < chunkSizes.length; i++) {
        chunkSizes[i] = Math.min(each, n - i * each);
      }
    }
    assertPieces("chunk(" + chunks + ")", a, dim, a.array().chunk(chunks, dim), chunkSizes);
  }

  @org.junit.jupiter.api.Test
  void splitAndChunkRefuseBadSizesNamingTheShape() {
    NDArray x = NDArray.zeros(5, 4);
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> x.split(new int[] {2, 2}, 0));
    assertEquals(
        "split: sizes [2, 2] add up to 4, but dim 0 of shape [5, 4] has size 5", e.getMessage());
    e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> x.split(0, 1));
    assertEquals("split: size must be positive, got 0 for shape [5, 4]", e.getMessage());
    e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> x.chunk(0, 1));
    assertTrue(e.getMessage().startsWith("chunk: the number of chunks must be positive"));
    org.junit.jupiter.api.Assertions.assertThrows(
        IndexOutOfBoundsException.class, () -> x.chunk(2, 2));
  }
}
