package dev.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.data.Batch;
import dev.jgrad.nn.data.DataLoader;
import dev.jgrad.nn.data.TensorDataset;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.SGD;
import dev.jgrad.tensor.NDArray;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;

/**
 * Synchronous data-parallel training equals one process training on the same global batches, to
 * float32 rounding, whatever the number of workers and partitions.
 */
class DataParallelTrainerTest {
  static final int EXAMPLES = 300;
  static final int BATCH = 20;
  static final int EPOCHS = 14; // 15 steps an epoch: 210 steps
  static final long SEED = 42;

  static final OptimizerFactory SGD_MOMENTUM = params -> new SGD(params, 0.1, 0.9);

  static TrainingOptions options() {
    return TrainingOptions.forInputs(Blobs.FEATURES).batchSize(BATCH).epochs(EPOCHS).seed(SEED);
  }

  /** The reference: one process, jgrad's DataLoader with the seed, mean cross-entropy. */
  static Module trainInOneProcess(List<Example> data, OptimizerFactory optimizer) {
    return trainInOneProcess(data, optimizer, EPOCHS);
  }

  static Module trainInOneProcess(List<Example> data, OptimizerFactory optimizer, int epochs) {
    float[] x = new float[data.size() * Blobs.FEATURES];
    int[] y = new int[data.size()];
    for (int i = 0; i < data.size(); i++) {
      System.arraycopy(data.get(i).features(), 0, x, i * Blobs.FEATURES, Blobs.FEATURES);
      y[i] = data.get(i).label();
    }
    TensorDataset set =
        new TensorDataset(
            NDArray.fromArray(x, data.size(), Blobs.FEATURES), NDArray.fromArray(y, data.size()));
    Module model = Blobs.mlp();
    Optimizer opt = optimizer.create(model.parameters());
    DataLoader loader = new DataLoader(set, BATCH, true, SEED, false);
    for (int epoch = 0; epoch < epochs; epoch++) {
      for (Batch b : loader) {
        opt.zeroGrad();
        Tensor loss = F.crossEntropy(model.forward(b.inputs()), b.targets());
        loss.backward();
        opt.step();
      }
    }
    return model;
  }

  /**
   * Every value of every parameter within float32 rounding of the reference's: after a few hundred
   * steps the sums taken in another order differ by a few units in the last place, amplified by
   * training; 1e-5 of the tensor's largest value bounds that (a wrongly scaled or dropped shard
   * gradient is off by more than 1e-1).
   */
  static void assertSameParameters(Module expected, Module actual) {
    Map<String, NDArray> want = expected.stateDict();
    Map<String, NDArray> got = actual.stateDict();
    assertEquals(want.keySet(), got.keySet());
    for (String k : want.keySet()) {
      float[] a = want.get(k).toFloatArray();
      float[] b = got.get(k).toFloatArray();
      double largest = 0;
      double worst = 0;
      for (int i = 0; i < a.length; i++) {
        largest = Math.max(largest, Math.abs(a[i]));
        worst = Math.max(worst, Math.abs(a[i] - b[i]));
      }
      System.out.printf("%s: largest difference %.3g of largest value %.3g%n", k, worst, largest);
      assertTrue(
          worst <= 1e-5 * largest,
          k + ": largest difference from one process " + worst + ", largest value " + largest);
    }
  }

  private TrainingResult fit(List<Example> data, int partitions, int workers) {
    JavaRDD<Example> rdd = SharedSpark.context().parallelize(data, partitions);
    return new DataParallelTrainer(Blobs::mlp, SGD_MOMENTUM, options().workers(workers)).fit(rdd);
  }

  @Test
  void twoWorkersTrainAsOneProcess() {
    List<Example> data = Blobs.examples(EXAMPLES, 1);
    TrainingResult r = fit(data, 2, 0);
    assertEquals(2, r.workers());
    assertEquals((long) EPOCHS * 15, r.steps());
    assertSameParameters(trainInOneProcess(data, SGD_MOMENTUM), r.model());
    assertTrue(r.finalLoss() < r.epochLoss()[0], "the loss falls");
  }

  @Test
  void fourWorkersTrainAsOneProcess() {
    List<Example> data = Blobs.examples(EXAMPLES, 1);
    TrainingResult r = fit(data, 4, 0);
    assertEquals(4, r.workers());
    assertSameParameters(trainInOneProcess(data, SGD_MOMENTUM), r.model());
  }

  @Test
  void fourPartitionsOnTwoWorkersTrainAsOneProcess() {
    List<Example> data = Blobs.examples(EXAMPLES, 1);
    TrainingResult r = fit(data, 4, 2);
    assertEquals(2, r.workers());
    assertSameParameters(trainInOneProcess(data, SGD_MOMENTUM), r.model());
  }
}
