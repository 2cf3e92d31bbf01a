package dev.jgrad.autograd;

import dev.jgrad.autograd.Graph.Saves;
import dev.jgrad.tensor.NDArray;

/**
 * Convolution. Its three ops are one trilinear sum read three ways (see {@code NDArray#conv2d}):
 * with x an image batch, w a kernel and y an array on conv2d's output side, ⟨conv2d(x, w), y⟩ = ⟨x,
 * convTranspose2d(y, w)⟩ = ⟨w, conv2dWeightCorrelation(x, y)⟩. So each op's gradient in one operand
 * is another of the three ops of the incoming gradient and the other operand:
 *
 * <pre>
 *   conv2d(x, w)                d/dx = convTranspose2d(G, w)       d/dw = weightCorrelation(x, G)
 *   convTranspose2d(y, w)       d/dy = conv2d(G, w)                d/dw = weightCorrelation(G, y)
 *   weightCorrelation(x, y)     d/dx = convTranspose2d(y, G)       d/dy = conv2d(x, G)
 * </pre>
 *
 * and a bias's gradient is G summed over N, H and W. The family is closed under differentiation, so
 * gradients of any order are these ops again.
 *
 * <p>Only the top and left paddings move the index relation; bottom and right only decide the
 * output size. A gradient must have its operand's exact size, so the formulas call the other op
 * with the same stride, dilation, top and left padding and choose its bottom and right padding (and
 * output padding) to land on that size ({@link #transposedTo}, {@link #correlatedTo}).
 */
final class ConvolutionRules {
  private ConvolutionRules() {}

  /** conv2d(x [N, C, H, W], w [O, C/G, kh, kw], b [O] or null). */
  static Tensor conv2d(
      Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation, int groups) {
    notNull("conv2d", x, w);
    NDArray out =
        x.data().conv2d(w.data(), b == null ? null : b.data(), stride, padding, dilation, groups);
    Geometry g = Geometry.of(stride, padding, dilation, w.shape(2), w.shape(3), groups);
    int h = x.shape(2);
    int wd = x.shape(3);
    Formula dx = (grad, y) -> transposedTo(grad, w, g, h, wd);
    Formula dw = (grad, y) -> x.conv2dWeightCorrelation(grad, g.kernel(), g.s, g.pad, g.d, groups);
    return b == null
        ? Graph.record("Conv2d", out, Saves.INPUTS, x, w, dx, dw)
        : Graph.record("Conv2d", out, Saves.INPUTS, x, w, b, dx, dw, ConvolutionRules::biasGrad);
  }

  /** convTranspose2d(y [N, C, H, W], w [C, O/G, kh, kw], b [O] or null). */
  static Tensor convTranspose2d(
      Tensor y,
      Tensor w,
      Tensor b,
      int[] stride,
      int[] padding,
      int[] outputPadding,
      int groups,
      int[] dilation) {
    notNull("convTranspose2d", y, w);
    NDArray out =
        y.data()
            .convTranspose2d(
                w.data(),
                b == null ? null : b.data(),
                stride,
                padding,
                outputPadding,
                groups,
                dilation);
    Geometry g = Geometry.of(stride, padding, dilation, w.shape(2), w.shape(3), groups);
    int h = y.shape(2);
    int wd = y.shape(3);
    Formula dy = (grad, z) -> correlatedTo(grad, w, g, h, wd);
    Formula dw = (grad, z) -> grad.conv2dWeightCorrelation(y, g.kernel(), g.s, g.pad, g.d, groups);
    return b == null
        ? Graph.record("ConvTranspose2d", out, Saves.INPUTS, y, w, dy, dw)
        : Graph.record(
            "ConvTranspose2d", out, Saves.INPUTS, y, w, b, dy, dw, ConvolutionRules::biasGrad);
  }

  /** The weight correlation of x [N, C, H, W] with y [N, O, OH, OW]: [O, C/G, kh, kw]. */
  static Tensor conv2dWeightCorrelation(
      Tensor x,
      Tensor y,
      int[] kernelSize,
      int[] stride,
      int[] padding,
      int[] dilation,
      int groups) {
    notNull("conv2dWeightCorrelation", x, y);
    NDArray out =
        x.data().conv2dWeightCorrelation(y.data(), kernelSize, stride, padding, dilation, groups);
    Geometry g = Geometry.of(stride, padding, dilation, out.shape(2), out.shape(3), groups);
    int h = x.shape(2);
    int wd = x.shape(3);
    int oh = y.shape(2);
    int ow = y.shape(3);
    Formula dx = (grad, k) -> transposedTo(y, grad, g, h, wd);
    Formula dy = (grad, k) -> correlatedTo(x, grad, g, oh, ow);
    return Graph.record("Conv2dWeightCorrelation", out, Saves.INPUTS, x, y, dx, dy);
  }

