package dev.jgrad.autograd;

import static dev.jgrad.autograd.OpGradProperties.assertGradients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.util.Arrays;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * {@code ConvolutionRules}: GradCheck, first and second order, of conv2d, convTranspose2d and the
 * weight correlation in every operand (bias included) on random small FLOAT64 problems with
 * strides, dilations, groups and asymmetric paddings, some inputs transposed views; the names the
 * ops record; and errors that name the op.
 */
class ConvolutionGradProperties {

  /** One random problem: x [n, c, h, w], weight [o, c/groups, kh, kw], four pads. */
  record Case(
      int n,
      int c,
      int h,
      int w,
      int o,
      int groups,
      int kh,
      int kw,
      int[] s,
      int[] pad,
      int[] d,
      int[] extra) {

    int oh() {
      return (h + pad[0] + pad[1] - d[0] * (kh - 1) - 1) / s[0] + 1;
    }

    int ow() {
      return (w + pad[2] + pad[3] - d[1] * (kw - 1) - 1) / s[1] + 1;
    }

    @Override
    public String toString() {
      return String.format(
          "x [%d, %d, %d, %d] w [%d, %d, %d, %d] groups %d stride %s pad %s dilation %s extra %s",
          n,
          c,
          h,
          w,
          o,
          c / groups,
          kh,
          kw,
          groups,
          Arrays.toString(s),
          Arrays.toString(pad),
          Arrays.toString(d),
          Arrays.toString(extra));
    }
  }

  static Case randomCase(long seed) {
    Generator g = new Generator(seed);
    while (true) {
      int groups = 1 + g.nextInt(2);
      int cg = 1 + g.nextInt(2);
      int og = 1 + g.nextInt(2);
      int kh = 1 + g.nextInt(3);
      int kw = 1 + g.nextInt(3);
      int[] s = {1 + g.nextInt(2), 1 + g.nextInt(3)};
      int[] d = {1 + g.nextInt(2), 1 + g.nextInt(2)};
      int[] pad = {g.nextInt(2), g.nextInt(3), g.nextInt(2), g.nextInt(2)};
      int[] extra = {g.nextInt(Math.max(s[0], d[0])), g.nextInt(Math.max(s[1], d[1]))};
      int h = 1 + g.nextInt(5);
      int w = 1 + g.nextInt(5);
      Case k =
          new Case(
              1 + g.nextInt(2), groups * cg, h, w, groups * og, groups, kh, kw, s, pad, d, extra);
      boolean fits = h + pad[0] + pad[1] >= d[0] * (kh - 1) + 1;
      fits &= w + pad[2] + pad[3] >= d[1] * (kw - 1) + 1;
      if (fits && k.oh() * k.ow() * k.n * k.o <= 40 && transposedSize(k, 0) >= 1) {
        if (transposedSize(k, 1) >= 1) {
          return k;
        }
      }
    }
  }

  /** The size of convTranspose2d's output along a dim when its input has x's size. */
  static int transposedSize(Case k, int a) {
    int size = a == 0 ? k.h : k.w;
    int kernel = a == 0 ? k.kh : k.kw;
    return (size - 1) * k.s[a]
        - k.pad[2 * a]
        - k.pad[2 * a + 1]
        + k.d[a] * (kernel - 1)
        + k.extra[a]
        + 1;
  }

  static Tensor leaf(long seed, boolean transposed, int... shape) {
    return OpGradProperties.leaf(
        shape,
        transposed ? OpGradProperties.Layout.TRANSPOSED : OpGradProperties.Layout.CONTIGUOUS,
        seed,
        -1,
        1);
  }

  @Property(tries = 50)
  void conv2dPassesGradCheck(@ForAll long seed, @ForAll boolean transposed, @ForAll boolean bias) {
    Case k = randomCase(seed);
    Tensor x = leaf(seed, transposed, k.n, k.c, k.h, k.w);
    Tensor w = leaf(seed + 1, false, k.o, k.c / k.groups, k.kh, k.kw);
    if (bias) {
      Tensor b = leaf(seed + 2, false, k.o);
      assertGradients(
          "conv2d " + k, in -> in[0].conv2d(in[1], in[2], k.s, k.pad, k.d, k.groups), x, w, b);
    } else {
      // A square after the op makes its second derivative in each operand alone non-zero.
      assertGradients(
          "conv2d " + k, in -> in[0].conv2d(in[1], null, k.s, k.pad, k.d, k.groups).square(), x, w);
    }
  }

  @Property(tries = 50)
  void convTranspose2dPassesGradCheck(
      @ForAll long seed, @ForAll boolean transposed, @ForAll boolean bias) {
    Case k = randomCase(seed);
    // The transposed op reads x as its input [n, c, h, w] with weight [c, o/groups, kh, kw].
    Tensor y = leaf(seed, transposed, k.n, k.c, k.h, k.w);
    Tensor w = leaf(seed + 1, false, k.c, k.o / k.groups, k.kh, k.kw);
    if (bias) {
      Tensor b = leaf(seed + 2, false, k.o);
      assertGradients(
          "convTranspose2d " + k,
          in -> in[0].convTranspose2d(in[1], in[2], k.s, k.pad, k.extra, k.groups, k.d),
          y,
          w,
          b);
    } else {
      assertGradients(
          "convTranspose2d " + k,
          in -> in[0].convTranspose2d(in[1], null, k.s, k.pad, k.extra, k.groups, k.d).square(),
          y,
          w);
    }
  }

