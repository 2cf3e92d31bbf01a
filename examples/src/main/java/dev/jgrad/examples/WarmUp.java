package dev.jgrad.examples;

import dev.jgrad.nn.Module;
import dev.jgrad.nn.data.Batch;
import dev.jgrad.nn.data.DataLoader;
import dev.jgrad.nn.data.TensorDataset;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;

/**
 * Training steps of a throw-away model, on a second thread, while the data set loads.
 *
 * <p>A JVM runs a new program's first training steps slowly: their classes are loaded and linked,
 * and their code is interpreted, then compiled by C1 (where every Vector API vector is a boxed
 * object), and only later by C2. On the Fashion-MNIST MLP the first five steps take about half a
 * second, against half a millisecond for a step of the compiled code. Loading the data set keeps
 * one core busy for about as long, inflating the IDX files, while the other idles. This class
 * spends that time on {@link Trainer#step}, the very method the training loop calls, with a model
 * of the same architecture, the same optimizer and batches of the same shape, so the real steps
 * start on loaded classes and compiled code.
 *
 * <p>Nothing of it reaches the run: it has its own model, optimizer, generator and random data, and
 * jgrad's kernels keep their scratch memory per thread, so a seed gives the same bits with or
 * without it ({@code --no-warm-up}; tested). It stops at the end of the step it is in when {@link
 * #close} is called; that step may still be running while training starts.
 *
 * <pre>{@code
 * try (WarmUp w = WarmUp.start(spec, config)) {
 *   splits = Datasets.load(name, dir);
 * }
 * }</pre>
 */
final class WarmUp implements AutoCloseable {
  /** Batches in the random data set: two, so the loader shuffles and gathers as in training. */
  private static final int BATCHES = 2;

  private final Thread thread;
  private volatile boolean stopped;
  private int steps; // guarded by this
  private Throwable failure; // guarded by this

  private WarmUp(ModelSpec spec, Trainer.Config c) {
    thread = new Thread(() -> runQuietly(spec, c), "jgrad-warm-up");
    thread.setDaemon(true); // never keeps the JVM alive
  }

  /** Starts warming up the training step of {@code spec} trained with {@code c}. */
  static WarmUp start(ModelSpec spec, Trainer.Config c) {
    WarmUp w = new WarmUp(spec, c);
    w.thread.start();
    return w;
  }

  /**
   * Runs the warm-up; a failure ends it without a word on the console (the real run meets the same
   * problem and reports it properly) and is kept for {@link #awaitSteps}.
   */
  private void runQuietly(ModelSpec spec, Trainer.Config c) {
    try {
      run(spec, c);
    } catch (RuntimeException | Error e) {
      synchronized (this) {
        failure = e;
        notifyAll();
      }
    }
  }

  private void run(ModelSpec spec, Trainer.Config c) {
    Generator g = new Generator(c.seed() ^ 0x5741524d5550L); // "WARMUP": not the run's generator
    Module model = spec.build(g);
    Optimizer opt = Trainer.optimizer(c, model);
    int n = BATCHES * c.batchSize();
    int features = (int) spec.valuesPerExample();
    TensorDataset flat =
        new TensorDataset(NDArray.rand(g, n, features), NDArray.randint(g, 0, spec.classes(), n));
    DataLoader loader = new DataLoader(spec.inputs(flat), c.batchSize(), true, c.seed(), false);
    while (!stopped) {
      for (Batch b : loader) {
        if (stopped) {
          return;
        }
        Trainer.step(model, opt, b);
        synchronized (this) {
          steps++;
          notifyAll();
        }
      }
    }
  }

  /** Training steps finished so far. */
  synchronized int steps() {
    return steps;
  }

  /** Waits until {@code n} steps have finished (for tests that train beside a running warm-up). */
  synchronized void awaitSteps(int n) throws InterruptedException {
    while (steps < n && failure == null) {
      wait();
    }
    if (failure != null) {
      throw new IllegalStateException("the warm-up failed", failure);
    }
  }

  /** Asks the thread to stop after its current step; does not wait for it. */
  @Override
  public void close() {
    stopped = true;
  }
}
