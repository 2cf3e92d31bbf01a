package dev.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.examples.CommandLineTest.Run;
import dev.jgrad.nn.Safetensors;
import dev.jgrad.tensor.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14: the command line's answers to bad input. Usage errors (bad option values, unwritable
 * output paths, a model too large for the heap) exit 2 with one line naming the option and value,
 * before any training; failures reading or writing files say what was being done.
 */
class BadInputTest {

  /** Exit code 2, one line starting "jgrad: " and containing every one of {@code words}. */
  static Run assertUsageError(String[] args, String... words) {
    Run r = CommandLineTest.run(args);
    String what = Arrays.toString(args) + ": " + r.err();
    assertEquals(2, r.code(), what);
    assertEquals(1, r.err().strip().lines().count(), what);
    assertTrue(r.err().startsWith("jgrad: "), what);
    for (String w : words) {
      assertTrue(r.err().contains(w), "no '" + w + "' in " + what);
    }
    assertFalse(r.out().contains("epoch"), "training started: " + r.out());
    return r;
  }

  @Test
  void nonFiniteOrNonPositiveRatesAndMomentaAreUsageErrors() {
    assertUsageError(new String[] {"train", "--lr", "1e400"}, "--lr", "1e400");
    assertUsageError(new String[] {"train", "--lr", "Infinity"}, "--lr", "Infinity");
    assertUsageError(new String[] {"train", "--lr", "inf"}, "--lr", "inf");
    assertUsageError(new String[] {"train", "--lr", "NaN"}, "--lr", "NaN");
    assertUsageError(new String[] {"train", "--lr", "0"}, "--lr", "0");
    assertUsageError(new String[] {"train", "--lr", "-0.5"}, "--lr", "-0.5");
    assertUsageError(new String[] {"train", "--momentum", "NaN"}, "--momentum", "NaN");
    assertUsageError(new String[] {"train", "--momentum", "Infinity"}, "--momentum", "Infinity");
    assertUsageError(new String[] {"train", "--momentum", "-0.1"}, "--momentum", "-0.1");
    assertUsageError(new String[] {"train", "--batch-size", "0"}, "--batch-size", "0");
    assertUsageError(new String[] {"train", "--epochs", "-3"}, "--epochs", "-3");
  }

  @Test
  void badThreadsAndDataSetNamesAreUsageErrorsInEveryCommand() {
    assertUsageError(new String[] {"example", "xor", "--threads", "0"}, "--threads", "0");
    assertUsageError(new String[] {"train", "--threads", "-2"}, "--threads", "-2");
    assertUsageError(
        new String[] {"eval", "--model", "m.safetensors", "--dataset", "nosuch"},
        "--dataset",
        "nosuch");
  }

  @Test
  void dataIsRefusedWithTheBundledDigits(@TempDir Path dir) {
    assertUsageError(new String[] {"train", "--data", dir.toString()}, "--data", "digits");
    assertUsageError(
        new String[] {"train", "--dataset", "digits", "--data", dir.toString()}, "--data");
    assertUsageError(
        new String[] {
          "eval", "--model", "m.safetensors", "--dataset", "digits", "--data", dir.toString()
        },
        "--data");
  }

  @Test
  void unwritableSaveAndPlotPathsAreRefusedBeforeTraining(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    Path folder = Files.createDirectory(dir.resolve("folder"));
    assertUsageError(new String[] {"train", "--save", "/"}, "--save", "directory");
    assertUsageError(new String[] {"train", "--save", folder.toString()}, "--save", "directory");
    assertUsageError(
        new String[] {"train", "--save", file.resolve("m.safetensors").toString()},
        "--save",
        "not a folder");
    assertUsageError(
        new String[] {"train", "--save", dir.resolve("absent/m.safetensors").toString()},
        "--save",
        "does not exist");
    assertUsageError(new String[] {"train", "--plot", folder.toString()}, "--plot", "directory");
    assertUsageError(
        new String[] {"train", "--plot", file.resolve("c.png").toString()},
        "--plot",
        "not a folder");
    assertEquals("x", Files.readString(file));
  }

  @Test
  void modelsTooLargeForAnArrayOrTheHeapAreRefusedBeforeBuilding() {
    assertUsageError(
        new String[] {"train", "--hidden", "46341,46341"}, "64-46341-46341-10", "Java array");
    // 1.6e9 weights: 19 GB with gradients and momentum, above any heap this suite runs in.
    assertUsageError(new String[] {"train", "--hidden", "40000,40000"}, "64-40000-40000-10", "GB");
    assertUsageError(
        new String[] {"train", "--hidden", "40000,40000", "--optimizer", "adam"}, "heap");
  }

