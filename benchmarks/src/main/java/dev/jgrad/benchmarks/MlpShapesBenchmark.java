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
 * The GEMMs of one 784-128-10 MLP training step at batch 64, as {@code Linear} runs them: weights
 * stored [out, in], the forward X·W₁ᵀ (W₁ packed through its transpose), the weight gradient G₁ᵀ·X
 * (G₁ᵀ read in place), the logits H·W₂ᵀ (10 columns: the narrow path) and the hidden layer's
 * gradient G₂·W₂.
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
  private NDArray g2;
  private NDArray out1;
  private NDArray dW1;
  private NDArray out2;
  private NDArray dH;

  @Setup
  public void setUp() {
    Parallel.setThreads(threads);
    Generator g = new Generator(2);
    x = NDArray.rand(g, 64, 784);
    w1 = NDArray.randn(g, 128, 784);
    g1 = NDArray.randn(g, 64, 128);
    h = NDArray.randn(g, 64, 128);
    w2 = NDArray.randn(g, 10, 128);
    g2 = NDArray.randn(g, 64, 10);
    out1 = NDArray.zeros(64, 128);
    dW1 = NDArray.zeros(128, 784);
    out2 = NDArray.zeros(64, 10);
    dH = NDArray.zeros(64, 128);
  }

  /** [64, 784]·[128, 784]ᵀ = [64, 128]. */
  @Benchmark
  public NDArray forward64x784x128() {
    NDArray.gemm(false, true, 1, x, w1, 0, out1);
    return out1;
  }

  /** [64, 128]ᵀ·[64, 784] = [128, 784]. */
  @Benchmark
  public NDArray weightGrad128x64x784() {
    NDArray.gemm(true, false, 1, g1, x, 0, dW1);
    return dW1;
  }

  /** [64, 128]·[10, 128]ᵀ = [64, 10]. */
  @Benchmark
  public NDArray logits64x128x10() {
    NDArray.gemm(false, true, 1, h, w2, 0, out2);
    return out2;
  }

  /** [64, 10]·[10, 128] = [64, 128]. */
  @Benchmark
  public NDArray hiddenGrad64x10x128() {
    NDArray.gemm(false, false, 1, g2, w2, 0, dH);
    return dH;
  }
}
