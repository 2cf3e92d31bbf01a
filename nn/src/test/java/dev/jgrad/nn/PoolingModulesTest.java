package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import org.junit.jupiter.api.Test;

/**
 * {@link MaxPool2d}, {@link AvgPool2d}, {@link AdaptiveAvgPool2d} (with {@code Pooling2d}) and the
 * pooling functions of {@link F}: their defaults against values worked out by hand, their reprs,
 * and gradients through a small convolution-free network. The kernels are checked in tensor's
 * {@code PoolingProperties}, the gradients in autograd's {@code PoolingGradProperties}.
 */
class PoolingModulesTest {

  /** A 1×1×4×4 image holding 0 … 15 row by row. */
  static Tensor grid() {
    return new Tensor(NDArray.arange(16).to(DType.FLOAT32).reshape(1, 1, 4, 4));
  }

  @Test
  void maxPoolDefaultsToAStrideOfTheKernelAndNoPadding() {
    assertArrayEquals(
        new float[] {5, 7, 13, 15}, new MaxPool2d(2).forward(grid()).data().toFloatArray());
    assertArrayEquals(new float[] {5, 7, 13, 15}, F.maxPool2d(grid(), 2).data().toFloatArray());
    // k = 3, s = 1: windows at rows/cols 0 and 1
    assertArrayEquals(
        new float[] {10, 11, 14, 15}, new MaxPool2d(3, 1).forward(grid()).data().toFloatArray());
    // padding 1, dilation 2, ceil mode: taps −1, 1, 3 → rows/cols {1, 3} for both outputs...
    MaxPool2d full =
        new MaxPool2d(new int[] {3}, new int[] {2}, new int[] {1}, new int[] {2}, true);
    Tensor y = full.forward(grid());
    assertArrayEquals(new int[] {1, 1, 2, 2}, y.shape());
    // output 0 taps −1, 1, 3; output 1 taps 1, 3, 5: both see rows and cols {1, 3}
    assertArrayEquals(new float[] {15, 15, 15, 15}, y.data().toFloatArray());
  }

  @Test
  void avgPoolCountsThePaddingByDefault() {
    int[] three = {3};
    int[] one = {1};
    Tensor ones = Tensor.ones(1, 1, 3, 3);
    float[] with = new AvgPool2d(three, one, one, false, true).forward(ones).data().toFloatArray();
    float[] without =
        new AvgPool2d(three, one, one, false, false).forward(ones).data().toFloatArray();
    assertEquals(4 / 9f, with[0], 1e-6); // a corner window covers 4 of its 9 positions
    assertEquals(1, with[4], 1e-6);
    assertEquals(1, without[0], 1e-6);
    assertArrayEquals(
        new float[] {2.5f, 4.5f, 10.5f, 12.5f},
        new AvgPool2d(2).forward(grid()).data().toFloatArray());
    assertArrayEquals(
        F.avgPool2d(grid(), 2).data().toFloatArray(),
        new AvgPool2d(2, 2).forward(grid()).data().toFloatArray());
  }

  @Test
  void adaptiveAvgPoolGivesTheRequestedPlane() {
    Tensor x = Tensor.randn(new Generator(4), 2, 3, 7, 5);
    Tensor one = new AdaptiveAvgPool2d(1).forward(x);
    assertArrayEquals(new int[] {2, 3, 1, 1}, one.shape());
    assertArrayEquals(
        x.mean(new int[] {2, 3}, true).data().toFloatArray(), one.data().toFloatArray(), 1e-6f);
    assertArrayEquals(new int[] {2, 3, 3, 2}, new AdaptiveAvgPool2d(3, 2).forward(x).shape());
    assertArrayEquals(new float[] {7.5f}, F.adaptiveAvgPool2d(grid(), 1, 1).data().toFloatArray());
  }

  @Test
  void reprFollowsPyTorch() {
    assertEquals(
        "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)",
        new MaxPool2d(2).toString());
    assertEquals(
        "MaxPool2d(kernel_size=(3, 2), stride=(2, 1), padding=1, dilation=1, ceil_mode=True)",
        new MaxPool2d(new int[] {3, 2}, new int[] {2, 1}, new int[] {1}, new int[] {1}, true)
            .toString());
    assertEquals("AvgPool2d(kernel_size=2, stride=1, padding=0)", new AvgPool2d(2, 1).toString());
    assertEquals("AdaptiveAvgPool2d(output_size=1)", new AdaptiveAvgPool2d(1).toString());
    assertEquals("AdaptiveAvgPool2d(output_size=(2, 3))", new AdaptiveAvgPool2d(2, 3).toString());
  }

  @Test
  void badArgumentsNameTheOpAndTheShape() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new MaxPool2d(5).forward(Tensor.zeros(1, 1, 4, 4)));
    assertEquals(
        "maxPool2d: kernel size [5, 5] with dilation [1, 1] is larger than the input of shape"
            + " [1, 1, 4, 4] padded by [0, 0] (output size [0, 0])",
        e.getMessage());
    IllegalArgumentException s =
        assertThrows(
            IllegalArgumentException.class,
            () -> new AvgPool2d(2, 0).forward(Tensor.zeros(1, 1, 4, 4)));
    assertEquals(
        "avgPool2d: stride must be positive, got [0] (input of shape [1, 1, 4, 4])",
        s.getMessage());
    IllegalArgumentException p =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new MaxPool2d(new int[] {2}, null, new int[] {2}, new int[] {1}, false)
                    .forward(Tensor.zeros(1, 1, 4, 4)));
    assertEquals(
        "maxPool2d: padding [2, 2] must be at most half of the kernel size [2, 2] (input of shape"
            + " [1, 1, 4, 4])",
        p.getMessage());
    IllegalArgumentException a =
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveAvgPool2d(0, 1));
    assertTrue(a.getMessage().startsWith("AdaptiveAvgPool2d: output size"), a.getMessage());
  }

  @Test
  void gradientsFlowThroughPoolingLayers() {
    Sequential net =
        new Sequential(new MaxPool2d(2), new AvgPool2d(2), new AdaptiveAvgPool2d(1), new Flatten());
    Tensor x = Tensor.randn(new Generator(5), 2, 3, 8, 8).requiresGrad(true);
    net.forward(x).sum().backward();
    float[] g = x.grad().data().toFloatArray();
    int nonZero = 0;
    for (float v : g) {
      if (v != 0) {
        nonZero++;
        assertEquals(1 / 16f, v, 1e-6f); // the one maximum of its window, in a mean of 2×2 then 2×2
      }
    }
    assertEquals(2 * 3 * 4 * 4, nonZero);
  }
}
