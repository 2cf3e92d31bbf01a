package dev.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.SGD;
import dev.jgrad.tensor.NDArray;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;

/**
 * The communication-light mode: local steps, then parameters and momentum averaged every k steps.
 * The replicas end identical (the driver checks their digests), the model learns, and a worker
 * sends about k times fewer bytes per step.
 */
class AveragingTest {
  static double accuracy(Module model, List<Example> data) {
    float[] x = new float[data.size() * Blobs.FEATURES];
    for (int i = 0; i < data.size(); i++) {
      System.arraycopy(data.get(i).features(), 0, x, i * Blobs.FEATURES, Blobs.FEATURES);
    }
    model.eval();
    int[] predicted =
        model
            .forward(new Tensor(NDArray.fromArray(x, data.size(), Blobs.FEATURES)))
            .argmax(1, false)
            .data()
            .toIntArray();
    int correct = 0;
    for (int i = 0; i < data.size(); i++) {
      correct += predicted[i] == data.get(i).label() ? 1 : 0;
    }
    return (double) correct / data.size();
  }

  @Test
  void averagingEveryFourStepsLearnsWithAQuarterOfTheTraffic() {
    List<Example> data = Blobs.examples(320, 21);
    JavaRDD<Example> rdd = SharedSpark.context().parallelize(data, 2).cache();
    OptimizerFactory sgd = params -> new SGD(params, 0.1, 0.9);
    TrainingOptions o = TrainingOptions.forInputs(Blobs.FEATURES).batchSize(32).epochs(6).seed(4);
    TrainingResult sync = new DataParallelTrainer(Blobs::mlp, sgd, o).fit(rdd);
    TrainingResult local = new DataParallelTrainer(Blobs::mlp, sgd, o.averageEvery(4)).fit(rdd);
    assertEquals(2, local.workers());
    assertTrue(local.finalLoss() < 0.5 * local.epochLoss()[0], "the loss falls: " + local);
    double a = accuracy(local.model(), data);
    assertTrue(a > 0.85, "accuracy " + a + " (synchronous: " + accuracy(sync.model(), data) + ")");
    // 10 steps an epoch: averages after steps 4, 8 and 10, each of the parameters and momentum.
    double ratio = (double) local.bytesSentPerStep() / sync.bytesSentPerStep();
    assertTrue(ratio > 0.4 && ratio < 0.8, "bytes per step, averaging over synchronous: " + ratio);
  }
}
