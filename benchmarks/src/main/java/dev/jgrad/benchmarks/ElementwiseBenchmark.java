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
 * Memory-bound kernels on 4M floats (16 MiB per array): binary ops move 48 MiB (two reads, one
 * write), exp and the in-place add 32 MiB, sum 16 MiB; softmax runs over [4096, 1024] rows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseBenchmark {
  static final int N = 4 << 20;

  @Param({"1", "2"})
  public int threads;

  private NDArray a;
  private NDArray b;
  private NDArray acc;
  private NDArray rows;

  @Setup
  public void setUp() {
    Parallel.setThreads(threads);
    Generator g = new Generator(3);
    a = NDArray.randn(g, N);
    b = NDArray.randn(g, N);
    acc = NDArray.zeros(N);
    rows = a.reshape(4096, 1024);
  }

  @Benchmark
  public NDArray add() {
    return a.add(b);
  }

  @Benchmark
  public NDArray mul() {
    return a.mul(b);
  }

  @Benchmark
  public NDArray exp() {
    return a.exp();
  }

  @Benchmark
  public NDArray addInPlace() {
    return acc.addInPlace(a);
  }

  @Benchmark
  public NDArray sum() {
    return a.sum();
  }

  @Benchmark
  public NDArray softmax() {
    return rows.softmax(1);
  }
}
