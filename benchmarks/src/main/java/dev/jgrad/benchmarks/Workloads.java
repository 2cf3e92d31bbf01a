package dev.jgrad.benchmarks;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Sigmoid;
import dev.jgrad.nn.data.Batch;
import dev.jgrad.nn.data.DataLoader;
import dev.jgrad.nn.data.Mnist;
import dev.jgrad.nn.data.TensorDataset;
import dev.jgrad.optim.SGD;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.Parallel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The jgrad side of {@code benchmarks/compare}: runs one workload and prints one JSON line with its
 * median time. {@code benchmarks/torch_workloads.py} is the same workloads in PyTorch.
 *
 * <pre>{@code
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     dev.jgrad.benchmarks.Workloads mlp64 1
 * }</pre>
 */
public final class Workloads {
  private Workloads() {}

  /**
   * Runs {@code args[0]} on {@code args[1]} threads; {@code args[2]} is the Fashion-MNIST folder.
   */
  public static void main(String[] args) throws Exception {
    String workload = args[0];
    int threads = Integer.parseInt(args[1]);
    Path data = Path.of(args.length > 2 ? args[2] : "/usr/share/datasets/fashion-mnist");
    Parallel.setThreads(threads);
    String result;
    switch (workload) {
      case "mlp64":
        result = mlp(64, data);
        break;
      case "mlp256":
        result = mlp(256, data);
        break;
      case "tiny":
        result = tiny();
        break;
      case "xor251":
        result = xor251();
        break;
      case "sgemm1024":
        result = sgemm(1024);
        break;
      case "sgemm2048":
        result = sgemm(2048);
        break;
      default:
        throw new IllegalArgumentException("unknown workload " + workload);
    }
    System.out.println(
        "{\"framework\": \"jgrad\", \"workload\": \""
            + workload
            + "\", \"threads\": "
            + threads
            + ", "
            + result
            + "}");
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** One warm-up epoch, then three timed; the training loop only. */
  static String mlp(int batchSize, Path dir) throws Exception {
    TensorDataset train;
    TensorDataset test;
    boolean real = Files.isDirectory(dir);
    if (real) {
      train = Mnist.load(dir, true);
      test = Mnist.load(dir, false);
    } else { // same shapes, random values: timing only
      Generator g = new Generator(1);
      train = new TensorDataset(NDArray.rand(g, 60000, 784), NDArray.randint(g, 0, 10, 60000));
      test = new TensorDataset(NDArray.rand(g, 10000, 784), NDArray.randint(g, 0, 10, 10000));
    }
    Generator g = new Generator(0);
    Sequential model =
        new Sequential(new Linear(784, 128, true, g), new ReLU(), new Linear(128, 10, true, g));
    SGD opt = new SGD(model.parameters(), 0.1);
    DataLoader loader = new DataLoader(train, batchSize, true, 0, false);
    double[] seconds = new double[3];
    for (int epoch = 0; epoch < 4; epoch++) {
      long start = System.nanoTime();
      for (Batch b : loader) {
        opt.zeroGrad();
        F.crossEntropy(model.forward(b.inputs()), b.targets()).backward();
        opt.step();
      }
      if (epoch > 0) {
        seconds[epoch - 1] = (System.nanoTime() - start) / 1e9;
      }
    }
    long correct = 0;
    try (var noGrad = Tensor.noGrad()) {
      for (Batch b : new DataLoader(test, 1000)) {
        correct +=
            (long) model.forward(b.inputs()).argmax(1, false).eq(b.targets()).data().sum().item();
      }
    }
    return String.format(
        "\"seconds\": %.6f, \"unit\": \"s/epoch\", \"accuracy\": %.4f, \"real_data\": %b",
        median(seconds), (double) correct / test.size(), real);
  }

  /** relu(x·w + b).sum() on 2×2, forward and backward; microseconds per iteration. */
  static String tiny() {
    Generator g = new Generator(0);
    Tensor x = Tensor.randn(g, 2, 2);
    Tensor w = Tensor.randn(g, 2, 2).requiresGrad(true);
    Tensor b = Tensor.randn(g, 2).requiresGrad(true);
    int iterations = 20000;
    double[] us = new double[7];
    for (int rep = -10; rep < us.length; rep++) {
      long start = System.nanoTime();
      for (int i = 0; i < iterations; i++) {
        w.zeroGrad();
        b.zeroGrad();
        x.matmul(w).add(b).relu().sum().backward();
      }
      if (rep >= 0) {
        us[rep] = (System.nanoTime() - start) / 1e3 / iterations;
      }
    }
    return String.format("\"seconds\": %.9f, \"unit\": \"s/iteration\"", median(us) / 1e6);
  }

  /** A 2-5-1 sigmoid network, 1000 full-batch epochs of SGD with BCE on 100 points. */
  static String xor251() {
    Generator g = new Generator(0);
    NDArray points = NDArray.rand(g, 100, 2);
    NDArray labels =
        points.gt(0.5).sum(1, true).eq(1).to(dev.jgrad.tensor.DType.FLOAT32); // XOR of halves
    Tensor x = new Tensor(points);
    Tensor y = new Tensor(labels);
    double[] seconds = new double[5];
    double first = 0;
    // Steady state: C2 has compiled every path after about 80 runs (80 k epochs, 1-2 s); the
    // first run, mostly interpreted, is reported beside it.
    for (int rep = -100; rep < seconds.length; rep++) {
      Generator init = new Generator(1);
      Sequential net =
          new Sequential(
              new Linear(2, 5, true, init),
              new Sigmoid(),
              new Linear(5, 1, true, init),
              new Sigmoid());
      SGD opt = new SGD(net.parameters(), 0.5);
      long start = System.nanoTime();
      for (int epoch = 0; epoch < 1000; epoch++) {
        opt.zeroGrad();
        F.binaryCrossEntropy(net.forward(x), y).backward();
        opt.step();
      }
      if (rep == -100) {
        first = (System.nanoTime() - start) / 1e9;
      }
      if (rep >= 0) {
        seconds[rep] = (System.nanoTime() - start) / 1e9;
      }
    }
    return String.format(
        "\"seconds\": %.6f, \"unit\": \"s/1000 epochs\", \"first_run_seconds\": %.6f",
        median(seconds), first);
  }

  /** C = A·B, N×N float32; seconds per product (GFLOP/s = 2N³/s). */
  static String sgemm(int n) {
    Generator g = new Generator(0);
    NDArray a = NDArray.randn(g, n, n);
    NDArray b = NDArray.randn(g, n, n);
    NDArray c = NDArray.zeros(n, n);
    int reps = n <= 1024 ? 20 : 5;
    double[] seconds = new double[reps];
    // Steady state, as JMH measures it: two seconds of products first, so that C2 has compiled
    // the kernels and the pool thread is running (3 warm-up products left N = 1024 about 7% slow).
    long warm = System.nanoTime();
    while (System.nanoTime() - warm < 2_000_000_000L) {
      NDArray.gemm(false, false, 1, a, b, 0, c);
    }
    for (int rep = 0; rep < reps; rep++) {
      long start = System.nanoTime();
      NDArray.gemm(false, false, 1, a, b, 0, c);
      seconds[rep] = (System.nanoTime() - start) / 1e9;
    }
    double s = median(seconds);
    return String.format(
        "\"seconds\": %.6f, \"unit\": \"s/product\", \"gflops\": %.1f",
        s, 2.0 * n * n * n / s / 1e9);
  }
}
