package dev.jgrad.examples;

import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.Parallel;
import java.io.PrintStream;

/**
 * The {@code ./jgrad} entry point. Until the trainer lands it runs a short tensor demo: a forward
 * pass of a 784-128-10 network on random data, and a measured 1024×1024 matrix product.
 *
 * <pre>{@code
 * ./jgrad demo
 * }</pre>
 */
public final class Main {
  private Main() {}

  /** Runs the command named by the first argument (only {@code demo} so far). */
  public static void main(String[] args) {
    String command = args.length == 0 ? "demo" : args[0];
    PrintStream out = System.out;
    if (!command.equals("demo")) {
      System.err.println("jgrad: unknown command '" + command + "' (available: demo)");
      System.exit(2);
    }
    demo(out);
  }

  static void demo(PrintStream out) {
    Generator g = new Generator(0);
    NDArray x = NDArray.rand(g, 64, 784);
    NDArray w1 = NDArray.randn(g, 784, 128).mul(Math.sqrt(2.0 / 784));
    NDArray w2 = NDArray.randn(g, 128, 10).mul(Math.sqrt(2.0 / 128));
    NDArray probabilities = x.matmul(w1).relu().matmul(w2).softmax(1);
    out.println("A 784-128-10 forward pass on a random batch of 64:");
    out.println("  first row of probabilities: " + probabilities.select(0, 0));
    out.println("  predicted classes: " + probabilities.argmax(1, false).slice(0, 0, 10));
    int n = 1024;
    NDArray a = NDArray.randn(g, n, n);
    NDArray b = NDArray.randn(g, n, n);
    NDArray c = NDArray.zeros(n, n);
    double best = Double.MAX_VALUE;
    for (int rep = 0; rep < 8; rep++) {
      long t0 = System.nanoTime();
      NDArray.gemm(false, false, 1, a, b, 0, c);
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    out.printf(
        "float32 matmul %dx%d on %d threads: %.1f GFLOP/s (best of 8)%n",
        n, n, Parallel.threads(), 2.0 * n * n * n / best / 1e9);
  }
}
