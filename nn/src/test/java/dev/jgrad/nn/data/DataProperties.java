package dev.jgrad.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class DataProperties {

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

  @Property(tries = 20)
  void theLoaderVisitsEveryExampleOncePerEpochInASeededOrder(
      @ForAll @IntRange(min = 1, max = 50) int n,
      @ForAll @IntRange(min = 1, max = 16) int batch,
      @ForAll boolean dropLast,
      @ForAll boolean prefetch,
      @ForAll long seed) {
    NDArray x = NDArray.arange(n).to(dev.jgrad.tensor.DType.FLOAT32).reshape(n, 1);
    TensorDataset d = new TensorDataset(x, NDArray.arange(n));
    DataLoader a = new DataLoader(d, batch, true, seed, dropLast).prefetch(prefetch);
    DataLoader b = new DataLoader(d, batch, true, seed, dropLast);
    for (int epoch = 0; epoch < 2; epoch++) {
      List<Integer> seen = new ArrayList<>();
      List<Integer> again = new ArrayList<>();
      for (Batch bt : a) {
        assertTrue(bt.size() == batch || !dropLast);
        for (int v : bt.targets().data().toIntArray()) {
          seen.add(v);
        }
        assertArrayEquals(
            bt.targets().data().toFloatArray(), bt.inputs().data().reshape(-1).toFloatArray());
      }
      for (Batch bt : b) {
        for (int v : bt.targets().data().toIntArray()) {
          again.add(v);
        }
      }
      assertEquals(seen, again, "the same seed gives the same order");
      Set<Integer> unique = new HashSet<>(seen);
      assertEquals(seen.size(), unique.size());
      assertEquals(dropLast ? n / batch * batch : n, seen.size());
      assertEquals(a.batches(), dropLast ? n / batch : (n + batch - 1) / batch);
    }
  }

  @Property(tries = 1)
  void csvReadsLabelsFromTheLastColumnAndRejectsRaggedLines() throws IOException {
    String csv = "0,16,8,3\n16,0,4,7\n";
    TensorDataset d = CsvDataset.read(new ByteArrayInputStream(csv.getBytes()), "t.csv", false, 16);
    assertArrayEquals(new float[] {0, 1, 0.5f, 1, 0, 0.25f}, d.inputs().toFloatArray());
    assertArrayEquals(new int[] {3, 7}, d.targets().toIntArray());
    DatasetFormatException e =
        assertThrows(
            DatasetFormatException.class,
            () ->
                CsvDataset.read(
                    new ByteArrayInputStream("1,2,3\n1,2\n".getBytes()), "r.csv", false, 1));
    assertTrue(
        e.getMessage().contains("r.csv") && e.getMessage().contains("line 2"), e.getMessage());
  }
}
