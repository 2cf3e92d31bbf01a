package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;
import org.junit.jupiter.api.Test;

/** {@link Unflatten}, and {@link Flatten}'s PyTorch defaults (start 1, end −1) it inverts. */
class UnflattenTest {

  @Test
  void unflattenSplitsOneDimAndFlattenJoinsItBack() {
    Tensor pixels = Tensor.randn(new Generator(1), 6, 784);
    Tensor images = new Unflatten(1, 1, 28, 28).forward(pixels);
    assertArrayEquals(new int[] {6, 1, 28, 28}, images.shape());
    Tensor back = new Flatten().forward(images);
    assertArrayEquals(new int[] {6, 784}, back.shape());
    assertArrayEquals(pixels.data().toFloatArray(), back.data().toFloatArray());
    assertArrayEquals(new int[] {6, 2, 392}, new Unflatten(-1, 2, -1).forward(pixels).shape());
    assertArrayEquals(new int[] {2, 3, 784}, new Unflatten(0, 2, 3).forward(pixels).shape());
  }

  @Test
  void reprFollowsPyTorch() {
    assertEquals(
        "Unflatten(dim=1, unflattened_size=(1, 28, 28))", new Unflatten(1, 1, 28, 28).toString());
    assertEquals("Unflatten(dim=0, unflattened_size=(5,))", new Unflatten(0, 5).toString());
  }

  @Test
  void sizesThatDoNotFitAreRefused() {
    Tensor x = Tensor.zeros(3, 12);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Unflatten(1, 5, 2).forward(x));
    assertEquals(
        "Unflatten: sizes [5, 2] do not multiply to 12, the size of dim 1 of the input of shape"
            + " [3, 12]",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Unflatten(1, 5, -1).forward(x));
    IndexOutOfBoundsException d =
        assertThrows(IndexOutOfBoundsException.class, () -> new Unflatten(2, 3, 4).forward(x));
    assertEquals("Unflatten: dim 2 out of range for the input of shape [3, 12]", d.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Unflatten(1, -1, -1));
    assertThrows(IllegalArgumentException.class, () -> new Unflatten(1));
    assertThrows(IllegalArgumentException.class, () -> new Unflatten(1, -2, 3));
  }
}
