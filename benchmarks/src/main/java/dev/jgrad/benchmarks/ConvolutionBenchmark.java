package dev.jgrad.benchmarks;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.nn.Conv2d;
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
 * The two convolutions of the MNIST CNN (Conv2d(1, 32, 3, p=1) on 28×28 and Conv2d(32, 64, 3, p=1)
 * on 14×14), FLOAT32: each op of a training step on its own, and one forward plus backward of both
 * layers through autograd (the first layer's input needs no gradient, as in training).
 *
 * <pre>{@code
 * java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar Convolution
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvolutionBenchmark {
  @Param({"64"})
  public int batch;

  @Param({"1"})
  public int threads;

  private static final int[] ONE = {1};

  private Conv2d conv1;
  private Conv2d conv2;
  private NDArray x;
  private NDArray w1;
  private NDArray g1;
  private NDArray h;
  private NDArray w2;
  private NDArray g2;
  private Tensor input;
  private Tensor hidden;

  @Setup
  public void setUp() {
    Parallel.setThreads(threads);
    Generator g = new Generator(1);
    conv1 = new Conv2d(1, 32, 3, 1, 1, g);
    conv2 = new Conv2d(32, 64, 3, 1, 1, g);
    x = NDArray.randn(g, batch, 1, 28, 28);
    g1 = NDArray.randn(g, batch, 32, 28, 28);
    h = NDArray.randn(g, batch, 32, 14, 14);
    g2 = NDArray.randn(g, batch, 64, 14, 14);
    w1 = conv1.weight().data();
    w2 = conv2.weight().data();
    input = new Tensor(x);
    hidden = new Tensor(h).requiresGrad(true);
  }

  /** Layer 1 forward: [64, 1, 28, 28] → [64, 32, 28, 28]. */
  @Benchmark
  public NDArray conv1Forward() {
    return x.conv2d(w1, conv1.bias().data(), ONE, ONE, ONE, 1);
  }

  /** Layer 1 weight gradient. */
  @Benchmark
  public NDArray conv1Weights() {
    return x.conv2dWeightCorrelation(g1, new int[] {3}, ONE, ONE, ONE, 1);
  }

  /** Layer 2 forward: [64, 32, 14, 14] → [64, 64, 14, 14]. */
  @Benchmark
  public NDArray conv2Forward() {
    return h.conv2d(w2, conv2.bias().data(), ONE, ONE, ONE, 1);
  }

  /** Layer 2 input gradient. */
  @Benchmark
  public NDArray conv2Input() {
    return g2.convTranspose2d(w2, null, ONE, ONE, new int[] {0}, 1, ONE);
  }

  /** Layer 2 weight gradient. */
  @Benchmark
  public NDArray conv2Weights() {
    return h.conv2dWeightCorrelation(g2, new int[] {3}, ONE, ONE, ONE, 1);
  }

  /** Both layers forward and backward through autograd (bias gradients included). */
  @Benchmark
  public Tensor bothLayersForwardBackward() {
    conv1.zeroGrad();
    conv2.zeroGrad();
    hidden.zeroGrad();
    Tensor y1 = conv1.forward(input);
    Tensor y2 = conv2.forward(hidden);
    y1.backward(new Tensor(g1));
    y2.backward(new Tensor(g2));
    return y2;
  }
}
