package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jgrad.tensor.DType;
import org.junit.jupiter.api.Test;

/**
 * Examples for {@code PoolingRules}: the names the ops record, gradients worked out by hand, and
 * errors naming the op and the shape. The gradient checks are {@code PoolingGradProperties}.
 */
class PoolingRulesTest {
  static final int[] ONE = {1};
  static final int[] ZERO = {0};
  static final int[] TWO = {2};

  static Tensor image(double[][] rows) {
    return Tensor.of(rows).reshape(1, 1, rows.length, rows[0].length).requiresGrad(true);
  }

  @Test
  void poolingsRecordTheirNames() {
    Tensor x = image(new double[][] {{1, 2, 3, 4}, {5, 6, 7, 8}});
    assertEquals("MaxPool2dBackward", x.maxPool2d(TWO, null, ZERO, ONE, false).gradFn().name());
    assertEquals("AvgPool2dBackward", x.avgPool2d(TWO, null, ZERO, false, true).gradFn().name());
    assertEquals("AdaptiveAvgPool2dBackward", x.adaptiveAvgPool2d(1, 3).gradFn().name());
    // with createGraph the gradient of an average pooling is its adjoint, recorded as an op
    Tensor y = x.avgPool2d(TWO, null, ZERO, false, true).square().sum();
    assertEquals("AvgPool2dAdjointBackward", Autograd.grad(y, x, true)[0].gradFn().name());
    Tensor z = x.adaptiveAvgPool2d(1, 1).square().sum();
    assertEquals("AdaptiveAvgPool2dAdjointBackward", Autograd.grad(z, x, true)[0].gradFn().name());
  }

  @Test
  void maxPoolSendsTheGradientToEachWindowsMaximumAndOverlapsAddUp() {
    Tensor x = image(new double[][] {{1, 9, 2}, {3, 4, 5}, {0, 8, 7}});
    IndexedValues pooled = x.maxPool2dWithIndices(TWO, ONE, ZERO, ONE, false);
    assertArrayEquals(new double[] {9, 9, 8, 8}, pooled.values().data().toDoubleArray());
    assertArrayEquals(new int[] {1, 1, 7, 7}, pooled.indices().data().toIntArray());
    assertFalse(pooled.indices().requiresGrad());
    pooled.values().sum().backward();
    assertArrayEquals(new double[] {0, 2, 0, 0, 0, 0, 0, 2, 0}, x.grad().data().toDoubleArray());
  }

  @Test
  void avgPoolSpreadsTheGradientOverEachWindow() {
    Tensor x = image(new double[][] {{1, 2, 3}, {4, 5, 6}});
    // k = 2, s = 1, padding 1 over W only, without the padding in the divisor
    Tensor y = x.avgPool2d(new int[] {2, 2}, ONE, new int[] {0, 1}, false, false);
    assertArrayEquals(new int[] {1, 1, 1, 4}, y.shape());
    assertArrayEquals(new double[] {2.5, 3, 4, 4.5}, y.data().toDoubleArray(), 1e-12);
    y.backward(Tensor.of(new double[] {2, 4, 8, 16}).reshape(1, 1, 1, 4));
    // column 0 lies in windows 0 (two elements: g/2) and 1 (four: g/4), and so on
    double c0 = 2 / 2.0 + 4 / 4.0;
    double c1 = 4 / 4.0 + 8 / 4.0;
    double c2 = 8 / 4.0 + 16 / 2.0;
    assertArrayEquals(
        new double[] {c0, c1, c2, c0, c1, c2}, x.grad().data().toDoubleArray(), 1e-12);
  }

  @Test
  void adaptiveAvgPoolToOneIsTheGlobalMean() {
    Tensor x =
        Tensor.randn(new dev.jgrad.tensor.Generator(3), DType.FLOAT64, 2, 3, 4, 5)
            .requiresGrad(true);
    Tensor y = x.adaptiveAvgPool2d(1, 1);
    assertArrayEquals(
        x.mean(new int[] {2, 3}, true).data().toDoubleArray(), y.data().toDoubleArray(), 1e-12);
    y.sum().backward();
    for (double v : x.grad().data().toDoubleArray()) {
      assertEquals(1 / 20.0, v, 1e-15);
    }
  }

  @Test
  void errorsNameTheOpAndTheShape() {
    Tensor flat = Tensor.zeros(4, 4).requiresGrad(true);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> flat.avgPool2d(TWO, null, ZERO, false, true));
    assertEquals(
        "avgPool2d: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape [4, 4]",
        e.getMessage());
    IllegalArgumentException f =
        assertThrows(IllegalArgumentException.class, () -> flat.adaptiveAvgPool2d(1, 1));
    assertEquals(
        "adaptiveAvgPool2d: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape [4, 4]",
        f.getMessage());
    Tensor small = Tensor.zeros(1, 2, 2);
    IllegalArgumentException g =
        assertThrows(
            IllegalArgumentException.class,
            () -> small.maxPool2d(new int[] {3}, null, ZERO, ONE, false));
    assertEquals(
        "maxPool2d: kernel size [3, 3] with dilation [1, 1] is larger than the input of shape"
            + " [1, 2, 2] padded by [0, 0] (output size [0, 0])",
        g.getMessage());
  }
}
