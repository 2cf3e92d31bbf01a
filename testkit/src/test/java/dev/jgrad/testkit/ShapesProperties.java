package dev.jgrad.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link Shapes} and {@link BroadcastPair}: drawn shapes keep to their bounds and include sizes 0
 * and 1; drawn pairs broadcast (as NDArray's own broadcasting says) to the shape {@code result()}
 * states. Arbitraries are sampled through their generators with a seeded {@link Random}, so each
 * run sees the same samples.
 */
class ShapesProperties {

  static <T> List<T> draw(Arbitrary<T> arbitrary, long seed, int count) {
    RandomGenerator<T> generator = arbitrary.generator(1000);
    Random random = new Random(seed);
    List<T> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(generator.next(random).value());
    }
    return out;
  }

  @Property(tries = 30)
  void shapesKeepToTheirBounds(
      @ForAll @IntRange(min = 0, max = 3) int minRank,
      @ForAll @IntRange(min = 0, max = 3) int extraRank,
      @ForAll @IntRange(min = 0, max = 9) int maxSize,
      @ForAll long seed) {
    int maxRank = minRank + extraRank;
    for (int[] s : draw(Shapes.shapes(minRank, maxRank, maxSize), seed, 50)) {
      assertTrue(s.length >= minRank && s.length <= maxRank, Arrays.toString(s));
      for (int size : s) {
        assertTrue(size >= 0 && size <= maxSize, Arrays.toString(s));
      }
    }
  }

  @Example
  void shapesIncludeZerosOnesTheLargestSizeAndEveryRank() {
    List<int[]> shapes = draw(Shapes.shapes(1, 4, 7), 42, 400);
    assertTrue(shapes.stream().anyMatch(s -> Arrays.stream(s).anyMatch(v -> v == 0)), "a 0");
    assertTrue(shapes.stream().anyMatch(s -> Arrays.stream(s).anyMatch(v -> v == 1)), "a 1");
    assertTrue(shapes.stream().anyMatch(s -> Arrays.stream(s).anyMatch(v -> v == 7)), "a 7");
    for (int rank = 1; rank <= 4; rank++) {
      int r = rank;
      assertTrue(shapes.stream().anyMatch(s -> s.length == r), "rank " + r);
    }
  }

  @Property(tries = 20)
  void aLimitOnElementsIsKept(
      @ForAll @IntRange(min = 1, max = 500) int maxNumel, @ForAll long seed) {
    for (int[] s : draw(Shapes.shapes(0, 5, 20, maxNumel), seed, 30)) {
      assertTrue(Shapes.numel(s) <= maxNumel, Arrays.toString(s) + " over " + maxNumel);
      assertTrue(s.length <= 5 && Arrays.stream(s).allMatch(v -> v >= 0 && v <= 20));
    }
  }

  @Example
  void badBoundsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Shapes.shapes(-1, 2, 3));
    assertThrows(IllegalArgumentException.class, () -> Shapes.shapes(3, 2, 3));
    assertThrows(IllegalArgumentException.class, () -> Shapes.shapes(0, 2, -1));
    assertThrows(IllegalArgumentException.class, () -> Shapes.shapes(0, 9, 1000));
    assertThrows(IllegalArgumentException.class, () -> Shapes.shapes(0, 9, 1000, 0));
    assertThrows(IllegalArgumentException.class, () -> Shapes.broadcastPairs(2, 1, 3));
  }

  @Property(tries = 30)
  void broadcastPairsBroadcastToTheirResult(
      @ForAll @IntRange(min = 0, max = 4) int maxRank,
      @ForAll @IntRange(min = 0, max = 5) int maxSize,
      @ForAll long seed) {
    for (BroadcastPair p : draw(Shapes.broadcastPairs(0, maxRank, maxSize), seed, 40)) {
      int[] sum = NDArray.zeros(p.left()).add(NDArray.zeros(p.right())).shape();
      assertArrayEquals(sum, p.result(), p.toString());
      assertTrue(p.left().length <= maxRank && p.right().length <= maxRank, p.toString());
      assertTrue(Arrays.stream(sum).allMatch(v -> v <= maxSize), p.toString());
    }
  }

  @Example
  void broadcastPairsIncludeDifferentRanksAndStretchedOnes() {
    List<BroadcastPair> pairs = draw(Shapes.broadcastPairs(1, 4, 5), 7, 300);
    assertTrue(pairs.stream().anyMatch(p -> p.left().length != p.right().length), "ranks differ");
    assertTrue(pairs.stream().anyMatch(p -> p.left().length < p.right().length), "left shorter");
    assertTrue(pairs.stream().anyMatch(p -> p.left().length > p.right().length), "right shorter");
    assertTrue(pairs.stream().anyMatch(ShapesProperties::stretchesA1), "a 1 against a size > 1");
  }

  /** Whether some aligned dim has 1 on one side and a size above 1 on the other. */
  static boolean stretchesA1(BroadcastPair p) {
    int[] a = p.left();
    int[] b = p.right();
    for (int k = 1; k <= Math.min(a.length, b.length); k++) {
      int x = a[a.length - k];
      int y = b[b.length - k];
      if ((x == 1 && y > 1) || (y == 1 && x > 1)) {
        return true;
      }
    }
    return false;
  }

  @Example
  void aPairStatesItsResultAndRefusesShapesThatDoNotBroadcast() {
    BroadcastPair p = new BroadcastPair(new int[] {2, 1, 3}, new int[] {4, 3});
    assertArrayEquals(new int[] {2, 4, 3}, p.result());
    assertEquals("[2, 1, 3] with [4, 3] -> [2, 4, 3]", p.toString());
    assertEquals(p, new BroadcastPair(new int[] {2, 1, 3}, new int[] {4, 3}));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BroadcastPair(new int[] {2, 3}, new int[] {4, 3}));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 3]"));
    assertThrows(IllegalArgumentException.class, () -> new BroadcastPair(null, new int[] {1}));
  }
}