  /** The size estimate counts what the built model holds (running statistics included). */
  @Test
  void theEstimatedParameterCountIsWhatTheBuiltModelHolds() {
    for (ModelSpec spec :
        new ModelSpec[] {
          new Mlp(new int[] {64, 128, 10}, "relu"),
          new Mlp(new int[] {784, 33, 17, 5}, "tanh"),
          new Cnn(8, 8, 10),
          new Cnn(28, 20, 3)
        }) {
      Map<String, NDArray> state = spec.build(new dev.jgrad.tensor.Generator(0)).stateDict();
      long values =
          state.entrySet().stream()
              .filter(e -> !e.getKey().endsWith("num_batches_tracked"))
              .mapToLong(e -> e.getValue().numel())
              .sum();
      long largest =
          state.entrySet().stream()
              .filter(e -> e.getKey().endsWith("weight"))
              .mapToLong(e -> e.getValue().numel())
              .max()
              .orElseThrow();
      assertEquals(values, spec.parameterCount(), spec.describe());
      assertEquals(largest, spec.largestWeight(), spec.describe());
    }
  }

  /** A file of a 64-2-10 MLP's tensors whose metadata claims other hidden sizes. */
  private static Path lyingModel(Path dir, String sizes) throws IOException {
    Path p = dir.resolve("lying.safetensors");
    Safetensors.write(
        p,
        Map.of(
            "0.weight", NDArray.zeros(2, 64),
            "0.bias", NDArray.zeros(2),
            "2.weight", NDArray.zeros(10, 2),
            "2.bias", NDArray.zeros(10)),
        Map.of("jgrad.sizes", sizes, "jgrad.activation", "relu", "jgrad.model", "mlp"));
    return p;
  }

  @Test
  void evalChecksTheMetadataAgainstTheFileBeforeAllocating(@TempDir Path dir) throws IOException {
    for (String sizes : new String[] {"64,40000,40000,10", "64,46341,46341,10", "64,4000,10"}) {
      Run r = CommandLineTest.run("eval", "--model", lyingModel(dir, sizes).toString());
      assertEquals(1, r.code(), r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().contains("does not match the weights"), r.err());
      assertTrue(r.err().contains(sizes.replace(',', '-')), r.err());
    }
  }

  @Test
  void fileFailuresSayWhatWasBeingDone(@TempDir Path dir) throws IOException {
    Path absent = dir.resolve("absent.safetensors");
    Run missing = CommandLineTest.run("eval", "--model", absent.toString());
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("reading the model " + absent), missing.err());
    assertTrue(missing.err().contains("no such file"), missing.err());

    Run folder = CommandLineTest.run("eval", "--model", dir.toString());
    assertEquals(1, folder.code());
    assertTrue(folder.err().contains("reading the model " + dir), folder.err());

    // An MNIST folder whose image file is a broken gzip stream.
    Path data = Files.createDirectory(dir.resolve("mnist"));
    Files.write(data.resolve("train-images-idx3-ubyte.gz"), new byte[] {0x1F, (byte) 0x8B, 8, 0});
    Files.write(data.resolve("train-labels-idx1-ubyte.gz"), new byte[] {0x1F, (byte) 0x8B, 8, 0});
    Run bad = CommandLineTest.run("train", "--dataset", "mnist", "--data", data.toString());
    assertEquals(1, bad.code(), bad.err());
    assertEquals(1, bad.err().strip().lines().count(), bad.err());
    assertTrue(bad.err().contains("reading the data set mnist from " + data), bad.err());
  }

  @Test
  void aFailedPlotWriteLeavesThePreviousFileIntact(@TempDir Path dir) throws IOException {
    Path png = Files.write(dir.resolve("curves.png"), new byte[] {1, 2, 3});
    IOException full =
        assertThrows(
            IOException.class,
            () ->
                Charts.writeAtomically(
                    png,
                    out -> {
                      out.write(new byte[4096]);
                      throw new IOException("No space left on device");
                    }));
    assertEquals("No space left on device", full.getMessage());
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(png));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count(), "a temporary file was left behind");
    }
    Charts.writeAtomically(png, out -> out.write(new byte[] {4, 5}));
    assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(png));
  }
}
