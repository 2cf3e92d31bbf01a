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
 * The GEMMs of one 784-128-10 MLP training step at batch 64: the forward X·W1, the backward dW1 =
 * Xᵀ·G and dX = G·W1ᵀ (transposes read through strides), and the skinny H·W2.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MlpShapesBenchmark {
  @Param({"1", "2"})
  public int threads;

  private NDArray x;
  private NDArray w1;
  private NDArray g1;
  private NDArray h;
  private NDArray w2;
  private NDArray out1;
  private NDArray dW1;
  private NDArray dX;
  private NDArray out2;

  @Setup
  public void setUp() {
    Parallel.setThreads(threads);
    Generator g = new Generator(2);
    x = NDArray.rand(g, 64, 784);
    w1 = NDArray.randn(g, 784, 128);
    g1 = NDArray.randn(g, 64, 128);
    h = NDArray.randn(g, 64, 128);
    w2 = NDArray.randn(g, 128, 10);
    out1 = NDArray.zeros(64, 128);
    dW1 = NDArray.zeros(784, 128);
    dX = NDArray.zeros(64, 784);
    out2 = NDArray.zeros(64, 10);
  }

  /** [64, 784]·[784, 128]. */
  @Benchmark
  public NDArray forward64x784x128() {
    NDArray.gemm(false, false, 1, x, w1, 0, out1);
    return out1;
  }

  /** [64, 784]ᵀ·[64, 128] = [784, 128]. */
  @Benchmark
  public NDArray weightGrad784x64x128() {
    NDArray.gemm(true, false, 1, x, g1, 0, dW1);
    return dW1;
  }

  /** [64, 128]·[784, 128]ᵀ = [64, 784]. */
  @Benchmark
  public NDArray inputGrad64x128x784() {
    NDArray.gemm(false, true, 1, g1, w1, 0, dX);
    return dX;
  }

  /** [64, 128]·[128, 10]. */
  @Benchmark
  public NDArray forward64x128x10() {
    NDArray.gemm(false, false, 1, h, w2, 0, out2);
    return out2;
  }
}
