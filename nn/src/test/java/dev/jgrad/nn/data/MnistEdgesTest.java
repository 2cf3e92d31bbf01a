package dev.jgrad.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.NDArray;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Mnist} at the edges of the IDX format (issue #14, mutation testing): gzipped files whose
 * inflated size equals the buffer's first size exactly (incompressible pixels, so the trailer's
 * size is used) or far exceeds it (zeros, which compress beyond the 64× bound, so the buffer grows
 * past a zero byte); sizes of 0 and −1; a label file exactly as long as its header; a label count
 * the data does not hold; an image count at exactly the largest array; a plain file over the 1 GiB
 * limit (sparse, so nothing is written).
 */
class MnistEdgesTest {

  @TempDir Path dir;

  static byte[] idx(int dims, int[] sizes, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * sizes.length + data.length);
    b.putInt(0x800 | dims);
    for (int s : sizes) {
      b.putInt(s);
    }
    return b.put(data).array();
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(raw);
    }
    return out.toByteArray();
  }

  Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  static float[] scaled(byte[] pixels) {
    float[] f = new float[pixels.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (pixels[i] & 0xFF) / 255f;
    }
    return f;
  }

  @Test
  void aGzipFileInflatingToExactlyItsStatedSizeIsReadWhole() throws IOException {
    // 100 random 28x28 images: 78,416 bytes that do not compress, so the buffer is sized from the
    // gzip trailer and is exactly full when the stream ends
    byte[] pixels = new byte[100 * 28 * 28];
    new Random(1).nextBytes(pixels);
    Path p = write("images.gz", gzip(idx(3, new int[] {100, 28, 28}, pixels)));
    NDArray images = Mnist.readImages(p);
    assertArrayEquals(new int[] {100, 784}, images.shape());
    assertArrayEquals(scaled(pixels), images.toFloatArray());
  }

  @Test
  void aGzipFileOfZerosGrowsItsBufferPastZeroBytes() throws IOException {
    // 1,000 blank images (784,016 bytes) deflate to about a kilobyte: far beyond the 64x bound,
    // so the first buffer (64 KiB) fills and the byte read next, a zero, must not end the stream
    byte[] pixels = new byte[1000 * 28 * 28];
    Path p = write("blank.gz", gzip(idx(3, new int[] {1000, 28, 28}, pixels)));
    NDArray images = Mnist.readImages(p);
    assertArrayEquals(new int[] {1000, 784}, images.shape());
    assertTrue(images.abs().max().item() == 0);
  }

  static String refused(Path p, boolean images) {
    return assertThrows(
            DatasetFormatException.class,
            () -> {
              if (images) {
                Mnist.readImages(p);
              } else {
                Mnist.readLabels(p);
              }
            })
        .getMessage();
  }

  @Test
  void sizesOfZeroAndBelowAreRefused() throws IOException {
    String m = refused(write("zero", idx(1, new int[] {0}, new byte[0])), false);
    assertTrue(m.contains("dimension 0 has size 0"), m);
    m = refused(write("negative", idx(3, new int[] {2, -1, 4}, new byte[8])), true);
    assertTrue(m.contains("dimension 1 has size -1"), m);
  }

  @Test
  void labelFilesMustHoldTheirCount() throws IOException {
    // exactly a header (magic and one size): long enough for it, then short of the one label
    String m = refused(write("header-only", idx(1, new int[] {1}, new byte[0])), false);
    assertTrue(m.contains("1 labels need 1 bytes, the file has 0"), m);
    m = refused(write("short", idx(1, new int[] {3}, new byte[] {1, 2})), false);
    assertTrue(m.contains("3 labels need 3 bytes, the file has 2"), m);
    m = refused(write("long", idx(1, new int[] {1}, new byte[] {1, 2})), false);
    assertTrue(m.contains("1 labels need 1 bytes, the file has 2"), m);
    m = refused(write("tiny", new byte[] {0, 0, 8, 1, 0, 0, 0}), false);
    assertTrue(m.contains("too short for an IDX header (7 bytes)"), m);
    // an image header needs 4 + 3·4 = 16 bytes: 12 (magic and two sizes) are too few
    m = refused(write("tiny-images", new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2}), true);
    assertTrue(m.contains("too short for an IDX header (12 bytes)"), m);
  }

  @Test
  void anImageCountOfExactlyTheLargestArrayIsOnlyShortOfPixels() throws IOException {
    // 7·17·18,046,081 = 2³¹ − 9 pixels: one array can hold them, the file cannot
    String m = refused(write("largest", idx(3, new int[] {7, 17, 18_046_081}, new byte[3])), true);
    assertTrue(m.contains("need 2147483639 bytes of pixels, the file has 3"), m);
    m = refused(write("larger", idx(3, new int[] {8, 17, 18_046_081}, new byte[3])), true);
    assertTrue(m.contains("too large for one array"), m);
  }

  @Test
  void aPlainFileOverOneGibibyteIsRefusedUnread() throws IOException {
    Path p = dir.resolve("huge-idx");
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength((1L << 30) + 1); // sparse: no blocks written
    }
    String m = refused(p, true);
    assertTrue(m.contains("1073741825 bytes, more than the 1073741824 an IDX file may have"), m);
  }
}
