package dev.jgrad.nn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jgrad.tensor.NDArray;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Fuzzing the data readers (issue #14): {@link Mnist}'s IDX files and {@link CsvDataset}, 10,000
 * mutated files each, from valid ones: truncated, bits flipped, bytes inserted or deleted, headers
 * lying (magic numbers, dims negative, zero, huge, or whose product overflows an int, counts that
 * disagree), labels out of range, gzip streams corrupted; for CSV also bad labels (3.7, NaN, 1e10,
 * −1, empty), values that are not finite or not numbers, ragged lines, a bad scale. Every outcome
 * must be a read whose every label is a class and every value finite, or a {@link
 * DatasetFormatException} naming the file (and, for CSV, the line); never another exception. The
 * outcomes are counted and printed once; the seed is fixed so that the README's counts reproduce.
 */
class DataFileFuzzProperties {
  static final int TRIES = 10_000;
  static final Map<String, Map<String, Integer>> OUTCOMES = new TreeMap<>();

  private Path dir;

  /** A fresh folder per property (jqwik may make more instances than it runs properties on). */
  @BeforeProperty
  void makeFolder() throws IOException {
    // 20,000 small files: in memory when the machine has a tmpfs (4 times faster than a disk)
    Path shm = Path.of("/dev/shm");
    dir =
        Files.isDirectory(shm) && Files.isWritable(shm)
            ? Files.createTempDirectory(shm, "jgrad-data-fuzz")
            : Files.createTempDirectory("jgrad-data-fuzz");
  }

  @AfterProperty
  void cleanUp() throws IOException {
    removeFiles();
    Files.deleteIfExists(dir);
  }

  /** The IDX property's four possible files (Mnist would read a previous try's .gz first). */
  private void removeFiles() throws IOException {
    for (String suffix : new String[] {"", ".gz"}) {
      Files.deleteIfExists(dir.resolve("train-images-idx3-ubyte" + suffix));
      Files.deleteIfExists(dir.resolve("train-labels-idx1-ubyte" + suffix));
    }
  }

  @AfterContainer
  static void printOutcomes() {
    OUTCOMES.forEach(
        (reader, counts) -> {
          int total = counts.values().stream().mapToInt(Integer::intValue).sum();
          System.out.println(reader + " fuzzing, " + total + " mutated files: " + counts);
        });
  }

  static synchronized void count(String reader, String outcome) {
    OUTCOMES.computeIfAbsent(reader, k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
  }

  // ------------------------------------------------------------------ mutations

  /** Byte-level damage: truncation, bit flips, insertions, deletions, appended junk. */
  static byte[] damage(Random r, byte[] b) {
    switch (r.nextInt(5)) {
      case 0:
        return Arrays.copyOf(b, r.nextInt(b.length + 1));
      case 1:
        {
          byte[] c = b.clone();
          for (int k = 1 + r.nextInt(4); k > 0 && c.length > 0; k--) {
            int i = r.nextInt(c.length);
            c[i] ^= (byte) (1 << r.nextInt(8));
          }
          return c;
        }
      case 2:
        {
          int at = r.nextInt(b.length + 1);
          byte[] c = new byte[b.length + 1];
          System.arraycopy(b, 0, c, 0, at);
          c[at] = (byte) r.nextInt(256);
          System.arraycopy(b, at, c, at + 1, b.length - at);
          return c;
        }
      case 3:
        {
          if (b.length == 0) {
            return b;
          }
          int at = r.nextInt(b.length);
          byte[] c = new byte[b.length - 1];
          System.arraycopy(b, 0, c, 0, at);
          System.arraycopy(b, at + 1, c, at, b.length - at - 1);
          return c;
        }
      default:
        {
          byte[] c = Arrays.copyOf(b, b.length + 1 + r.nextInt(8));
          for (int i = b.length; i < c.length; i++) {
            c[i] = (byte) r.nextInt(256);
          }
          return c;
        }
    }
  }

  static final int[] HOSTILE_DIMS = {
    Integer.MIN_VALUE, -1, 0, 1, 2, 3, 28, 255, 256, 46341, 65536, 1 << 30, Integer.MAX_VALUE
  };

  static int hostileDim(Random r) {
    return HOSTILE_DIMS[r.nextInt(HOSTILE_DIMS.length)];
  }

  // ------------------------------------------------------------------ IDX

  /** A valid images file (n images of rows × cols) and labels file, then one mutation. */
  static byte[][] idxPair(Random r) throws IOException {
    int n = 1 + r.nextInt(5);
    int rows = 1 + r.nextInt(4);
    int cols = 1 + r.nextInt(4);
    int[] imageDims = {n, rows, cols};
    int[] labelDims = {n};
    byte[] pixels = new byte[n * rows * cols];
    r.nextBytes(pixels);
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) r.nextInt(10);
    }
    String mutation;
    switch (r.nextInt(6)) {
      case 0: // a lying header: dims drawn, the data as it was
        imageDims = new int[] {hostileDim(r), hostileDim(r), hostileDim(r)};
        if (r.nextBoolean()) {
          labelDims = new int[] {hostileDim(r)};
        }
        break;
      case 1: // a label outside the classes
        labels[r.nextInt(n)] = (byte) (10 + r.nextInt(246));
        break;
      case 2: // counts that disagree, each file consistent in itself
        labelDims = new int[] {n + 1};
        labels = Arrays.copyOf(labels, n + 1);
        break;
      case 3: // the other file's magic number, or a wrong type byte
        break;
      default: // byte-level damage to one file below
        break;
    }
    byte[] images = MnistProperties.idx(imageDims, pixels);
    byte[] labelFile = MnistProperties.idx(labelDims, labels);
    int kind = r.nextInt(6);
    if (kind == 3) {
      images[2] = (byte) r.nextInt(256);
      images[3] = (byte) r.nextInt(4);
    } else if (kind >= 4) {
      if (r.nextBoolean()) {
        images = damage(r, images);
      } else {
        labelFile = damage(r, labelFile);
      }
    }
    if (r.nextInt(4) == 0) { // gzipped, then sometimes the compressed stream damaged
      images = MnistProperties.gzip(images);
      labelFile = MnistProperties.gzip(labelFile);
      if (r.nextBoolean()) {
        images = damage(r, images);
      }
    }
    return new byte[][] {images, labelFile};
  }

  @Property(tries = TRIES, seed = "14", shrinking = ShrinkingMode.OFF)
  void idxFilesReadOrAreRefusedNamingTheFile(@ForAll long seed) throws IOException {
    Random r = new Random(seed);
    byte[][] files = idxPair(r);
    boolean gz = files[0].length > 1 && files[0][0] == 0x1F && files[0][1] == (byte) 0x8B;
    String suffix = r.nextBoolean() && gz ? ".gz" : "";
    removeFiles();
    Path images = dir.resolve("train-images-idx3-ubyte" + suffix);
    Path labels = dir.resolve("train-labels-idx1-ubyte" + suffix);
    Files.write(images, files[0]);
    Files.write(labels, files[1]);
    boolean flat = r.nextBoolean();
    try {
      TensorDataset d = flat ? Mnist.load(dir, true) : Mnist.loadImages(dir, true);
      NDArray y = d.targets();
      for (int v : y.toIntArray()) {
        assertTrue(v >= 0 && v < Mnist.CLASSES, "label " + v);
      }
      assertEquals(y.shape(0), d.inputs().shape(0), "one label per image");
      count("IDX", "read");
    } catch (DatasetFormatException e) {
      String m = e.getMessage();
      assertTrue(m.contains(images.toString()) || m.contains(labels.toString()), m);
      count("IDX", kind(m, IDX_KINDS));
    } catch (Throwable e) {
      fail("IDX file mutated with seed " + seed + ": " + trace(e));
    }
  }

  static final String[][] IDX_KINDS = {
    {"too short for an IDX header", "too short for a header"},
    {"magic number", "wrong magic number"},
    {"has size", "dim not positive"},
    {"too large for one array", "too large for one array"},
    {"need", "size not matching the header"},
    {"outside the", "label out of range"},
    {"labels", "image and label counts differ"},
    {"gzip", "corrupt gzip"},
    {"more than", "too many bytes"},
  };

  static String kind(String message, String[][] kinds) {
    for (String[] k : kinds) {
      if (message.contains(k[0])) {
        return k[1];
      }
    }
    return "other: " + message;
  }

  // ------------------------------------------------------------------ CSV

  static final String[] BAD_LABELS = {
    "3.7", "NaN", "1e10", "-1", "", " ", "x", "Infinity", "2147483648", "0x10", "1e400", "--1"
  };
  static final String[] BAD_VALUES = {"NaN", "Infinity", "-Infinity", "1e400", "abc", "", "1,2"};

  /** A valid CSV (rows of features then an integer label), then one or two mutations. */
  static String csv(Random r) {
    int rows = 1 + r.nextInt(5);
    int features = 1 + r.nextInt(5);
    String[][] cells = new String[rows][features + 1];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < features; j++) {
        cells[i][j] = Integer.toString(r.nextInt(17));
      }
      cells[i][features] = Integer.toString(r.nextInt(10));
    }
    int mutations = 1 + r.nextInt(2);
    for (int k = 0; k < mutations; k++) {
      int i = r.nextInt(rows);
      if (cells[i].length != features + 1) {
        continue; // already made ragged
      }
      switch (r.nextInt(4)) {
        case 0:
          cells[i][features] = BAD_LABELS[r.nextInt(BAD_LABELS.length)];
          break;
        case 1:
          cells[i][r.nextInt(features)] = BAD_VALUES[r.nextInt(BAD_VALUES.length)];
          break;
        case 2:
          cells[i] = Arrays.copyOf(cells[i], r.nextInt(features + 3)); // ragged, or empty
          for (int j = 0; j < cells[i].length; j++) {
            if (cells[i][j] == null) {
              cells[i][j] = "1";
            }
          }
          break;
        default:
          break; // left for byte-level damage
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] row : cells) {
      b.append(String.join(",", row)).append(r.nextInt(8) == 0 ? "\r\n" : "\n");
    }
    return b.toString();
  }

  @Property(tries = TRIES, seed = "14", shrinking = ShrinkingMode.OFF)
  void csvFilesReadOrAreRefusedNamingFileAndLine(@ForAll long seed) throws IOException {
    Random r = new Random(seed);
    byte[] bytes = csv(r).getBytes(StandardCharsets.UTF_8);
    boolean gz = r.nextInt(4) == 0;
    if (gz) {
      bytes = MnistProperties.gzip(bytes);
    }
    if (r.nextInt(3) == 0) {
      bytes = damage(r, bytes);
    }
    double[] scales = {16, 1, 0.5, 0, -1, Double.NaN, Double.POSITIVE_INFINITY, 1e-300};
    double scale = r.nextInt(4) == 0 ? scales[r.nextInt(scales.length)] : 16;
    try {
      TensorDataset d = CsvDataset.read(new ByteArrayInputStream(bytes), "fuzz.csv", gz, scale);
      for (int v : d.targets().toIntArray()) {
        assertTrue(v >= 0, "label " + v);
      }
      for (double v : d.inputs().toDoubleArray()) {
        assertTrue(Double.isFinite(v), "value " + v + " with scale " + scale);
      }
      count("CSV", "read");
    } catch (DatasetFormatException e) {
      String m = e.getMessage();
      assertTrue(m.startsWith("fuzz.csv: "), m);
      count("CSV", kind(m, CSV_KINDS));
    } catch (IllegalArgumentException e) { // the caller's scale, not the file
      assertTrue(e.getMessage().startsWith("fuzz.csv: scale must be"), e.getMessage());
      count("CSV", "scale refused");
    } catch (Throwable e) {
      fail("CSV mutated with seed " + seed + " (scale " + scale + "): " + trace(e));
    }
  }

  static final String[][] CSV_KINDS = {
    {"has label", "label not a class index"},
    {"expected a finite number", "value not finite"},
    {"not a number", "value not a number"},
    {"values, expected", "ragged or too short line"},
    {"no data", "no data"},
    {"gzip", "corrupt gzip"},
    {"beyond float range", "value beyond float once scaled"},
  };

  static String trace(Throwable e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
