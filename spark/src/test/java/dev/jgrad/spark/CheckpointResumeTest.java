package dev.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.nn.Module;
import dev.jgrad.optim.Adam;
import dev.jgrad.tensor.NDArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task that dies mid-epoch: Spark reruns the barrier stage, every worker resumes from the last
 * epoch checkpoint, and training ends with the same parameters as a run that never failed.
 */
class CheckpointResumeTest {
  static final OptimizerFactory ADAM = params -> new Adam(params, 0.01);

  static TrainingOptions options(Path dir) {
    return TrainingOptions.forInputs(Blobs.FEATURES)
        .batchSize(16)
        .epochs(4)
        .seed(3)
        .checkpointDir(dir.toString());
  }

  /** Fails worker 1 at step 5 of epoch 3, in the stage's first attempt only. */
  static void failOnce(int worker, int epoch, int step) {
    if (worker == 1 && epoch == 3 && step == 5 && TaskContext.get().stageAttemptNumber() == 0) {
      throw new IllegalStateException("a task dies on purpose (test)");
    }
  }

  @Test
  void aFailedTaskResumesFromTheLastCheckpointAndEndsTheSame(@TempDir Path tmp) throws Exception {
    List<Example> data = Blobs.examples(160, 5);
    JavaRDD<Example> rdd = SharedSpark.context().parallelize(data, 2).cache();

    TrainingResult clean =
        new DataParallelTrainer(Blobs::mlp, ADAM, options(tmp.resolve("clean"))).fit(rdd);
    assertEquals(0, clean.resumedAfterEpoch());

    TrainingResult resumed =
        new DataParallelTrainer(
                Blobs::mlp,
                ADAM,
                options(tmp.resolve("failing")).stepHook(CheckpointResumeTest::failOnce))
            .fit(rdd);
    assertEquals(2, resumed.resumedAfterEpoch(), "the retry starts after epoch 2's checkpoint");
    assertEquals(2L * 10, resumed.steps(), "the retry ran epochs 3 and 4 only");
    assertSameBits(clean.model(), resumed.model());
    assertSameBits(clean.optimizerState(), resumed.optimizerState());
    assertEquals(clean.finalLoss(), resumed.finalLoss());
    assertTrue(
        Files.exists(tmp.resolve("failing").resolve("epoch-00004.safetensors")),
        "the last epoch's checkpoint is written");
  }

  @Test
  void checkpointsKeepTheNewestTwoAndRestoreModelAndOptimizer(@TempDir Path tmp) {
    Checkpoints c = new Checkpoints(tmp);
    assertEquals(-1, c.latestEpoch());
    Module m = Blobs.mlp();
    for (int e = 1; e <= 3; e++) {
      c.write(e, m.stateDict(), Map.of("state.0.step", NDArray.of((double) e)));
    }
    assertEquals(3, c.latestEpoch());
    assertTrue(!Files.exists(c.file(1)) && Files.exists(c.file(2)) && Files.exists(c.file(3)));
    Checkpoints.Checkpoint last = c.latest().orElseThrow();
    assertEquals(3, last.epochsDone());
    assertEquals(3.0, last.optimizer().get("state.0.step").toDoubleArray()[0]);
    assertSameBits(m.stateDict(), last.model());
  }

  static void assertSameBits(Module a, Module b) {
    assertSameBits(a.stateDict(), b.stateDict());
  }

  static void assertSameBits(Map<String, NDArray> a, Map<String, NDArray> b) {
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k).toDoubleArray(), b.get(k).toDoubleArray(), 0.0, k);
    }
  }
}
