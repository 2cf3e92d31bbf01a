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
import org.junit.jupiter.api.function.Executable;

/**
 * {@link F}'s short overloads and edge cases (issue #14, mutation testing): convolution, transposed
 * convolution and pooling overloads on hand-worked values; the losses' shape checks (no silent
 * broadcasting); cross-entropy's label smoothing at its bounds and with a −∞ logit; its empty
 * batch; out-of-range targets; dropout2d's range of p; embedding's negative padding index and its
 * bounds; conv1d's rank checks on both paddings; and the bounds of padding="same".
 */
class FunctionalEdgesTest {

  static Tensor image(int h, int w) {
    float[] v = new float[h * w];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    return new Tensor(NDArray.fromArray(v, 1, 1, h, w));
  }

  static float[] floats(Tensor t) {
    return t.data().toFloatArray();
  }

  @Test
  void convolutionAndPoolingOverloadsGiveHandWorkedValues() {
    // ones ⊛ ones 2x2 + 0.5: every output is 4 + 0.5
    Tensor y = F.conv2d(Tensor.ones(1, 1, 3, 3), Tensor.ones(1, 1, 2, 2), Tensor.of(0.5f));
    assertArrayEquals(new int[] {1, 1, 2, 2}, y.shape());
    assertArrayEquals(new float[] {4.5f, 4.5f, 4.5f, 4.5f}, floats(y));
    // [1, 2, 3, 4, 5] padded by 1 at each end, kernel ones(3), stride 2: 0+1+2, 2+3+4, 4+5+0
    Tensor signal = Tensor.of(1, 2, 3, 4, 5).reshape(1, 1, 5);
    assertArrayEquals(
        new float[] {3, 9, 9}, floats(F.conv1d(signal, Tensor.ones(1, 1, 3), null, 2, 1)));
    // transposed convolution of [[1, 2], [3, 4]] with ones 2x2: each input spreads over 2x2
    Tensor x = Tensor.of(1, 2, 3, 4).reshape(1, 1, 2, 2);
    assertArrayEquals(
        new float[] {1, 3, 2, 4, 10, 6, 3, 7, 4},
        floats(F.convTranspose2d(x, Tensor.ones(1, 1, 2, 2), null)));
    // stride 2: the 2x2 blocks do not overlap
    Tensor up =
        F.convTranspose2d(
            x,
            Tensor.ones(1, 1, 2, 2),
            null,
            new int[] {2},
            new int[] {0},
            new int[] {0},
            1,
            new int[] {1});
    assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, floats(up));
    // 2x2 windows of 0..15 (rows of 4): maxima 5, 7, 13, 15 and means 2.5, 4.5, 10.5, 12.5
    Tensor grid = image(4, 4);
    assertArrayEquals(
        new float[] {5, 7, 13, 15},
        floats(F.maxPool2d(grid, new int[] {2}, null, new int[] {0}, new int[] {1}, false)));
    assertArrayEquals(
        new float[] {2.5f, 4.5f, 10.5f, 12.5f},
        floats(F.avgPool2d(grid, new int[] {2}, null, new int[] {0}, false, true)));
  }

  static String error(Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }

  @Test
  void lossesRefuseShapesThatWouldOnlyBroadcast() {
    Tensor input = Tensor.zeros(2, 3).add(0.5);
    Tensor target = Tensor.zeros(3);
    String m = error(() -> F.l1Loss(input, target));
    assertTrue(m.contains("l1Loss: input shape [2, 3] and target shape [3] differ"), m);
    m = error(() -> F.binaryCrossEntropy(input, target));
    assertTrue(m.contains("binaryCrossEntropy: input shape [2, 3] and target shape [3]"), m);
    m = error(() -> F.binaryCrossEntropyWithLogits(input, target));
    assertTrue(m.contains("binaryCrossEntropyWithLogits: input shape [2, 3]"), m);
  }

  static double logSumExp(double... x) {
    double s = 0;
    for (double v : x) {
      s += Math.exp(v);
    }
    return Math.log(s);
  }

  @Test
  void labelSmoothingOfOneIsTheMeanOverClassesAndOutOfRangeIsRefused() {
    Tensor logits = Tensor.of(new float[][] {{1, 2, 3}});
    Tensor target = Tensor.ofInts(0);
    double lse = logSumExp(1, 2, 3);
    // smoothing 1: −mean_c log p_c = lse − mean(logits) = lse − 2
    Tensor all = F.crossEntropy(logits, target, Reduction.MEAN, 1, -100);
    assertEquals(lse - 2, all.item(), 1e-6);
    Tensor half = F.crossEntropy(logits, target, Reduction.MEAN, 0.5, -100);
    assertEquals(0.5 * (lse - 1) + 0.5 * (lse - 2), half.item(), 1e-6);
    for (double s : new double[] {-0.1, 1.1, Double.NaN}) {
      String m = error(() -> F.crossEntropy(logits, target, Reduction.MEAN, s, -100));
      assertTrue(m.contains("labelSmoothing must be in [0, 1]"), m);
    }
  }

  @Test
  void aMinusInfinityLogitLeavesAnUnsmoothedLossFinite() {
    // PyTorch: F.cross_entropy([[0, -inf, 1]], [2]) = log(1 + e) − 1, finite; the smoothing term
    // (the mean of all log-probabilities) is −∞ and must not enter when smoothing is 0
    Tensor logits = Tensor.of(new float[][] {{0, Float.NEGATIVE_INFINITY, 1}});
    Tensor loss = F.crossEntropy(logits, Tensor.ofInts(2), Reduction.MEAN, 0, -100);
    assertEquals(Math.log(1 + Math.E) - 1, loss.item(), 1e-6);
  }

  @Test
  void anEmptyBatchNeedsNoClassesButAFilledOneDoes() {
    Tensor none = Tensor.zeros(0, 0);
    Tensor targets = new Tensor(NDArray.fromArray(new int[0], 0));
    assertEquals(0, F.crossEntropy(none, targets, Reduction.SUM, 0, -100).item());
    assertEquals(0, F.nllLoss(none, targets, Reduction.SUM, -100).item());
    String m = error(() -> F.crossEntropy(Tensor.zeros(2, 0), Tensor.ofInts(0, 0)));
    assertTrue(m.contains("has no classes"), m);
  }

  @Test
  void classificationShapesAndTargetsAreChecked() {
    Tensor logits = Tensor.zeros(2, 3);
    String m = error(() -> F.crossEntropy(logits, Tensor.ofInts(0, 1, 2)));
    assertTrue(m.contains("expected input [N, C] and targets [N], got [2, 3] and [3]"), m);
    m = error(() -> F.nllLoss(Tensor.zeros(3), Tensor.ofInts(0, 1, 2)));
    assertTrue(m.contains("expected input [N, C] and targets [N], got [3] and [3]"), m);
    m = error(() -> F.nllLoss(logits, Tensor.ofInts(0, 1).reshape(2, 1)));
    assertTrue(m.contains("got [2, 3] and [2, 1]"), m);
    for (int bad : new int[] {-1, 3}) {
      IndexOutOfBoundsException e =
          assertThrows(
              IndexOutOfBoundsException.class, () -> F.crossEntropy(logits, Tensor.ofInts(0, bad)));
      assertTrue(
          e.getMessage().contains("target " + bad + " at row 1 is out of range for 3 classes"),
          e.getMessage());
    }
  }

  @Test
  void dropout2dTakesPFromZeroBelowOne() {
    Tensor x = Tensor.ones(1, 2, 2, 2);
    assertSame(x, F.dropout2d(x, 0, true, new Generator(1)));
    for (double p : new double[] {1, -0.1, Double.NaN}) {
      String m = error(() -> F.dropout2d(x, p, true, new Generator(1)));
      assertTrue(m.contains("p must be in [0, 1)"), m);
    }
  }

  @Test
  void aNegativePaddingIndexCountsFromTheEnd() {
    Tensor weight = Tensor.of(new float[][] {{1, 2}, {3, 4}, {5, 6}}).requiresGrad(true);
    Tensor ids = Tensor.ofInts(0, 2, 2);
    Tensor y = F.embedding(ids, weight, -1); // row 2 is padding
    assertArrayEquals(new float[] {1, 2, 5, 6, 5, 6}, floats(y));
    y.sum().backward();
    assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0}, floats(weight.grad()));
    // −3 is row 0; 3 and −4 are no rows of a [3, 2] weight
    Tensor first = weight.detach().requiresGrad(true);
    F.embedding(ids, first, -3).sum().backward();
    assertArrayEquals(new float[] {0, 0, 0, 0, 2, 2}, floats(first.grad()));
    for (int bad : new int[] {3, -4}) {
      String m = error(() -> F.embedding(ids, weight, bad));
      assertTrue(m.contains("paddingIdx " + bad + " is not a row"), m);
    }
    String m = error(() -> F.embedding(ids, Tensor.ones(3)));
    assertTrue(m.contains("the weight must be [numEmbeddings, embeddingDim], got shape [3]"), m);
  }

  @Test
  void conv1dNamesRankErrorsOnBothPaddings() {
    Tensor x = Tensor.zeros(1, 2, 5);
    Tensor w = Tensor.zeros(3, 2, 2);
    String expected = "conv1d: expected a 3-D input [N, C, L] and a 3-D weight";
    String m = error(() -> F.conv1d(null, w, null, 1, 0, 1, 1));
    assertTrue(m.startsWith(expected) && m.contains("shapes null and [3, 2, 2]"), m);
    m = error(() -> F.conv1d(x, null, null, 1, 0, 1, 1));
    assertTrue(m.startsWith(expected) && m.contains("shapes [1, 2, 5] and null"), m);
    m = error(() -> F.conv1d(x.unsqueeze(0), w, null, 1, 0, 1, 1));
    assertTrue(m.startsWith(expected) && m.contains("[1, 1, 2, 5]"), m);
    m = error(() -> F.conv1d(x, w.reshape(3, 4), null, 1, 0, 1, 1));
    assertTrue(m.startsWith(expected) && m.contains("[3, 4]"), m);
    m = error(() -> F.conv1d(x, w.reshape(3, 4), null, 1, "same", 1, 1));
    assertTrue(m.startsWith(expected) && m.contains("[3, 4]"), m);
    m = error(() -> F.conv1d(x.reshape(2, 5), w, null, 1, "valid", 1, 1));
    assertTrue(m.startsWith(expected) && m.contains("[2, 5]"), m);
  }

  @Test
  void samePaddingNeedsOneOrTwoDilationsAndAFittingTotal() {
    Tensor x = Tensor.zeros(1, 1, 4, 4);
    Tensor w = Tensor.zeros(1, 1, 3, 3);
    String m = error(() -> F.conv2d(x, w, null, new int[] {1}, "same", new int[] {1, 1, 1}, 1));
    assertTrue(m.contains("a dilation of 1 or 2 values"), m);
    m = error(() -> F.conv2d(x, w, null, new int[] {1}, "same", new int[0], 1));
    assertTrue(m.contains("a dilation of 1 or 2 values"), m);
    // d·(k − 1) = 2³⁰·2 = 2³¹ does not fit an int
    m = error(() -> F.conv2d(x, w, null, new int[] {1}, "same", new int[] {1 << 30}, 1));
    assertTrue(m.contains("is too large"), m);
    // a missing or non-4-D weight is named by conv2d itself before any padding is worked out
    m = error(() -> F.conv2d(x, null, null, new int[] {1}, "same", new int[] {1}, 1));
    assertTrue(m.startsWith("conv2d"), m);
    m =
        error(
            () ->
                F.conv2d(x, Tensor.zeros(1, 1, 3), null, new int[] {1}, "same", new int[] {1}, 1));
    assertTrue(m.startsWith("conv2d") && m.contains("[1, 1, 3]"), m);
    m = error(() -> F.conv2d(x, w, null, new int[] {2}, "same", new int[] {1}, 1));
    assertTrue(m.contains("not supported for strided convolutions"), m);
    // "same" keeps the size, "valid" pads nothing: 4 − 3 + 1 = 2
    assertArrayEquals(
        new int[] {1, 1, 4, 4},
        F.conv2d(x, w, null, new int[] {1}, "same", new int[] {1}, 1).shape());
    assertArrayEquals(
        new int[] {1, 1, 2, 2},
        F.conv2d(x, w, null, new int[] {1}, "valid", new int[] {1}, 1).shape());
  }
}
