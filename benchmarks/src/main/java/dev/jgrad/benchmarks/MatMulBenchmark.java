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

/** Square float32 GEMM, C = A·B, N×N; GFLOP/s = 2N³ / time. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatMulBenchmark {
  @Param({"64", "128", "256", "512", "1024", "2048"})
  public int n;

  @Param({"1", "2"})
  public int threads;

  private NDArray a;
  private NDArray b;
  private NDArray c;

  @Setup
  public void setUp() {
    Parallel.setThreads(threads);
    Generator g = new Generator(1);
    a = NDArray.randn(g, n, n);
    b = NDArray.randn(g, n, n);
    c = NDArray.zeros(n, n);
  }

  @Benchmark
  public NDArray gemm() {
    NDArray.gemm(false, false, 1, a, b, 0, c);
    return c;
  }
}
