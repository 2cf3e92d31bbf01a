package dev.jgrad.benchmarks;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.data.Batch;
import dev.jgrad.nn.data.DataLoader;
import dev.jgrad.nn.data.TensorDataset;
import dev.jgrad.optim.SGD;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.Parallel;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
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
 * One training step of the 784-128-10 ReLU MLP with SGD (lr 0.1), the step {@code benchmarks/
 * compare} times per epoch: a shuffled mini-batch gathered from 60 000 examples, zeroGrad, forward,
 * cross-entropy, backward, update. Random data of Fashion-MNIST's shapes (the values do not change
 * the work). Run with {@code -prof gc} for the bytes allocated per step.
 *
 * <pre>{@code
 * java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar TrainingStep -prof gc
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
public class TrainingStepBenchmark {
  @Param({"64", "256"})
  public int batch;

  @Param({"1"})
  public int threads;

  private Sequential model;
  private SGD optimizer;
  private DataLoader loader;
  private Iterator<Batch> batches;

  @Setup
  public void setUp() {
    Parallel.setThreads(threads);
    Generator g = new Generator(1);
    TensorDataset train =
        new TensorDataset(NDArray.rand(g, 60000, 784), NDArray.randint(g, 0, 10, 60000));
    model = new Sequential(new Linear(784, 128, true, g), new ReLU(), new Linear(128, 10, true, g));
    optimizer = new SGD(model.parameters(), 0.1);
    loader = new DataLoader(train, batch, true, 0, false);
    batches = loader.iterator();
  }

  /** One step; a new shuffled pass starts when the last one is used up. */
  @Benchmark
  public Tensor step() {
    return trainStep();
  }

  /**
   * The step itself, compiled on its own: inlined whole into JMH's measurement loop, C2 made it
   * about a third slower than the same step in a plain training loop.
   */
  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  private Tensor trainStep() {
    if (!batches.hasNext()) {
      batches = loader.iterator();
    }
    Batch b = batches.next();
    optimizer.zeroGrad();
    Tensor loss = F.crossEntropy(model.forward(b.inputs()), b.targets());
    loss.backward();
    optimizer.step();
    return loss;
  }
}
