package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import org.junit.jupiter.api.Test;

/**
 * Options of the pooling modules and of {@link TransformerEncoderLayer} that the other tests leave
 * at their defaults (issue #14, mutation testing): an empty stride means the kernel size (as
 * PyTorch's {@code stride=None}), a null padding is kept and shown as {@code None} and refused when
 * the layer runs, the adaptive pool refuses a zero width or height by its own name, and the encoder
 * layer takes a feed-forward width of 1, refuses 0, exposes its attention and shows its options;
 * {@link RMSNorm#weight()} is its registered weight, starting at ones (PyTorch), or null.
 */
class PoolingAndEncoderOptionsTest {

  /** 0..15 in a 4x4 plane. */
  static Tensor grid() {
    float[] v = new float[16];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    return new Tensor(NDArray.fromArray(v, 1, 1, 4, 4));
  }

  @Test
  void anEmptyStrideIsTheKernelSize() {
    AvgPool2d avg = new AvgPool2d(new int[] {2}, new int[0], new int[] {0}, false, true);
    assertEquals("AvgPool2d(kernel_size=2, stride=2, padding=0)", avg.toString());
    // 2x2 windows, stride 2: the means of {0, 1, 4, 5}, {2, 3, 6, 7}, ...
    assertArrayEquals(
        new float[] {2.5f, 4.5f, 10.5f, 12.5f}, avg.forward(grid()).data().toFloatArray());
    MaxPool2d max = new MaxPool2d(new int[] {2}, new int[0], new int[] {0}, new int[] {1}, false);
    assertTrue(max.toString().contains("kernel_size=2, stride=2"), max.toString());
    assertArrayEquals(new float[] {5, 7, 13, 15}, max.forward(grid()).data().toFloatArray());
    MaxPool2d byNull = new MaxPool2d(new int[] {2, 1}, null, new int[] {0}, new int[] {1}, false);
    assertTrue(byNull.toString().contains("kernel_size=(2, 1), stride=(2, 1)"), byNull.toString());
  }

  @Test
  void aNullPaddingIsShownAsNoneAndRefusedWhenTheLayerRuns() {
    AvgPool2d avg = new AvgPool2d(new int[] {2}, null, null, false, true);
    assertEquals("AvgPool2d(kernel_size=2, stride=2, padding=None)", avg.toString());
    assertThrows(IllegalArgumentException.class, () -> avg.forward(grid()));
    MaxPool2d max = new MaxPool2d(null, null, new int[] {0}, new int[] {1}, false);
    assertTrue(max.toString().contains("kernel_size=None, stride=None"), max.toString());
    assertThrows(IllegalArgumentException.class, () -> max.forward(grid()));
  }

  @Test
  void anAdaptivePoolRefusesAnEmptyOutputByItsOwnName() {
    for (int[] size : new int[][] {{0, 2}, {2, 0}, {-1, -1}}) {
      String m =
          assertThrows(
                  IllegalArgumentException.class, () -> new AdaptiveAvgPool2d(size[0], size[1]))
              .getMessage();
      assertTrue(m.startsWith("AdaptiveAvgPool2d: output size must be positive"), m);
    }
    assertArrayEquals(
        new float[] {7.5f}, new AdaptiveAvgPool2d(1, 1).forward(grid()).data().toFloatArray());
  }

  @Test
  void anEncoderLayerTakesAFeedForwardWidthOfOneAndRefusesZero() {
    TransformerEncoderLayer narrow =
        new TransformerEncoderLayer(4, 2, 1, 0, "gelu", 1e-5, true, true, new Generator(1));
    assertArrayEquals(new int[] {1, 4}, narrow.namedParameters().get("linear1.weight").shape());
    Tensor x = new Tensor(NDArray.randn(new Generator(2), 2, 3, 4));
    assertArrayEquals(new int[] {2, 3, 4}, narrow.forward(x).shape());
    assertSame(narrow.children().get("self_attn"), narrow.selfAttn());
    String repr = narrow.toString();
    assertTrue(repr.contains("activation=gelu") && repr.contains("norm_first=true"), repr);
    String plain =
        new TransformerEncoderLayer(4, 2, 8, 0, "relu", 1e-5, true, false, new Generator(3))
            .toString();
    assertTrue(plain.contains("activation=relu") && plain.contains("norm_first=false"), plain);
    for (int width : new int[] {0, -3}) {
      String m =
          assertThrows(
                  IllegalArgumentException.class,
                  () ->
                      new TransformerEncoderLayer(
                          4, 2, width, 0, "relu", 1e-5, true, false, new Generator(1)))
              .getMessage();
      assertTrue(m.contains("dimFeedforward must be positive, got " + width), m);
    }
  }

  @Test
  void rmsNormExposesItsWeight() {
    RMSNorm norm = new RMSNorm(3);
    assertSame(norm.namedParameters().get("weight"), norm.weight());
    assertArrayEquals(new float[] {1, 1, 1}, norm.weight().data().toFloatArray());
    assertEquals(null, new RMSNorm(new int[] {3}, null, false).weight());
  }
}
