package dev.jgrad.benchmarks;

import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.Parallel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link NDArray#conv2d} on typical layer shapes against a naive direct convolution (nested loops
 * over images, output channels, input channels, taps and output rows, adding a shifted input row
 * times one weight at a time), both FLOAT32:
 *
 * <ul>
 *   <li>{@code resnet3x3}: 64 → 64 channels, 3×3, padding 1, on 56×56 (a ResNet stage-1 layer);
 *   <li>{@code pointwise1x1}: 64 → 256 channels, 1×1, on 56×56 (a bottleneck's expansion);
 *   <li>{@code depthwise3x3}: 128 channels, 3×3, padding 1, groups 128, on 56×56 (MobileNet).
 * </ul>
 *
 * GFLOP/s = 2·N·O·(C/groups)·kH·kW·OH·OW / time. The setup checks that both give the same result.
 *
 * <pre>{@code
 * java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar ConvBenchmark \
 *     -p threads=1 -f 1
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBenchmark {
  @Param({"resnet3x3", "pointwise1x1", "depthwise3x3"})
  public String layer;

  @Param({"1", "8"})
  public int batch;

  @Param({"1", "2"})
  public int threads;

  private NDArray x;
  private NDArray w;
  private int[] stride;
  private int[] padding;
  private int[] dilation;
  private int groups;

  // the naive reference's operands: dense copies
  private float[] xs;
  private float[] ws;
  private float[] out;
  private int c;
  private int h;
  private int wd;
  private int o;
  private int k;
  private int pad;
  private int oh;
  private int ow;

  @Setup
  public void setUp() {
    Parallel.setThreads(threads);
    switch (layer) {
      case "resnet3x3":
        shape(64, 56, 64, 3, 1, 1);
        break;
      case "pointwise1x1":
        shape(64, 56, 256, 1, 0, 1);
        break;
      case "depthwise3x3":
        shape(128, 56, 128, 3, 1, 128);
        break;
      default:
        throw new IllegalArgumentException("ConvBenchmark: unknown layer " + layer);
    }
    Generator g = new Generator(3);
    x = NDArray.randn(g, batch, c, h, wd);
    w = NDArray.randn(g, o, c / groups, k, k);
    stride = new int[] {1};
    padding = new int[] {pad};
    dilation = new int[] {1};
    xs = x.toFloatArray();
    ws = w.toFloatArray();
    oh = h + 2 * pad - k + 1;
    ow = wd + 2 * pad - k + 1;
    out = new float[batch * o * oh * ow];
    float[] fast = conv2d().toFloatArray();
    naive();
    for (int i = 0; i < out.length; i++) {
      if (Math.abs(fast[i] - out[i]) > 1e-3f * (1 + Math.abs(out[i]))) {
        throw new IllegalStateException(
            "ConvBenchmark " + layer + ": conv2d and the naive loop differ at " + i);
      }
    }
  }

  private void shape(int channels, int size, int outChannels, int kernel, int padding, int g) {
    c = channels;
    h = size;
    wd = size;
    o = outChannels;
    k = kernel;
    pad = padding;
    groups = g;
  }

  @Benchmark
  public NDArray conv2d() {
    return x.conv2d(w, null, stride, padding, dilation, groups);
  }

  /**
   * out[n, o, p, q] = Σ_{c in o's group, i, j} w[o, c, i, j]·x[n, c, p + i − pad, q + j − pad],
   * directly: for each output plane and each tap (c, i, j), add the tap's weight times the shifted
   * input row to each output row. No unfolding and no blocking; the innermost loop runs along a
   * row, which C2 may vectorise.
   */
  @Benchmark
  public float[] naive() {
    int perGroupIn = c / groups;
    int perGroupOut = o / groups;
    java.util.Arrays.fill(out, 0f);
    for (int n = 0; n < batch; n++) {
      for (int oc = 0; oc < o; oc++) {
        int firstIn = (oc / perGroupOut) * perGroupIn;
        int plane = (n * o + oc) * oh * ow;
        for (int ci = 0; ci < perGroupIn; ci++) {
          int image = (n * c + firstIn + ci) * h * wd;
          for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
              float tap = ws[((oc * perGroupIn + ci) * k + i) * k + j];
              int qFrom = Math.max(0, pad - j); // q + j − pad inside [0, wd)
              int qTo = Math.min(ow, wd + pad - j);
              for (int p = 0; p < oh; p++) {
                int row = p + i - pad;
                if (row < 0 || row >= h) {
                  continue;
                }
                int src = image + row * wd + j - pad;
                int dst = plane + p * ow;
                for (int q = qFrom; q < qTo; q++) {
                  out[dst + q] += tap * xs[src + q];
                }
              }
            }
          }
        }
      }
    }
    return out;
  }
}
