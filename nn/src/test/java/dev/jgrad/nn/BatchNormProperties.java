package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.GradCheck;
import dev.jgrad.autograd.GradMode;
import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link BatchNorm1d}, {@link BatchNorm2d} and {@link F#batchNorm} (in {@code Normalization} and
 * {@code BatchNormBase}): outputs in training and evaluation mode and the running statistics after
 * several steps against a naive double-precision reference; GradCheck first and second order;
 * errors; the buffers under PyTorch's names, and a PyTorch-style state dict with an I64 {@code
 * num_batches_tracked} written byte by byte from the safetensors spec.
 */
class BatchNormProperties {

  /** An input shape (N, C, …) for BatchNorm1d (rank 2 or 3) or BatchNorm2d (rank 4). */
  @Provide
  Arbitrary<int[]> shapes() {
    Arbitrary<Integer> n = Arbitraries.integers().between(1, 4);
    Arbitrary<Integer> c = Arbitraries.integers().between(1, 3);
    Arbitrary<Integer> s = Arbitraries.integers().between(1, 4);
    return Combinators.combine(n, c, s, s, Arbitraries.integers().between(2, 4))
        .as(
            (nn, cc, h, w, rank) -> {
              int[] shape =
                  rank == 2
                      ? new int[] {nn, cc}
                      : rank == 3 ? new int[] {nn, cc, h} : new int[] {nn, cc, h, w};
              return shape;
            })
        .filter(shape -> numel(shape) / shape[1] > 1); // training needs 2 values per channel
  }

  static int numel(int[] shape) {
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    return n;
  }

  // ------------------------------------------------------------------ the naive reference

  /** Running statistics and what one step of the reference returns. */
  static final class Reference {
    final double[] runningMean;
    final double[] runningVar;

    Reference(int channels) {
      runningMean = new double[channels];
      runningVar = new double[channels];
      java.util.Arrays.fill(runningVar, 1);
    }

    /** y for x of shape (N, C, inner…) as values, with batch (training) or running statistics. */
    double[] forward(
        double[] x,
        int[] shape,
        double[] w,
        double[] b,
        boolean batchStatistics,
        boolean update,
        double momentum,
        double eps) {
      int n = shape[0];
      int c = shape[1];
      int inner = numel(shape) / (n * c);
      double[] y = new double[x.length];
      for (int ch = 0; ch < c; ch++) {
        double mean;
        double var;
        if (batchStatistics) {
          double sum = 0;
          int count = 0;
          for (int i = 0; i < n; i++) {
            for (int k = 0; k < inner; k++) {
              sum += x[(i * c + ch) * inner + k];
              count++;
            }
          }
          mean = sum / count;
          double sq = 0;
          for (int i = 0; i < n; i++) {
            for (int k = 0; k < inner; k++) {
              double d = x[(i * c + ch) * inner + k] - mean;
              sq += d * d;
            }
          }
          var = sq / count;
          if (update) {
            runningMean[ch] = (1 - momentum) * runningMean[ch] + momentum * mean;
            runningVar[ch] = (1 - momentum) * runningVar[ch] + momentum * sq / (count - 1);
          }
        } else {
          mean = runningMean[ch];
          var = runningVar[ch];
        }
        for (int i = 0; i < n; i++) {
          for (int k = 0; k < inner; k++) {
            int at = (i * c + ch) * inner + k;
            y[at] = (x[at] - mean) / Math.sqrt(var + eps) * w[ch] + b[ch];
          }
        }
      }
      return y;
    }
  }

  static BatchNormBase module(
      int[] shape, double eps, double momentum, boolean affine, boolean track) {
    return shape.length == 4
        ? new BatchNorm2d(shape[1], eps, momentum, affine, track)
        : new BatchNorm1d(shape[1], eps, momentum, affine, track);
  }

  static void assertClose(String what, double[] expected, NDArray actual, double tol) {
    double[] a = actual.toDoubleArray();
    assertEquals(expected.length, a.length, what);
    for (int i = 0; i < a.length; i++) {
      assertEquals(expected[i], a[i], tol * (1 + Math.abs(expected[i])), what + " at " + i);
    }
  }

