package dev.jgrad.benchmarks;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.examples.Gpt;
import dev.jgrad.nn.BatchNorm2d;
import dev.jgrad.nn.Conv2d;
import dev.jgrad.nn.Dropout;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Flatten;
import dev.jgrad.nn.LayerNorm;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.MaxPool2d;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Sigmoid;
import dev.jgrad.nn.data.Batch;
import dev.jgrad.nn.data.DataLoader;
import dev.jgrad.nn.data.Mnist;
import dev.jgrad.nn.data.TensorDataset;
import dev.jgrad.optim.AdamW;
import dev.jgrad.optim.ClipGrad;
import dev.jgrad.optim.SGD;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.Parallel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * The jgrad side of {@code benchmarks/compare}: runs one workload and prints one JSON line with its
 * median time. {@code benchmarks/torch_workloads.py} is the same workloads in PyTorch. Workloads:
 * {@code mlp64}, {@code mlp256} (an MLP epoch), {@code tiny}, {@code xor251}, {@code sgemm1024},
 * {@code sgemm2048}, {@code cnn} and {@code cnnbn} (one CNN training step); {@code cnn-split} and
 * {@code cnnbn-split} (jgrad only) print where a CNN step's time goes; {@code gpt} (one training
 * step of the character-level GPT of {@code ./jgrad example gpt}) and {@code gpt-split} (jgrad
 * only: where its time goes).
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
      case "cnn":
        result = cnn(false, data);
        break;
      case "cnnbn":
        result = cnn(true, data);
        break;
      case "cnn-split":
        result = cnnSplit(false, data);
        break;
      case "cnnbn-split":
        result = cnnSplit(true, data);
        break;
      case "gpt":
        result = gpt(Path.of(GPT_TEXT));
        break;
      case "gpt-split":
        result = gptSplit(Path.of(GPT_TEXT));
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

  /**
   * Issue 11's convolutional networks for 28×28 images: {@code cnn} is Conv2d(1,32,3,padding=1)
   * ReLU MaxPool2d(2) Conv2d(32,64,3,padding=1) ReLU MaxPool2d(2) Flatten Linear(3136,128) ReLU
   * Linear(128,10); {@code cnnbn} adds BatchNorm2d after each convolution (before its ReLU) and
   * Dropout(0.25) after the Flatten, the architecture of {@code ./jgrad train --model cnn}.
   */
  static Sequential cnnModel(boolean batchNorm, Generator g) {
    List<Module> layers = new ArrayList<>();
    layers.add(new Conv2d(1, 32, 3, 1, 1, g));
    if (batchNorm) {
      layers.add(new BatchNorm2d(32));
    }
    layers.add(new ReLU());
    layers.add(new MaxPool2d(2));
    layers.add(new Conv2d(32, 64, 3, 1, 1, g));
    if (batchNorm) {
      layers.add(new BatchNorm2d(64));
    }
    layers.add(new ReLU());
    layers.add(new MaxPool2d(2));
    layers.add(new Flatten());
    if (batchNorm) {
      layers.add(new Dropout(0.25, g));
    }
    layers.add(new Linear(3136, 128, true, g));
    layers.add(new ReLU());
    layers.add(new Linear(128, 10, true, g));
    return new Sequential(layers.toArray(new Module[0]));
  }

  /** Multiply-adds of one 28×28 image through the cnn: the two convolutions and two linears. */
  static final long CNN_MACS = 28L * 28 * 32 * 9 + 14L * 14 * 64 * 32 * 9 + 3136L * 128 + 128 * 10;

  /** The first convolution's share: its input gradient is never computed (images need none). */
  static final long CONV1_MACS = 28L * 28 * 32 * 9;

  /**
   * Floating-point operations of one training step, counted analytically: two per multiply-add, the
   * backward pass twice the forward (an input and a weight gradient per layer), less the first
   * layer's input gradient. Pooling, BatchNorm, activations and the optimizer are not counted.
   */
  static double cnnStepFlops(int batch) {
    return 2.0 * batch * (3 * CNN_MACS - CONV1_MACS);
  }

  /** Fashion-MNIST's training images [60000, 1, 28, 28], or random ones of that shape. */
  private static TensorDataset cnnData(Path dir) throws Exception {
    if (Files.isDirectory(dir)) {
      return Mnist.loadImages(dir, true);
    }
    Generator g = new Generator(1); // timing only: 100 batches of random images
    return new TensorDataset(NDArray.rand(g, 6400, 1, 28, 28), NDArray.randint(g, 0, 10, 6400));
  }

  /**
   * One SGD step (lr 0.05, momentum 0.9) at batch 64 including the optimizer: the first step, then
   * at least {@value #CNN_WARMUP_STEPS} steps and {@value #CNN_WARMUP_SECONDS} seconds of warm-up,
   * then the median of {@value #CNN_TIMED_STEPS} steps.
   */
  static String cnn(boolean batchNorm, Path dir) throws Exception {
    TensorDataset train = cnnData(dir);
    Sequential model = cnnModel(batchNorm, new Generator(0));
    SGD opt = new SGD(model.parameters(), 0.05, 0.9);
    Iterator<Batch> batches = cycle(new DataLoader(train, 64, true, 0, true));
    double first = step(model, opt, batches.next()).seconds();
    long warm = System.nanoTime();
    for (int i = 0;
        i < CNN_WARMUP_STEPS || System.nanoTime() - warm < CNN_WARMUP_SECONDS * 1_000_000_000L;
        i++) {
      step(model, opt, batches.next());
    }
    double[] seconds = new double[CNN_TIMED_STEPS];
    double loss = 0;
    for (int i = 0; i < seconds.length; i++) {
      Step t = step(model, opt, batches.next());
      seconds[i] = t.seconds();
      loss = t.loss();
    }
    double s = median(seconds);
    return String.format(
        "\"seconds\": %.6f, \"unit\": \"s/step\", \"first_step_seconds\": %.6f,"
            + " \"gflops\": %.2f, \"loss\": %.4f, \"real_data\": %b",
        s, first, cnnStepFlops(64) / s / 1e9, loss, Files.isDirectory(dir));
  }

  static final int CNN_WARMUP_STEPS = 30;
  static final int CNN_WARMUP_SECONDS = 5;
  static final int CNN_TIMED_STEPS = 30;

  /** The time and the loss of one training step. */
  record Step(double seconds, double loss) {}

  private static Step step(Sequential model, SGD opt, Batch b) {
    long start = System.nanoTime();
    opt.zeroGrad();
    Tensor loss = F.crossEntropy(model.forward(b.inputs()), b.targets());
    loss.backward();
    opt.step();
    return new Step((System.nanoTime() - start) / 1e9, loss.item());
  }

  /**
   * Where a cnn step's time goes: each layer's forward (timed around its call) and backward (the
   * time between the gradient reaching its output and reaching its input, seen by hooks on the
   * layer outputs; the first layer's input needs no gradient, so its backward ends with {@code
   * backward()}), the loss and the optimizer; medians over {@value #CNN_TIMED_STEPS} steps after
   * the same warm-up as {@link #cnn}. A layer's backward includes accumulating its parameters'
   * gradients. The convolutions' backward is then split into its input and weight products, timed
   * alone ({@link #convProducts}). Prints a table on stderr; the JSON has the medians per layer,
   * per kind of layer, and the step split into convolution forward and backward, pooling, batch
   * norm and the rest.
   */
  static String cnnSplit(boolean batchNorm, Path dir) throws Exception {
    TensorDataset train = cnnData(dir);
    Sequential model = cnnModel(batchNorm, new Generator(0));
    SGD opt = new SGD(model.parameters(), 0.05, 0.9);
    Iterator<Batch> batches = cycle(new DataLoader(train, 64, true, 0, true));
    long warm = System.nanoTime();
    for (int i = 0;
        i < CNN_WARMUP_STEPS || System.nanoTime() - warm < CNN_WARMUP_SECONDS * 1_000_000_000L;
        i++) {
      step(model, opt, batches.next());
    }
    int layers = model.size();
    // per step: forward and backward of each layer, then loss forward/backward, optimizer, total
    double[][] forward = new double[layers][CNN_TIMED_STEPS];
    double[][] backward = new double[layers][CNN_TIMED_STEPS];
    double[][] other = new double[4][CNN_TIMED_STEPS];
    for (int step = 0; step < CNN_TIMED_STEPS; step++) {
      Batch b = batches.next();
      long start = System.nanoTime();
      opt.zeroGrad();
      long[] arrived = new long[layers];
      Tensor x = b.inputs();
      for (int i = 0; i < layers; i++) {
        long t = System.nanoTime();
        x = model.get(i).forward(x);
        forward[i][step] = (System.nanoTime() - t) / 1e9;
        int layer = i;
        x.registerHook(
            g -> {
              arrived[layer] = System.nanoTime();
              return g;
            });
      }
      long t = System.nanoTime();
      Tensor loss = F.crossEntropy(x, b.targets());
      other[0][step] = (System.nanoTime() - t) / 1e9;
      long backwardStart = System.nanoTime();
      loss.backward();
      long backwardEnd = System.nanoTime();
      other[1][step] = (arrived[layers - 1] - backwardStart) / 1e9;
      for (int i = 0; i < layers; i++) {
        backward[i][step] = ((i > 0 ? arrived[i - 1] : backwardEnd) - arrived[i]) / 1e9;
      }
      t = System.nanoTime();
      opt.step();
      other[2][step] = (System.nanoTime() - t) / 1e9;
      other[3][step] = (System.nanoTime() - start) / 1e9;
    }
    StringBuilder json = new StringBuilder("\"layers\": [");
    java.util.Map<String, double[]> kinds = new java.util.LinkedHashMap<>();
    System.err.printf("%-4s %-12s %10s %10s%n", "", "layer", "fwd ms", "bwd ms");
    for (int i = 0; i < layers; i++) {
      String name = model.get(i).getClass().getSimpleName();
      double f = median(forward[i]);
      double bw = median(backward[i]);
      System.err.printf("%-4d %-12s %10.3f %10.3f%n", i, name, f * 1e3, bw * 1e3);
      json.append(i > 0 ? ", " : "")
          .append(
              String.format(
                  "{\"layer\": \"%d %s\", \"forward\": %.6f, \"backward\": %.6f}", i, name, f, bw));
      double[] k = kinds.computeIfAbsent(name, n -> new double[2]);
      k[0] += f;
      k[1] += bw;
    }
    double total = median(other[3]);
    System.err.printf(
        "     %-12s %10.3f %10.3f%n     %-12s %10.3f%n     %-12s %10.3f%n",
        "loss",
        median(other[0]) * 1e3,
        median(other[1]) * 1e3,
        "optimizer",
        median(other[2]) * 1e3,
        "step",
        total * 1e3);
    json.append("], \"kinds\": {");
    String sep = "";
    for (var e : kinds.entrySet()) {
      json.append(sep)
          .append(
              String.format(
                  "\"%s\": {\"forward\": %.6f, \"backward\": %.6f}",
                  e.getKey(), e.getValue()[0], e.getValue()[1]));
      sep = ", ";
    }
    json.append(
        String.format(
            "}, \"loss_forward\": %.6f, \"loss_backward\": %.6f, \"optimizer\": %.6f",
            median(other[0]), median(other[1]), median(other[2])));
    double[] none = new double[2];
    double[] conv = kinds.getOrDefault("Conv2d", none);
    double[] pool = kinds.getOrDefault("MaxPool2d", none);
    double[] norm = kinds.getOrDefault("BatchNorm2d", none);
    double rest = total - conv[0] - conv[1] - pool[0] - pool[1] - norm[0] - norm[1];
    System.err.printf(
        "step %.3f ms = conv forward %.3f + conv backward %.3f + pooling %.3f + batch norm %.3f"
            + " + the rest %.3f%n",
        total * 1e3,
        conv[0] * 1e3,
        conv[1] * 1e3,
        (pool[0] + pool[1]) * 1e3,
        (norm[0] + norm[1]) * 1e3,
        rest * 1e3);
    json.append(
        String.format(
            ", \"summary\": {\"conv_forward\": %.6f, \"conv_backward\": %.6f, \"pooling\": %.6f,"
                + " \"batch_norm\": %.6f, \"rest\": %.6f}",
            conv[0], conv[1], pool[0] + pool[1], norm[0] + norm[1], rest));
    json.append(", \"conv_products\": {").append(convProducts()).append("}");
    return String.format("\"seconds\": %.6f, \"unit\": \"s/step\", ", total) + json;
  }

  /**
   * The convolution layers' backward split into their products, timed alone on the step's shapes
   * (batch 64): conv2d (the forward), convTranspose2d (the input's gradient: the second layer only)
   * and conv2dWeightCorrelation (the weight's gradient). Medians of 20 after 5 warm-up calls.
   */
  private static String convProducts() {
    Generator g = new Generator(5);
    int[] one = {1};
    StringBuilder json = new StringBuilder();
    int[][] layers = {{1, 32, 28}, {32, 64, 14}}; // in channels, out channels, size
    for (int l = 0; l < layers.length; l++) {
      int c = layers[l][0];
      int o = layers[l][1];
      int size = layers[l][2];
      NDArray x = NDArray.randn(g, 64, c, size, size);
      NDArray w = NDArray.randn(g, o, c, 3, 3);
      NDArray y = NDArray.randn(g, 64, o, size, size);
      double forward = timeMedian(() -> x.conv2d(w, null, one, one, one, 1));
      double input = timeMedian(() -> y.convTranspose2d(w, null, one, one, new int[] {0}, 1, one));
      double weight =
          timeMedian(() -> x.conv2dWeightCorrelation(y, new int[] {3}, one, one, one, 1));
      System.err.printf(
          "conv%d alone: conv2d %.3f ms, convTranspose2d %.3f ms%s,"
              + " conv2dWeightCorrelation %.3f ms%n",
          l + 1, forward * 1e3, input * 1e3, l == 0 ? " (not needed)" : "", weight * 1e3);
      json.append(l > 0 ? ", " : "")
          .append(
              String.format(
                  "\"conv%d\": {\"conv2d\": %.6f, \"convTranspose2d\": %.6f,"
                      + " \"conv2dWeightCorrelation\": %.6f}",
                  l + 1, forward, input, weight));
    }
    return json.toString();
  }

  private static double timeMedian(java.util.function.Supplier<NDArray> op) {
    double[] seconds = new double[20];
    for (int rep = -5; rep < seconds.length; rep++) {
      long start = System.nanoTime();
      op.get();
      if (rep >= 0) {
        seconds[rep] = (System.nanoTime() - start) / 1e9;
      }
    }
    return median(seconds);
  }

  /** The loader's batches, epoch after epoch. */
  private static Iterator<Batch> cycle(DataLoader loader) {
    return new Iterator<>() {
      private Iterator<Batch> epoch = loader.iterator();

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Batch next() {
        if (!epoch.hasNext()) {
          epoch = loader.iterator();
        }
        return epoch.next();
      }
    };
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

  /** The bundled text of {@code ./jgrad example gpt}, relative to the repository root. */
  static final String GPT_TEXT =
      "examples/src/main/resources/dev/jgrad/examples/tinyshakespeare.txt.gz";

  static final int GPT_VOCAB = 65;
  static final int GPT_BLOCK = 64;
  static final int GPT_LAYERS = 4;
  static final int GPT_HEADS = 4;
  static final int GPT_EMBD = 128;
  static final int GPT_BATCH = 32;
  static final int GPT_WARMUP_STEPS = 10;
  static final int GPT_WARMUP_SECONDS = 5;
  static final int GPT_TIMED_STEPS = 20;

  /** The text's characters as ids of its sorted alphabet, or random ids when the file is absent. */
  static int[] gptText(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return NDArray.randint(new Generator(1), 0, GPT_VOCAB, 1 << 20).toIntArray();
    }
    String text;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    TreeSet<Character> set = new TreeSet<>();
    for (int i = 0; i < text.length(); i++) {
      set.add(text.charAt(i));
    }
    if (set.size() != GPT_VOCAB) {
      throw new IOException(
          file + ": expected " + GPT_VOCAB + " distinct characters, got " + set.size());
    }
    char[] alphabet = new char[set.size()];
    int k = 0;
    for (char c : set) {
      alphabet[k++] = c;
    }
    int[] ids = new int[text.length()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = Arrays.binarySearch(alphabet, text.charAt(i));
    }
    return ids;
  }

  /** The GPT of {@code ./jgrad example gpt} (examples' {@link Gpt}), its weights from seed 0. */
  static Gpt gptModel() {
    return new Gpt(
        new Gpt.Config(GPT_VOCAB, GPT_BLOCK, GPT_LAYERS, GPT_HEADS, GPT_EMBD), new Generator(0));
  }

  /** Steps until at least {@value #GPT_WARMUP_STEPS} steps and {@value #GPT_WARMUP_SECONDS} s. */
  private static void gptWarmUp(Gpt model, AdamW opt, int[] text, Generator batches) {
    long warm = System.nanoTime();
    for (int i = 0;
        i < GPT_WARMUP_STEPS || System.nanoTime() - warm < GPT_WARMUP_SECONDS * 1_000_000_000L;
        i++) {
      gptStep(model, opt, text, batches);
    }
  }

  /**
   * One AdamW step (lr 1e-3, {@link Gpt#optimizer}: weight decay 0.1 on parameters of two or more
   * dims, betas 0.9, 0.99) of the GPT at batch 32 × 64 characters, after clipping the gradient norm
   * to 1: the first step, then the warm-up ({@link #gptWarmUp}), then the median of {@value
   * #GPT_TIMED_STEPS} steps. Batches are random windows of the text of {@code ./jgrad example gpt}.
   * Tokens/s is batch · block / the median step.
   */
  static String gpt(Path textFile) throws IOException {
    int[] text = gptText(textFile);
    Gpt model = gptModel();
    AdamW opt = model.optimizer(1e-3);
    Generator batches = new Generator(2);
    double first = gptStep(model, opt, text, batches)[3];
    gptWarmUp(model, opt, text, batches);
    double[] seconds = new double[GPT_TIMED_STEPS];
    double loss = 0;
    for (int i = 0; i < seconds.length; i++) {
      double[] t = gptStep(model, opt, text, batches);
      seconds[i] = t[3];
      loss = t[4];
    }
    double median = median(seconds);
    return String.format(
        "\"seconds\": %.6f, \"unit\": \"s/step\", \"first_step_seconds\": %.6f,"
            + " \"tokens_per_second\": %.0f, \"loss\": %.4f, \"real_data\": %b",
        median, first, GPT_BATCH * GPT_BLOCK / median, loss, Files.isRegularFile(textFile));
  }

  /**
   * One training step on a random batch: seconds of the forward pass with the loss, of backward, of
   * clipping and the optimizer, of the whole step; and the loss.
   */
  private static double[] gptStep(Gpt model, AdamW opt, int[] text, Generator g) {
    int[] x = new int[GPT_BATCH * GPT_BLOCK];
    int[] y = new int[GPT_BATCH * GPT_BLOCK];
    for (int b = 0; b < GPT_BATCH; b++) {
      int s = g.nextInt(text.length - GPT_BLOCK);
      System.arraycopy(text, s, x, b * GPT_BLOCK, GPT_BLOCK);
      System.arraycopy(text, s + 1, y, b * GPT_BLOCK, GPT_BLOCK);
    }
    Tensor ids = Tensor.ofInts(x).view(GPT_BATCH, GPT_BLOCK);
    Tensor targets = Tensor.ofInts(y).view(GPT_BATCH, GPT_BLOCK);
    long start = System.nanoTime();
    opt.zeroGrad();
    Tensor loss = model.loss(ids, targets);
    long forwardEnd = System.nanoTime();
    loss.backward();
    long backwardEnd = System.nanoTime();
    ClipGrad.clipGradNorm(model.parameters(), 1.0, 2.0);
    opt.step();
    long end = System.nanoTime();
    return new double[] {
      (forwardEnd - start) / 1e9,
      (backwardEnd - forwardEnd) / 1e9,
      (end - backwardEnd) / 1e9,
      (end - start) / 1e9,
      loss.item()
    };
  }

  /**
   * Where a gpt step's time goes. The step is timed as {@link #gpt} does, split into forward (with
   * the loss), backward and clipping with the optimizer; then each kind of work is timed alone on
   * the step's shapes, forward and backward, as often as one step runs it (medians of {@value
   * #GPT_TIMED_STEPS} after 5 warm-up runs): attention (the q/k/v head views of the fused
   * projection, causal {@code scaledDotProductAttention}, the heads merged back), the linear
   * layers' matrix products (q/k/v and output projections, the two feed-forward layers per block,
   * the head), the nine layer norms and the four GELUs. The rest (embeddings, residual adds,
   * cross-entropy, the engine's bookkeeping) is the step less all of these. Prints a table on
   * stderr.
   */
  static String gptSplit(Path textFile) throws IOException {
    int[] text = gptText(textFile);
    Gpt model = gptModel();
    AdamW opt = model.optimizer(1e-3);
    Generator batches = new Generator(2);
    gptWarmUp(model, opt, text, batches);
    double[][] parts = new double[4][GPT_TIMED_STEPS];
    for (int i = 0; i < GPT_TIMED_STEPS; i++) {
      double[] t = gptStep(model, opt, text, batches);
      for (int p = 0; p < 4; p++) {
        parts[p][i] = t[p];
      }
    }
    double step = median(parts[3]);
    double optimizer = median(parts[2]);
    Generator g = new Generator(3);
    int n = GPT_BATCH;
    int t = GPT_BLOCK;
    int e = GPT_EMBD;
    int h = GPT_HEADS;
    Tensor qkv = new Tensor(NDArray.randn(g, n, t, 3 * e)).requiresGrad(true);
    double attention =
        GPT_LAYERS
            * timeBackward(
                () -> {
                  List<Tensor> c = qkv.chunk(3, -1);
                  Tensor[] heads = new Tensor[3];
                  for (int i = 0; i < 3; i++) {
                    heads[i] = c.get(i).reshape(n, t, h, e / h).transpose(1, 2);
                  }
                  return F.scaledDotProductAttention(heads[0], heads[1], heads[2], true)
                      .transpose(1, 2)
                      .reshape(n, t, e);
                });
    double matmuls =
        GPT_LAYERS
                * (linearTime(g, n * t, e, 3 * e, true)
                    + linearTime(g, n * t, e, e, true)
                    + linearTime(g, n * t, e, 4 * e, true)
                    + linearTime(g, n * t, 4 * e, e, true))
            + linearTime(g, n * t, e, GPT_VOCAB, false);
    Tensor normIn = new Tensor(NDArray.randn(g, n, t, e)).requiresGrad(true);
    LayerNorm norm = new LayerNorm(e);
    double norms = (2 * GPT_LAYERS + 1) * timeBackward(() -> norm.forward(normIn));
    Tensor geluIn = new Tensor(NDArray.randn(g, n, t, 4 * e)).requiresGrad(true);
    double gelu = GPT_LAYERS * timeBackward(() -> F.gelu(geluIn));
    double rest = step - attention - matmuls - norms - gelu - optimizer;
    System.err.printf(
        "step %.1f ms (forward %.1f, backward %.1f, clip + optimizer %.1f), %.0f tokens/s%n"
            + "alone on the step's shapes, forward + backward: attention %.1f ms, matmuls %.1f ms,"
            + " layer norms %.1f ms, GELU %.1f ms; the rest %.1f ms%n",
        step * 1e3,
        median(parts[0]) * 1e3,
        median(parts[1]) * 1e3,
        optimizer * 1e3,
        n * t / step,
        attention * 1e3,
        matmuls * 1e3,
        norms * 1e3,
        gelu * 1e3,
        rest * 1e3);
    return String.format(
        "\"seconds\": %.6f, \"unit\": \"s/step\", \"tokens_per_second\": %.0f,"
            + " \"forward\": %.6f, \"backward\": %.6f, \"summary\": {\"attention\": %.6f,"
            + " \"matmuls\": %.6f, \"norms\": %.6f, \"gelu\": %.6f, \"optimizer\": %.6f,"
            + " \"rest\": %.6f}",
        step,
        n * t / step,
        median(parts[0]),
        median(parts[1]),
        attention,
        matmuls,
        norms,
        gelu,
        optimizer,
        rest);
  }

  /** Forward and backward of x·Wᵀ (+ b) for x [rows, in], as {@code Linear} runs it. */
  private static double linearTime(Generator g, int rows, int in, int out, boolean bias) {
    Tensor x = new Tensor(NDArray.randn(g, rows, in)).requiresGrad(true);
    Tensor w = new Tensor(NDArray.randn(g, out, in)).requiresGrad(true);
    Tensor b = bias ? new Tensor(NDArray.randn(g, out)).requiresGrad(true) : null;
    return timeBackward(() -> F.linear(x, w, b));
  }

  /**
   * Median seconds of {@code forward} and a backward pass from a fixed random output gradient, over
   * {@value #GPT_TIMED_STEPS} runs after 5 warm-up runs.
   */
  private static double timeBackward(java.util.function.Supplier<Tensor> forward) {
    double[] seconds = new double[GPT_TIMED_STEPS];
    Tensor grad = null;
    for (int rep = -5; rep < seconds.length; rep++) {
      long start = System.nanoTime();
      Tensor out = forward.get();
      if (grad == null) {
        grad = new Tensor(NDArray.randn(new Generator(4), out.shape()));
      }
      out.backward(grad);
      if (rep >= 0) {
        seconds[rep] = (System.nanoTime() - start) / 1e9;
      }
    }
    return median(seconds);
  }
}