  private static void notNull(String op, Tensor a, Tensor b) {
    if (a == null || b == null) {
      throw new IllegalArgumentException(
          op + ": the " + (a == null ? "input" : "second operand") + " must not be null");
    }
  }

  private static Tensor biasGrad(Tensor grad, Tensor out) {
    return grad.sum(new int[] {0, 2, 3}, false);
  }

  /**
   * One op's stride, dilation, kernel size and groups, and its padding as {top, bottom, left,
   * right}. (The tensor op has checked them by the time this is made.)
   */
  private record Geometry(int[] s, int[] pad, int[] d, int kh, int kw, int groups) {
    static Geometry of(int[] stride, int[] padding, int[] dilation, int kh, int kw, int groups) {
      return new Geometry(pair(stride), pads(padding), pair(dilation), kh, kw, groups);
    }

    int[] kernel() {
      return new int[] {kh, kw};
    }

    /** The dilated kernel's extent along a dim (0 = height, 1 = width). */
    int span(int dim) {
      return d[dim] * ((dim == 0 ? kh : kw) - 1) + 1;
    }

    static int[] pair(int[] v) {
      return v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
    }

    static int[] pads(int[] p) {
      if (p.length == 1) {
        return new int[] {p[0], p[0], p[0], p[0]};
      }
      return p.length == 2 ? new int[] {p[0], p[0], p[1], p[1]} : p.clone();
    }
  }

  /**
   * convTranspose2d(y, w) with g's stride, dilation, top and left padding, its output exactly h ×
   * w: the bottom/right padding and output padding are chosen for that size, and image rows or
   * columns past every kernel position's reach (zero gradient) are appended as zeros.
   */
  static Tensor transposedTo(Tensor y, Tensor w, Geometry g, int h, int wd) {
    int[] size = {h, wd};
    int[] pad = {g.pad[0], 0, g.pad[2], 0};
    int[] extra = new int[2];
    int[] reach = new int[2];
    for (int a = 0; a < 2; a++) {
      // The output size with no bottom/right padding and no output padding.
      int natural = (y.shape(2 + a) - 1) * g.s[a] - g.pad[2 * a] + g.span(a);
      if (natural >= size[a]) {
        pad[2 * a + 1] = natural - size[a];
        reach[a] = size[a];
      } else {
        extra[a] = Math.min(size[a] - natural, Math.max(g.s[a], g.d[a]) - 1);
        reach[a] = natural + extra[a];
      }
    }
    if (y.shape(2) == 0 || y.shape(3) == 0 || reach[0] < 1 || reach[1] < 1) {
      return Graph.constant(
          NDArray.zeros(y.dtype(), y.shape(0), w.shape(1) * g.groups, size[0], size[1]));
    }
    Tensor z = y.convTranspose2d(w, null, g.s, pad, extra, g.groups, g.d);
    if (reach[0] < size[0]) {
      z = z.embedInto(new int[] {z.shape(0), z.shape(1), size[0], z.shape(3)}, 2, 0, 1);
    }
    if (reach[1] < size[1]) {
      z = z.embedInto(new int[] {z.shape(0), z.shape(1), size[0], size[1]}, 3, 0, 1);
    }
    return z;
  }

  /**
   * conv2d(x, w) with g's stride, dilation, top and left padding, its output exactly oh × ow: the
   * bottom/right padding is chosen to reach that size and any position past it is cut off.
   */
  static Tensor correlatedTo(Tensor x, Tensor w, Geometry g, int oh, int ow) {
    int[] size = {oh, ow};
    int[] pad = {g.pad[0], 0, g.pad[2], 0};
    for (int a = 0; a < 2; a++) {
      pad[2 * a + 1] =
          Math.max(0, (size[a] - 1) * g.s[a] + g.span(a) - x.shape(2 + a) - g.pad[2 * a]);
    }
    if (oh == 0 || ow == 0) {
      return Graph.constant(NDArray.zeros(x.dtype(), x.shape(0), w.shape(0), oh, ow));
    }
    Tensor y = x.conv2d(w, null, g.s, pad, g.d, g.groups);
    if (y.shape(2) > oh) {
      y = y.narrow(2, 0, oh);
    }
    if (y.shape(3) > ow) {
      y = y.narrow(3, 0, ow);
    }
    return y;
  }
}