  @Property(tries = 60)
  void trainingAndEvaluationMatchTheReference(
      @ForAll("shapes") int[] shape,
      @ForAll boolean affine,
      @ForAll boolean track,
      @ForAll long seed) {
    Generator g = new Generator(seed);
    double eps = 1e-5 * (1 + g.nextInt(100));
    double momentum = 0.05 + 0.9 * g.nextDouble();
    BatchNormBase bn = module(shape, eps, momentum, affine, track);
    int c = shape[1];
    double[] w = new double[c];
    double[] b = new double[c];
    java.util.Arrays.fill(w, 1);
    if (affine) {
      NDArray wv = NDArray.randn(g, c);
      NDArray bv = NDArray.randn(g, c);
      try (GradMode.Scope off = Tensor.noGrad()) {
        bn.weight.copyFrom(new Tensor(wv));
        bn.bias.copyFrom(new Tensor(bv));
      }
      w = wv.toDoubleArray();
      b = bv.toDoubleArray();
    }
    Reference ref = new Reference(c);
    for (int step = 0; step < 3; step++) {
      NDArray x = NDArray.randn(g, shape).mul(1 + step).add(step - 1);
      Tensor y = bn.forward(new Tensor(x));
      double[] expected = ref.forward(x.toDoubleArray(), shape, w, b, true, track, momentum, eps);
      assertClose("training step " + step, expected, y.data(), 2e-4);
      if (track) {
        assertClose("running_mean " + step, ref.runningMean, bn.runningMean.data(), 1e-5);
        assertClose("running_var " + step, ref.runningVar, bn.runningVar.data(), 1e-5);
        assertEquals(step + 1, bn.numBatchesTracked.data().getInt());
      }
    }
    bn.eval();
    NDArray x = NDArray.randn(g, shape);
    double[] expected = ref.forward(x.toDoubleArray(), shape, w, b, !track, false, momentum, eps);
    assertClose("evaluation", expected, bn.forward(new Tensor(x)).data(), 2e-4);
    if (track) {
      assertEquals(3, bn.numBatchesTracked.data().getInt(), "eval counts no batch");
      assertEquals(
          List.of("running_mean", "running_var", "num_batches_tracked"),
          List.copyOf(bn.namedBuffers().keySet()));
    } else {
      assertTrue(bn.namedBuffers().isEmpty());
    }
    assertEquals(
        affine ? List.of("weight", "bias") : List.of(), List.copyOf(bn.namedParameters().keySet()));
  }

  // ------------------------------------------------------------------ gradients

  static Tensor leaf(NDArray a) {
    return new Tensor(a).requiresGrad(true);
  }

  static void assertGradients(String what, Function<Tensor[], Tensor> f, Tensor... inputs) {
    GradCheck.Report first = GradCheck.firstOrder(f, inputs);
    assertTrue(first.passed(), () -> what + ": " + first);
    GradCheck.Report second = GradCheck.secondOrder(f, inputs);
    assertTrue(second.passed(), () -> what + ": " + second);
  }

