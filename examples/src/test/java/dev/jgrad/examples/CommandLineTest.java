package dev.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./jgrad} command line end to end through {@link Main#run}: {@link TrainCommand} (with
 * {@link Trainer}, {@link Datasets} and the PNG {@link Charts}), {@link EvalCommand} and the errors
 * of {@link ExampleCommand}.
 */
class CommandLineTest {

  /** Exit code, stdout and stderr of one command line. */
  record Run(int code, String out, String err) {
    double finalAccuracy() {
      return Arrays.stream(out.split("\n"))
          .filter(l -> l.startsWith("final test accuracy: "))
          .mapToDouble(l -> Double.parseDouble(l.substring("final test accuracy: ".length())))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no final accuracy in:\n" + out));
    }

    /** The per-epoch lines without their timing column. */
    String[] epochLinesWithoutTime() {
      return Arrays.stream(out.split("\n"))
          .filter(l -> l.startsWith("epoch"))
          .map(l -> l.substring(0, l.lastIndexOf("  ")))
          .toArray(String[]::new);
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void trainingOnTheBundledDigitsReachesNinetyFivePercent() {
    Run r = run("train", "--epochs", "12");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.finalAccuracy() >= 0.95, r.out());
    assertTrue(r.out().contains("train seconds per epoch: "), r.out());
  }

  @Test
  void theSameSeedGivesTheSameNumbers() {
    Run a = run("train", "--epochs", "3", "--seed", "7", "--threads", "1");
    Run b = run("train", "--epochs", "3", "--seed", "7", "--threads", "2");
    assertArrayEquals(a.epochLinesWithoutTime(), b.epochLinesWithoutTime());
    assertEquals(3, a.epochLinesWithoutTime().length);
    Run c = run("train", "--epochs", "3", "--seed", "8");
    assertTrue(!Arrays.equals(a.epochLinesWithoutTime(), c.epochLinesWithoutTime()));
  }

  @Test
  void aSavedModelEvaluatesToTheSameAccuracyAndPlotsArePngs(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("digits.safetensors");
    Path plot = dir.resolve("curves.png");
    Run train =
        run(
            "train",
            "--epochs",
            "3",
            "--hidden",
            "32,16",
            "--activation",
            "tanh",
            "--save",
            model.toString(),
            "--plot",
            plot.toString());
    assertEquals(0, train.code(), train.err());
    Run eval = run("eval", "--model", model.toString());
    assertEquals(0, eval.code(), eval.err());
    assertEquals(train.finalAccuracy(), eval.finalAccuracy());
    byte[] png = Files.readAllBytes(plot);
    assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
  }

  /**
   * The cnn on the digits, a few epochs: far above chance (0.1), the same numbers on one and two
   * threads, and a saved model (with BatchNorm's running statistics) evaluates to the same
   * accuracy.
   */
  @Test
  void theCnnLearnsTheDigitsDeterministicallyAndEvaluatesAfterSaving(@TempDir Path dir) {
    Path model = dir.resolve("cnn.safetensors");
    Run one =
        run(
            "train",
            "--model",
            "cnn",
            "--epochs",
            "3",
            "--threads",
            "1",
            "--save",
            model.toString());
    assertEquals(0, one.code(), one.err());
    assertTrue(one.out().contains("cnn 1x8x8"), one.out());
    assertTrue(one.finalAccuracy() >= 0.8, one.out());
    Run two = run("train", "--model", "cnn", "--epochs", "3", "--threads", "2");
    assertArrayEquals(one.epochLinesWithoutTime(), two.epochLinesWithoutTime());
    Run eval = run("eval", "--model", model.toString());
    assertEquals(0, eval.code(), eval.err());
    assertTrue(eval.out().contains("cnn 1x8x8"), eval.out());
    assertEquals(one.finalAccuracy(), eval.finalAccuracy());
  }

  @Test
  void theCosineScheduleChangesTheRunAndIsAnnounced() {
    Run constant = run("train", "--epochs", "2", "--seed", "3");
    Run cosine = run("train", "--epochs", "2", "--seed", "3", "--schedule", "cosine");
    assertEquals(0, cosine.code(), cosine.err());
    assertTrue(cosine.out().contains("(cosine schedule)"), cosine.out());
    assertTrue(!constant.out().contains("cosine"), constant.out());
    String[] a = constant.epochLinesWithoutTime();
    String[] b = cosine.epochLinesWithoutTime();
    assertTrue(!a[1].equals(b[1]), "the lr differs after the first step: " + a[1] + " / " + b[1]);
  }

  @Test
  void helpWorks() {
    Run r = run("train", "--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("--dataset") && r.out().contains("--plot"), r.out());
    assertEquals(0, run("--help").code());
  }

  @Test
  void badOptionsGiveAOneLineErrorAndExitCodeTwo() {
    for (String[] args :
        new String[][] {
          {"train", "--bogus"},
          {"train", "--dataset", "cifar"},
          {"train", "--epochs", "zero"},
          {"train", "--activation", "swish"},
          {"train", "--optimizer", "lion"},
          {"train", "--lr", "-1"},
          {"train", "--model", "resnet"},
          {"train", "--schedule", "step"},
          {"train", "--model", "cnn", "--hidden", "64"},
          {"spark-train", "--schedule", "cosine"},
          {"spark-train", "--workers", "0"},
          {"spark-train", "--plot", "curves.png"},
          {"spark-train", "--lr", "-1"},
          {"example", "nope"}
        }) {
      Run r = run(args);
      assertEquals(2, r.code(), Arrays.toString(args) + ": " + r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().startsWith("jgrad: "), r.err());
    }
  }

  @Test
  void aMissingDataSetSaysHowToGetIt(@TempDir Path dir) {
    Run r = run("train", "--dataset", "fashion-mnist", "--data", dir.resolve("absent").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("apt-get install dataset-fashion-mnist"), r.err());
    Run m = run("train", "--dataset", "mnist");
    assertTrue(m.err().contains("--data DIR"), m.err());
  }
}