  @Property(tries = 50)
  void weightCorrelationPassesGradCheck(
      @ForAll long seed, @ForAll boolean transposed, @ForAll boolean smaller) {
    Case k = randomCase(seed);
    Tensor x = leaf(seed, transposed, k.n, k.c, k.h, k.w);
    // y as large as conv2d's output, or smaller (as the transposed op's weight gradient uses it).
    int oh = smaller ? Math.max(1, k.oh() - 1) : k.oh();
    int ow = smaller ? Math.max(1, k.ow() - 1) : k.ow();
    Tensor y = leaf(seed + 1, false, k.n, k.o, oh, ow);
    int[] kernel = {k.kh, k.kw};
    assertGradients(
        "conv2dWeightCorrelation " + k,
        in -> in[0].conv2dWeightCorrelation(in[1], kernel, k.s, k.pad, k.d, k.groups).square(),
        x,
        y);
  }

  @Property(tries = 15)
  void aSmallConvNetPassesGradCheck(@ForAll long seed) {
    // conv -> tanh -> transposed conv back to the image size, as an autoencoder would.
    Tensor x = leaf(seed, false, 1, 2, 5, 4);
    Tensor w1 = leaf(seed + 1, false, 3, 2, 3, 2);
    Tensor w2 = leaf(seed + 2, false, 3, 2, 3, 2);
    int[] s = {2, 1};
    int[] pad = {1, 1, 0, 1};
    int[] one = {1};
    Tensor probe = x.conv2d(w1, null, s, pad, one, 1);
    assertEquals(3, probe.shape(2));
    assertGradients(
        "conv2d then convTranspose2d",
        in ->
            in[0]
                .conv2d(in[1], null, s, pad, one, 1)
                .tanh()
                .convTranspose2d(in[2], null, s, pad, new int[] {0}, 1, one),
        x,
        w1,
        w2);
  }

  @Example
  void theOpsRecordTheirNames() {
    Tensor x = Tensor.randn(new Generator(1), 1, 2, 4, 4).to(DType.FLOAT64).requiresGrad(true);
    Tensor w = Tensor.randn(new Generator(2), 3, 2, 3, 3).to(DType.FLOAT64).requiresGrad(true);
    int[] one = {1};
    Tensor y = x.conv2d(w, null, one, one, one, 1);
    assertEquals("Conv2dBackward", y.gradFn().name());
    assertEquals(
        "ConvTranspose2dBackward",
        y.convTranspose2d(w, null, one, one, new int[] {0}, 1, one).gradFn().name());
    assertEquals(
        "Conv2dWeightCorrelationBackward",
        x.conv2dWeightCorrelation(y, new int[] {3}, one, one, one, 1).gradFn().name());
    // Without an input that requires grad, nothing is recorded.
    assertEquals(null, x.detach().conv2d(w.detach(), null, one, one, one, 1).gradFn());
  }

  @Example
  void theGradientOfABiasIsTheSumOverBatchAndPositions() {
    Tensor x = new Tensor(NDArray.ones(DType.FLOAT64, 2, 1, 3, 3));
    Tensor w = new Tensor(NDArray.ones(DType.FLOAT64, 2, 1, 1, 1));
    Tensor b = new Tensor(NDArray.zeros(DType.FLOAT64, 2)).requiresGrad(true);
    int[] one = {1};
    x.conv2d(w, b, one, new int[] {0}, one, 1).sum().backward();
    // 2 images × 3 × 3 positions, each adding its output to the loss once.
    assertEquals(
        Arrays.toString(new double[] {18, 18}), Arrays.toString(b.grad().data().toDoubleArray()));
  }

  @Example
  void errorsNameTheOp() {
    Tensor x = Tensor.zeros(1, 3, 5, 5).requiresGrad(true);
    Tensor w = Tensor.zeros(2, 2, 3, 3);
    int[] one = {1};
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> x.conv2d(w, null, one, one, one, 1));
    assertTrue(e.getMessage().startsWith("conv2d:") && e.getMessage().contains("[2, 2, 3, 3]"));
    e = assertThrows(IllegalArgumentException.class, () -> x.conv2d(null, null, one, one, one, 1));
    assertTrue(e.getMessage().startsWith("conv2d:"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> x.convTranspose2d(w, null, one, one, new int[] {1}, 1, one));
    assertTrue(e.getMessage().startsWith("convTranspose2d:"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> x.conv2dWeightCorrelation(null, one, one, one, one, 1));
    assertTrue(e.getMessage().startsWith("conv2dWeightCorrelation:"), e.getMessage());
  }
}
