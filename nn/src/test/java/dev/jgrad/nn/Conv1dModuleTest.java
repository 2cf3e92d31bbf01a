package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import org.junit.jupiter.api.Test;

/**
 * The {@link Conv1d} module beyond its defaults (issue #14, mutation testing): grouped, strided,
 * padded and dilated layers against a naive loop convolution, PyTorch's repr of every option, the
 * smallest valid sizes, and the errors for bad sizes, groups and inputs.
 */
class Conv1dModuleTest {

  /**
   * y[n, o, t] = b[o] + Σ_{c in o's group, j} w[o, c, j]·x[n, g·C/G + c, t·stride − pad + j·dil].
   */
  static double[][][] naive(
      double[][][] x, double[][][] w, double[] b, int stride, int pad, int dil, int groups) {
    int n = x.length;
    int cIn = x[0].length;
    int len = x[0][0].length;
    int cOut = w.length;
    int perGroupIn = w[0].length;
    int k = w[0][0].length;
    int lOut = (len + 2 * pad - dil * (k - 1) - 1) / stride + 1;
    double[][][] y = new double[n][cOut][lOut];
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < cOut; o++) {
        int group = o / (cOut / groups);
        for (int t = 0; t < lOut; t++) {
          double sum = b == null ? 0 : b[o];
          for (int c = 0; c < perGroupIn; c++) {
            for (int j = 0; j < k; j++) {
              int p = t * stride - pad + j * dil;
              if (p >= 0 && p < len) {
                sum += w[o][c][j] * x[i][group * perGroupIn + c][p];
              }
            }
          }
          y[i][o][t] = sum;
        }
      }
    }
    assertEquals(cIn, perGroupIn * groups);
    return y;
  }

  static double[][][] array3(NDArray a) {
    int[] s = a.shape();
    double[] flat = a.toDoubleArray();
    double[][][] out = new double[s[0]][s[1]][s[2]];
    for (int i = 0; i < s[0]; i++) {
      for (int j = 0; j < s[1]; j++) {
        for (int l = 0; l < s[2]; l++) {
          out[i][j][l] = flat[(i * s[1] + j) * s[2] + l];
        }
      }
    }
    return out;
  }

  static double[] flatten(double[][][] a) {
    return java.util.Arrays.stream(a)
        .flatMap(java.util.Arrays::stream)
        .flatMapToDouble(java.util.Arrays::stream)
        .toArray();
  }

  @Test
  void aGroupedStridedDilatedLayerMatchesALoopConvolution() {
    Generator g = new Generator(21);
    Conv1d conv = new Conv1d(4, 6, 3, 2, 1, 2, 2, false, g);
    // groups = 2: each output channel sees C_in / groups = 2 input channels
    assertArrayEquals(new int[] {6, 2, 3}, conv.weight().shape());
    assertNull(conv.bias());
    NDArray x = NDArray.randn(g, 2, 4, 11);
    Tensor y = conv.forward(new Tensor(x));
    double[][][] expected = naive(array3(x), array3(conv.weight().data()), null, 2, 1, 2, 2);
    // L_out = (11 + 2 − 2·2 − 1) / 2 + 1 = 5
    assertArrayEquals(new int[] {2, 6, 5}, y.shape());
    assertArrayEquals(flatten(expected), y.data().toDoubleArray(), 1e-5);
  }

  @Test
  void theSmallestSizesAreAccepted() {
    // kernel 1, stride 1, dilation 1, padding 0, one channel in and out: y = w·x + b
    Conv1d conv = new Conv1d(1, 1, 1, 1, 0, new Generator(2));
    Tensor x = Tensor.of(1, -2, 3).reshape(1, 1, 3);
    double w = conv.weight().data().item();
    double b = conv.bias().data().item();
    assertArrayEquals(
        new float[] {(float) (w + b), (float) (-2 * w + b), (float) (3 * w + b)},
        conv.forward(x).data().toFloatArray(),
        1e-6f);
  }

  @Test
  void theReprShowsEveryOptionAsPyTorch() {
    // nn.Conv1d(4, 6, 3, stride=2, padding=1, dilation=2, groups=2, bias=False)
    assertEquals(
        "Conv1d(4, 6, kernel_size=(3,), stride=(2,), padding=(1,), dilation=(2,), groups=2,"
            + " bias=False)",
        new Conv1d(4, 6, 3, 2, 1, 2, 2, false, new Generator(1)).toString());
    // nn.Conv1d(2, 3, 4, padding='same', dilation=2)
    assertEquals(
        "Conv1d(2, 3, kernel_size=(4,), stride=(1,), padding=same, dilation=(2,))",
        new Conv1d(2, 3, 4, 1, "same", 2, 1, true, new Generator(1)).toString());
    // nn.Conv1d(2, 3, 4, padding='valid')
    assertEquals(
        "Conv1d(2, 3, kernel_size=(4,), stride=(1,), padding=valid)",
        new Conv1d(2, 3, 4, 1, "valid", 1, 1, true, new Generator(1)).toString());
  }

  static String error(org.junit.jupiter.api.function.Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }

  @Test
  void badSizesAndGroupsAreRefusedNamingTheLayer() {
    Generator g = new Generator(3);
    String m = error(() -> new Conv1d(2, 3, 0, 1, 0, g));
    assertTrue(m.startsWith("Conv1d") && m.contains("kernel_size=0"), m);
    m = error(() -> new Conv1d(2, 3, 3, 0, 0, g));
    assertTrue(m.startsWith("Conv1d") && m.contains("stride=0"), m);
    m = error(() -> new Conv1d(2, 3, 3, 1, -1, g));
    assertTrue(m.startsWith("Conv1d") && m.contains("padding=-1"), m);
    m = error(() -> new Conv1d(2, 3, 3, 1, 0, 0, 1, true, g));
    assertTrue(m.startsWith("Conv1d") && m.contains("dilation=0"), m);
    // groups = 2 must divide both channel counts: not 3 input channels, not 5 output channels
    m = error(() -> new Conv1d(3, 4, 3, 1, 0, 1, 2, true, g));
    assertTrue(m.startsWith("Conv1d") && m.contains("groups=2"), m);
    m = error(() -> new Conv1d(4, 5, 3, 1, 0, 1, 2, true, g));
    assertTrue(m.startsWith("Conv1d") && m.contains("groups=2"), m);
  }

  @Test
  void inputsOfAnotherRankOrChannelCountAreRefused() {
    Conv1d conv = new Conv1d(4, 2, 3, new Generator(4));
    String m = error(() -> conv.forward(Tensor.zeros(2, 3, 9)));
    assertTrue(m.contains("Conv1d: expected input [N, 4, L]") && m.contains("[2, 3, 9]"), m);
    m = error(() -> conv.forward(Tensor.zeros(4, 9)));
    assertTrue(m.contains("Conv1d: expected input [N, 4, L]") && m.contains("[4, 9]"), m);
    m = error(() -> conv.forward(Tensor.zeros(1, 4, 9, 1)));
    assertTrue(m.contains("Conv1d: expected input [N, 4, L]") && m.contains("[1, 4, 9, 1]"), m);
  }
}
