package dev.jgrad.testkit;

import static dev.jgrad.testkit.ShapesProperties.draw;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.DType;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Tensors}: every drawn array has the dtype and a shape within the bounds asked for, values
 * within [min, max], and is the kind of view it claims (checked on its strides and offset); every
 * kind is drawn; the same seed gives the same array.
 */
class TensorsProperties {
  static final double MIN = -3.5;
  static final double MAX = 2.25;

  @Provide
  Arbitrary<TensorSample> samples() {
    return Arbitraries.of(DType.class)
        .flatMap(dtype -> Tensors.of(dtype, Shapes.shapes(0, 4, 5), MIN, MAX));
  }

  @Property(tries = 300)
  void aSampleHasItsDtypeShapeBoundsAndViewKind(@ForAll("samples") TensorSample s) {
    int[] shape = s.shape();
    assertTrue(shape.length <= 4 && Arrays.stream(shape).allMatch(v -> v <= 5), s.toString());
    for (double v : s.array().toDoubleArray()) {
      assertTrue(v >= MIN && v <= MAX, v + " in " + s);
      if (s.dtype() == DType.INT32) {
        assertEquals(Math.rint(v), v, s.toString());
      }
    }
    assertTrue(s.toString().startsWith(s.view() + " " + s.dtype() + " "), s.toString());
    int[] strides = s.array().strides();
    // Views of empty arrays, or along dims of size 1, may be contiguous all the same.
    boolean filled = s.array().numel() > 0;
    boolean wide = filled && Arrays.stream(shape).filter(v -> v >= 2).count() >= 1;
    boolean twoWide = filled && Arrays.stream(shape).filter(v -> v >= 2).count() >= 2;
    switch (s.view()) {
      case CONTIGUOUS -> {
        assertTrue(s.array().isContiguous(), s.toString());
        assertEquals(0, s.array().offset(), s.toString());
      }
      case TRANSPOSED -> {
        assertTrue(shape.length >= 2, s.toString());
        if (twoWide) {
          assertFalse(s.array().isContiguous(), s.toString());
        }
      }
      case SLICED -> {
        assertTrue(shape.length >= 1, s.toString());
        if (wide) {
          assertFalse(s.array().isContiguous(), s.toString());
        }
      }
      case EXPANDED -> {
        boolean stretched = false;
        for (int d = 0; d < shape.length; d++) {
          stretched |= strides[d] == 0 && shape[d] != 1;
        }
        assertTrue(stretched, "a dim of size other than 1 has stride 0: " + s);
      }
      case OFFSET -> {
        if (filled) {
          assertTrue(s.array().offset() > 0, s.toString());
          assertTrue(s.array().isContiguous(), s.toString());
        }
      }
    }
  }

  @Example
  void everyKindIsDrawnAndKindsFallBackOnlyWhereTheShapeCannotTakeThem() {
    List<TensorSample> drawn =
        draw(Tensors.of(DType.FLOAT32, Shapes.shapes(0, 3, 4), -1, 1), 11, 400);
    Set<ViewKind> kinds = drawn.stream().map(TensorSample::view).collect(Collectors.toSet());
    assertEquals(EnumSet.allOf(ViewKind.class), kinds);
    for (ViewKind kind : ViewKind.values()) {
      for (TensorSample s :
          draw(Tensors.of(DType.FLOAT64, Shapes.shapes(2, 3, 4), -1, 1, kind), 3, 50)) {
        boolean wide = Arrays.stream(s.shape()).anyMatch(v -> v != 1);
        if (kind != ViewKind.EXPANDED || wide) {
          assertEquals(kind, s.view(), s.toString());
        } else {
          assertEquals(ViewKind.CONTIGUOUS, s.view(), s.toString());
        }
      }
    }
  }

  @Property(tries = 40)
  void theSameSeedGivesTheSameArrayAndAnotherSeedOtherValues(
      @ForAll("kinds") ViewKind kind, @ForAll long seed) {
    int[] shape = {3, 4};
    TensorSample a = Tensors.sample(DType.FLOAT64, shape, kind, -1, 1, seed);
    TensorSample b = Tensors.sample(DType.FLOAT64, shape, kind, -1, 1, seed);
    TensorSample c = Tensors.sample(DType.FLOAT64, shape, kind, -1, 1, seed + 1);
    assertArrayEquals(a.array().toDoubleArray(), b.array().toDoubleArray());
    assertArrayEquals(a.array().strides(), b.array().strides());
    assertEquals(a.toString(), b.toString());
    assertNotEquals(
        Arrays.toString(a.array().toDoubleArray()), Arrays.toString(c.array().toDoubleArray()));
  }

  @Provide
  Arbitrary<ViewKind> kinds() {
    return Arbitraries.of(ViewKind.class);
  }

  @Example
  void leavesAreFloat64AndNeverExpanded() {
    for (TensorSample s : draw(Tensors.leaves(Shapes.shapes(0, 3, 4), -1, 1), 5, 200)) {
      assertEquals(DType.FLOAT64, s.dtype());
      assertNotEquals(ViewKind.EXPANDED, s.view());
      assertTrue(s.leaf().requiresGrad() && s.leaf().isLeaf());
      assertTrue(s.leaf().data().sharesStorage(s.array()), "no copy");
    }
  }

  @Example
  void narrowBoundsKeepToTheDtype() {
    // 0.1 and 0.3 are not floats: the values are floats within [0.1, 0.3] all the same.
    TensorSample f = Tensors.sample(DType.FLOAT32, new int[] {500}, ViewKind.SLICED, 0.1, 0.3, 1);
    for (double v : f.array().toDoubleArray()) {
      assertTrue(v >= 0.1 && v <= 0.3, String.valueOf(v));
    }
    TensorSample i = Tensors.sample(DType.INT32, new int[] {200}, ViewKind.OFFSET, -1.5, 1.5, 2);
    Set<Double> values =
        Arrays.stream(i.array().toDoubleArray()).boxed().collect(Collectors.toSet());
    assertEquals(Set.of(-1.0, 0.0, 1.0), values);
  }

  @Example
  void badArgumentsAreRefused() {
    int[] s = {2, 3};
    assertThrows(
        IllegalArgumentException.class,
        () -> Tensors.sample(DType.FLOAT64, s, ViewKind.SLICED, 1, 0, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> Tensors.sample(DType.FLOAT64, s, ViewKind.SLICED, Double.NaN, 0, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> Tensors.sample(DType.INT32, s, ViewKind.SLICED, 0.2, 0.8, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> Tensors.sample(DType.FLOAT32, s, ViewKind.SLICED, 1e-50, 1e-50, 0));
    assertThrows(
        IllegalArgumentException.class, () -> Tensors.sample(null, s, ViewKind.SLICED, 0, 1, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> Tensors.sample(DType.FLOAT64, new int[] {2, -1}, ViewKind.SLICED, 0, 1, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> Tensors.of(DType.FLOAT64, Shapes.shapes(0, 1, 1), 0, 1, new ViewKind[0]));
    assertThrows(IllegalArgumentException.class, () -> Tensors.of(DType.FLOAT64, null, 0, 1));
  }
}
