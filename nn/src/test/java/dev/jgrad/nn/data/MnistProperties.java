package dev.jgrad.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.Generator;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link Mnist}: IDX files laid out here byte by byte from the format's description, plain and
 * gzipped, flat and as images; malformed files raise {@link DatasetFormatException} naming the
 * file.
 */
class MnistProperties {

  /** IDX bytes as the format describes them: magic 00 00 08 d, big-endian dims, data. */
  static byte[] idx(int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    return b.put(data).array();
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    return out.toByteArray();
  }

  @Property(tries = 30)
  void idxFilesRoundTripPlainAndGzipped(
      @ForAll @IntRange(min = 1, max = 20) int n,
      @ForAll @IntRange(min = 1, max = 6) int rows,
      @ForAll boolean gz,
      @ForAll long seed)
      throws IOException {
    Path dir = Files.createTempDirectory("idx");
    Generator g = new Generator(seed);
    byte[] pixels = new byte[n * rows * rows];
    byte[] labels = new byte[n];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) g.nextInt(256);
    }
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) g.nextInt(10);
    }
    byte[] img = idx(new int[] {n, rows, rows}, pixels);
    byte[] lab = idx(new int[] {n}, labels);
    String suffix = gz ? ".gz" : "";
    Files.write(dir.resolve("t10k-images-idx3-ubyte" + suffix), gz ? gzip(img) : img);
    Files.write(dir.resolve("t10k-labels-idx1-ubyte" + suffix), gz ? gzip(lab) : lab);
    TensorDataset d = Mnist.load(dir, false);
    assertArrayEquals(new int[] {n, rows * rows}, d.inputs().shape());
    for (int i = 0; i < pixels.length; i++) {
      assertEquals((pixels[i] & 0xFF) / 255f, d.inputs().flatten().getFloat(i));
    }
    for (int i = 0; i < n; i++) {
      assertEquals(labels[i], d.targets().getInt(i));
    }
  }

  @Property(tries = 60)
  void truncatedOrCorruptedFilesRaiseTheDocumentedError(
      @ForAll @IntRange(min = 0, max = 200) int cut, @ForAll boolean gz, @ForAll boolean badMagic)
      throws IOException {
    Path dir = Files.createTempDirectory("idx");
    byte[] img = idx(new int[] {3, 4, 4}, new byte[48]);
    if (badMagic) {
      img[2] = 9;
    } else {
      img = java.util.Arrays.copyOf(img, Math.min(cut, img.length - 1));
    }
    Path file = dir.resolve("train-images-idx3-ubyte" + (gz ? ".gz" : ""));
    byte[] bytes = gz ? gzip(img) : img;
    if (gz && !badMagic) {
      bytes = java.util.Arrays.copyOf(bytes, Math.max(2, bytes.length - 1 - cut % 5));
    }
    Files.write(file, bytes);
    DatasetFormatException e =
        assertThrows(DatasetFormatException.class, () -> Mnist.readImages(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  /** Writes an images file of n images rows × cols and a labels file into a new folder. */
  static Path folder(String split, int n, int rows, int cols, int labelCount, long seed)
      throws IOException {
    Path dir = Files.createTempDirectory("idx");
    Generator g = new Generator(seed);
    byte[] pixels = new byte[n * rows * cols];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) g.nextInt(256);
    }
    byte[] labels = new byte[labelCount];
    for (int i = 0; i < labelCount; i++) {
      labels[i] = (byte) g.nextInt(10);
    }
    Files.write(dir.resolve(split + "-images-idx3-ubyte"), idx(new int[] {n, rows, cols}, pixels));
    Files.write(dir.resolve(split + "-labels-idx1-ubyte"), idx(new int[] {labelCount}, labels));
    return dir;
  }

  @Property(tries = 20)
  void loadImagesKeepsRowsAndColumnsApart(
      @ForAll @IntRange(min = 1, max = 6) int n,
      @ForAll @IntRange(min = 1, max = 7) int rows,
      @ForAll @IntRange(min = 1, max = 7) int cols,
      @ForAll long seed)
      throws IOException {
    Path dir = folder("train", n, rows, cols, n, seed);
    TensorDataset flat = Mnist.load(dir, true);
    TensorDataset images = Mnist.loadImages(dir, true);
    assertArrayEquals(new int[] {n, 1, rows, cols}, images.inputs().shape());
    assertArrayEquals(new int[] {n, rows * cols}, flat.inputs().shape());
    for (int k = 0; k < n; k++) {
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          assertEquals(
              flat.inputs().getFloat(k, r * cols + c),
              images.inputs().getFloat(k, 0, r, c),
              "image " + k + " pixel (" + r + ", " + c + "), row-major");
        }
      }
    }
    assertArrayEquals(flat.targets().toIntArray(), images.targets().toIntArray());
  }

  @Test
  void missingFilesAndMismatchedCountsAreNamed() throws IOException {
    Path dir = folder("t10k", 3, 2, 2, 4, 1);
    DatasetFormatException e =
        assertThrows(DatasetFormatException.class, () -> Mnist.loadImages(dir, false));
    assertTrue(e.getMessage().contains("3 images") && e.getMessage().contains("4 labels"));
    FileNotFoundException missing =
        assertThrows(FileNotFoundException.class, () -> Mnist.load(dir, true));
    assertTrue(missing.getMessage().contains("train-images-idx3-ubyte"), missing.getMessage());
  }

  @Property(tries = 10)
  void imageSizesBeyondAnArrayAreAFormatError(
      @ForAll @IntRange(min = 46_341, max = 1_000_000) int rows,
      @ForAll @IntRange(min = 46_341, max = 1_000_000) int cols,
      @ForAll boolean gz)
      throws IOException {
    // rows·cols ≥ 46341² > 2³¹: it used to end in an ArithmeticException from multiplyExact.
    Path file = Files.createTempDirectory("idx").resolve("images" + (gz ? ".gz" : ""));
    byte[] img = idx(new int[] {1, rows, cols}, new byte[16]);
    Files.write(file, gz ? gzip(img) : img);
    DatasetFormatException e =
        assertThrows(DatasetFormatException.class, () -> Mnist.readImages(file));
    assertTrue(
        e.getMessage().startsWith(file.toString())
            && e.getMessage().contains(rows + "x" + cols)
            && e.getMessage().contains("too large"),
        e.getMessage());
  }

  @Property(tries = 20)
  void aLabelOutsideTheTenClassesIsRefusedOnLoad(
      @ForAll @IntRange(min = 1, max = 30) int n,
      @ForAll @IntRange(min = 0, max = 29) int where,
      @ForAll @IntRange(min = 10, max = 255) int label,
      @ForAll boolean images)
      throws IOException {
    int at = where % n;
    Path dir = folder("train", n, 2, 3, n, n);
    Path labels = dir.resolve("train-labels-idx1-ubyte");
    byte[] bytes = Files.readAllBytes(labels);
    bytes[8 + at] = (byte) label; // after the magic number and the one size
    Files.write(labels, bytes);
    DatasetFormatException e =
        assertThrows(
            DatasetFormatException.class,
            () -> {
              if (images) {
                Mnist.loadImages(dir, true);
              } else {
                Mnist.load(dir, true);
              }
            });
    assertTrue(
        e.getMessage().startsWith(labels.toString())
            && e.getMessage().contains("label " + at + " is " + label)
            && e.getMessage().contains("10 classes"),
        e.getMessage());
    assertEquals(label, Mnist.readLabels(labels).getInt(at), "readLabels reads any byte");
  }

  /**
   * The gzip trailer only sizes the first buffer: a file of several gzip members (concatenated gzip
   * files, which readers join) states only its last member's size, so the buffer must grow, here
   * across the 64 KiB it starts with at least, and the bytes must still all arrive in order.
   */
  @Property(tries = 10)
  void aGzipFileOfSeveralMembersIsReadWhole(
      @ForAll @IntRange(min = 1, max = 200) int n,
      @ForAll @IntRange(min = 1, max = 3) int cuts,
      @ForAll long seed)
      throws IOException {
    Generator g = new Generator(seed);
    byte[] pixels = new byte[n * 28 * 28];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) g.nextInt(256);
    }
    byte[] img = idx(new int[] {n, 28, 28}, pixels);
    ByteArrayOutputStream members = new ByteArrayOutputStream();
    int from = 0;
    for (int c = 0; c <= cuts; c++) {
      int to = c == cuts ? img.length : from + g.nextInt(img.length - from + 1);
      members.write(gzip(java.util.Arrays.copyOfRange(img, from, to)));
      from = to;
    }
    Path file = Files.createTempDirectory("idx").resolve("train-images-idx3-ubyte.gz");
    Files.write(file, members.toByteArray());
    float[] read = Mnist.readImages(file).toFloatArray();
    assertEquals(pixels.length, read.length);
    for (int i = 0; i < pixels.length; i++) {
      assertEquals((pixels[i] & 0xFF) / 255f, read[i]);
    }
  }

  /**
   * A gzip file over 512 MB: its size times four overflowed an int ("Negative initial size"). The
   * file is a small gzipped IDX followed by zeros up to 600 MB (a sparse file, so it costs no
   * disk), which gzip readers ignore as trailing garbage.
   */
  @Test
  void aGzipFileOverHalfAGigabyteIsRead() throws IOException {
    Path dir = folder("train", 2, 3, 3, 2, 5);
    TensorDataset plain = Mnist.load(dir, true);
    Path images = dir.resolve("train-images-idx3-ubyte");
    Path big = dir.resolve("train-images-idx3-ubyte.gz");
    Files.write(big, gzip(Files.readAllBytes(images)));
    Files.delete(images);
    try {
      try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
        f.setLength(600_000_000L);
      }
      TensorDataset read = Mnist.load(dir, true);
      assertArrayEquals(plain.inputs().toFloatArray(), read.inputs().toFloatArray());
    } finally {
      Files.delete(big);
    }
  }
}
