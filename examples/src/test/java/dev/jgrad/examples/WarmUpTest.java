package dev.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.examples.CommandLineTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WarmUp} leaves no trace in a run: a model trained while a warm-up of the same architecture
 * runs beside it (started before, still stepping during the whole training) is saved byte for byte
 * as one trained with {@code --no-warm-up}. It fails if the warm-up shared a generator, a model, an
 * optimizer state or a kernel's scratch memory with the run.
 */
class WarmUpTest {

  private static byte[] train(Path file, String... options) throws Exception {
    String[] args = new String[options.length + 3];
    args[0] = "train";
    System.arraycopy(options, 0, args, 1, options.length);
    args[args.length - 2] = "--save";
    args[args.length - 1] = file.toString();
    Run r = CommandLineTest.run(args);
    assertEquals(0, r.code(), r.err());
    return Files.readAllBytes(file);
  }

  private static void assertNoTrace(Path dir, String model, String threads) throws Exception {
    String[] options = {"--model", model, "--epochs", "2", "--seed", "5", "--threads", threads};
    byte[] alone = train(dir.resolve("alone.safetensors"), concat(options, "--no-warm-up"));
    int[] hidden = {128};
    Trainer.Config c =
        new Trainer.Config(model, hidden, "relu", "sgd", 0.1, "constant", 0.9, 32, 2, 5);
    try (WarmUp beside = WarmUp.start(ModelSpec.forShape(model, hidden, "relu", 8, 8, 10), c)) {
      beside.awaitSteps(3);
      byte[] warmed = train(dir.resolve("warmed.safetensors"), concat(options, "--warm-up"));
      assertTrue(beside.steps() >= 3);
      assertArrayEquals(alone, warmed, model + " on " + threads + " thread(s)");
    }
  }

  private static String[] concat(String[] a, String b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + 1);
    r[a.length] = b;
    return r;
  }

  @Test
  void anMlpTrainedBesideAWarmUpIsSavedByteForByteAsOneTrainedWithout(@TempDir Path dir)
      throws Exception {
    assertNoTrace(dir, "mlp", "1");
    assertNoTrace(dir, "mlp", "2");
  }

  @Test
  void soIsTheCnn(@TempDir Path dir) throws Exception {
    assertNoTrace(dir, "cnn", "2");
  }

  /**
   * A model whose training takes more than an eighth of the heap gets no warm-up: it would take
   * memory from the data set being read (and, built before the size check, could run the JVM out of
   * memory before the one-line refusal).
   */
  @Test
  void aModelTooBigForAnEighthOfTheHeapIsNotWarmedUp() throws Exception {
    int[] huge = {40000, 40000}; // 1.6 G parameters: 19.6 GB with gradients and momentum
    Trainer.Config big =
        new Trainer.Config("mlp", huge, "relu", "sgd", 0.1, "constant", 0.9, 64, 1, 5);
    assertEquals(null, TrainCommand.warmUp(big, "fashion-mnist"));
    Trainer.Config small =
        new Trainer.Config("mlp", new int[] {16}, "relu", "sgd", 0.1, "constant", 0.9, 32, 1, 5);
    try (WarmUp w = TrainCommand.warmUp(small, "digits")) {
      assertTrue(w != null);
      w.awaitSteps(1);
    }
  }
}