  @Property(tries = 25)
  void batchNormPassesGradCheckInTrainingAndEvaluation(
      @ForAll("shapes") int[] shape, @ForAll boolean transposed, @ForAll long seed) {
    Generator g = new Generator(seed);
    int c = shape[1];
    NDArray xa = NDArray.randn(g, DType.FLOAT64, shape);
    if (transposed) { // a non-contiguous input: the channel dim read through a transposed view
      int[] swapped = shape.clone();
      swapped[0] = shape[1];
      swapped[1] = shape[0];
      xa = NDArray.randn(g, DType.FLOAT64, swapped).transpose(0, 1);
    }
    Tensor x = leaf(xa);
    Tensor w = leaf(NDArray.rand(g, DType.FLOAT64, c).add(0.5));
    Tensor b = leaf(NDArray.randn(g, DType.FLOAT64, c));
    assertGradients(
        "training " + java.util.Arrays.toString(shape),
        in -> F.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-3),
        x,
        w,
        b);
    Tensor mean = new Tensor(NDArray.randn(g, DType.FLOAT64, c));
    Tensor var = new Tensor(NDArray.rand(g, DType.FLOAT64, c).add(0.5));
    assertGradients(
        "evaluation " + java.util.Arrays.toString(shape),
        in -> F.batchNorm(in[0], mean, var, in[1], in[2], false, 0.1, 1e-5),
        x,
        w,
        b);
  }

  // ------------------------------------------------------------------ errors and state

  static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertEquals(expected, e.getMessage());
  }

  @Test
  void errorsNameTheModuleAndTheShape() {
    assertMessage(
        "BatchNorm2d: expected 3 channels (num_features), got input of shape [2, 4, 5, 5]",
        () -> new BatchNorm2d(3).forward(Tensor.zeros(2, 4, 5, 5)));
    assertMessage(
        "BatchNorm2d: expected a 4-D (N, C, H, W) input, got shape [2, 3, 5]",
        () -> new BatchNorm2d(3).forward(Tensor.zeros(2, 3, 5)));
    assertMessage(
        "BatchNorm1d: expected a 2-D (N, C) or 3-D (N, C, L) input, got shape [2, 3, 5, 5]",
        () -> new BatchNorm1d(3).forward(Tensor.zeros(2, 3, 5, 5)));
    assertMessage(
        "BatchNorm1d: expected more than 1 value per channel when training, got input of shape"
            + " [1, 3]",
        () -> new BatchNorm1d(3).forward(Tensor.zeros(1, 3)));
    BatchNorm1d eval = new BatchNorm1d(3);
    eval.eval();
    assertArrayEquals(new int[] {1, 3}, eval.forward(Tensor.zeros(1, 3)).shape()); // fine in eval
    assertMessage(
        "batchNorm: weight of shape [4] does not match the 3 channels of the input of shape [2, 3]",
        () -> F.batchNorm(Tensor.zeros(2, 3), null, null, Tensor.ones(4), null, true, 0.1, 1e-5));
    assertMessage(
        "batchNorm: running_mean and running_var are needed when not training",
        () -> F.batchNorm(Tensor.zeros(2, 3), null, null, null, null, false, 0.1, 1e-5));
    assertMessage("BatchNorm2d: num_features must be positive, got 0", () -> new BatchNorm2d(0));
    assertMessage(
        "BatchNorm2d: momentum must be in [0, 1], got 1.5",
        () -> new BatchNorm2d(2, 1e-5, 1.5, true, true));
  }

  @Test
  void reprFollowsPyTorch() {
    assertEquals(
        "BatchNorm2d(16, eps=1.0E-5, momentum=0.1, affine=True, track_running_stats=True)",
        new BatchNorm2d(16).toString());
    assertEquals(
        "BatchNorm1d(4, eps=0.001, momentum=0.2, affine=False, track_running_stats=False)",
        new BatchNorm1d(4, 1e-3, 0.2, false, false).toString());
  }

  @Test
  void runningStatisticsAreNotTrainedAndSurviveSaveAndLoad() throws IOException {
    Sequential model = new Sequential(new BatchNorm1d(2));
    assertEquals(2, model.parameters().size()); // weight and bias; the buffers are not parameters
    model.forward(new Tensor(NDArray.of(new float[][] {{1, 2}, {3, 6}})));
    Path file = Files.createTempFile("bn", ".safetensors");
    try {
      model.save(file);
      Sequential loaded = new Sequential(new BatchNorm1d(2));
      loaded.load(file);
      Map<String, NDArray> a = model.stateDict();
      Map<String, NDArray> b = loaded.stateDict();
      assertEquals(a.keySet(), b.keySet());
      for (String k : a.keySet()) {
        assertArrayEquals(a.get(k).toDoubleArray(), b.get(k).toDoubleArray(), k);
      }
      assertEquals(1, b.get("0.num_batches_tracked").getInt());
      assertArrayEquals(new float[] {0.2f, 0.4f}, b.get("0.running_mean").toFloatArray(), 1e-6f);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** A safetensors file as PyTorch writes a BatchNorm2d(2) state dict: num_batches_tracked I64. */
  static byte[] pytorchStateDict(long batches) {
    String header =
        "{\"weight\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},"
            + "\"running_mean\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]},"
            + "\"running_var\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]},"
            + "\"num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[32,40]}}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + 40).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    b.putFloat(1.5f).putFloat(0.5f); // weight
    b.putFloat(-1f).putFloat(2f); // bias
    b.putFloat(0.25f).putFloat(-0.75f); // running_mean
    b.putFloat(4f).putFloat(9f); // running_var
    b.putLong(batches);
    return b.array();
  }

  @Test
  void aPyTorchStateDictWithAnInt64BatchCountLoads() throws IOException {
    Path file = Files.createTempFile("bn-pytorch", ".safetensors");
    try {
      Files.write(file, pytorchStateDict(1234));
      BatchNorm2d bn = new BatchNorm2d(2);
      bn.load(file);
      assertEquals(1234, bn.numBatchesTracked.data().getInt());
      assertEquals(DType.INT32, bn.numBatchesTracked.dtype());
      assertArrayEquals(new float[] {0.25f, -0.75f}, bn.runningMean.data().toFloatArray());
      bn.eval();
      // y = (x − mean) / √(var + eps) · w + b at x = 1 in both channels
      float[] y = bn.forward(Tensor.ones(1, 2, 1, 1)).data().toFloatArray();
      assertEquals((1 - 0.25) / Math.sqrt(4 + 1e-5) * 1.5 - 1, y[0], 1e-6);
      assertEquals((1 + 0.75) / Math.sqrt(9 + 1e-5) * 0.5 + 2, y[1], 1e-6);

      Files.write(file, pytorchStateDict(1L << 40));
      SafetensorsException e =
          assertThrows(SafetensorsException.class, () -> new BatchNorm2d(2).load(file));
      assertTrue(
          e.getMessage()
              .contains(
                  "entry 'num_batches_tracked' holds the I64 value 1099511627776 at element 0,"
                      + " which does not fit INT32"),
          e.getMessage());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void withoutRunningStatisticsEvaluationUsesTheBatch() {
    BatchNorm2d bn = new BatchNorm2d(1, 1e-5, 0.1, false, false);
    bn.eval();
    assertFalse(bn.isTraining());
    Tensor y = bn.forward(new Tensor(NDArray.of(1f, 3).reshape(1, 1, 1, 2)));
    assertArrayEquals(new float[] {-1, 1}, y.data().toFloatArray(), 1e-4f);
  }
}
