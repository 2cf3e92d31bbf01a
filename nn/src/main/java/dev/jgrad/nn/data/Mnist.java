package dev.jgrad.nn.data;

import dev.jgrad.tensor.NDArray;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads the MNIST IDX format (MNIST, Fashion-MNIST, KMNIST), plain or gzipped: a magic number
 * {@code 00 00 08 d} (unsigned bytes, d dims), d big-endian sizes, then the data. Images become
 * FLOAT32 in [0, 1], flattened to [N, rows·cols]; labels INT32 [N]. Everything is checked on
 * loading (sizes, counts, labels below {@link #CLASSES}), so a bad file fails before training.
 *
 * <pre>{@code
 * TensorDataset train = Mnist.load(Path.of("/usr/share/datasets/fashion-mnist"), true);
 * }</pre>
 */
public final class Mnist {
  /** Where the Debian package {@code dataset-fashion-mnist} installs Fashion-MNIST. */
  public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** The classes of MNIST-format data sets (digits, Fashion-MNIST, KMNIST): labels 0 to 9. */
  public static final int CLASSES = 10;

  private static final long MAX_BYTES = 1L << 30;

  /** The most elements one Java array holds (and NDArray allocates). */
  private static final long MAX_PIXELS = Integer.MAX_VALUE - 8;

  private Mnist() {}

  /**
   * Loads the training ({@code train-…}) or test ({@code t10k-…}) split from a folder holding
   * {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]}.
   *
   * @throws java.io.FileNotFoundException if a file is missing
   * @throws DatasetFormatException if a file is malformed, a label is not below {@link #CLASSES},
   *     or the counts of images and labels differ
   */
  public static TensorDataset load(Path dir, boolean train) throws IOException {
    return load(dir, train, true);
  }

  /**
   * As {@link #load(Path, boolean)} with images shaped [N, 1, rows, cols] (one channel first, for
   * convolution-style models; [N, 1, 28, 28] for MNIST) instead of flat [N, rows·cols].
   *
   * @throws java.io.FileNotFoundException if a file is missing
   * @throws DatasetFormatException if a file is malformed, a label is not below {@link #CLASSES},
   *     or the counts of images and labels differ
   */
  public static TensorDataset loadImages(Path dir, boolean train) throws IOException {
    return load(dir, train, false);
  }

  private static TensorDataset load(Path dir, boolean train, boolean flat) throws IOException {
    String prefix = train ? "train" : "t10k";
    Path images = find(dir, prefix + "-images-idx3-ubyte");
    Path labels = find(dir, prefix + "-labels-idx1-ubyte");
    NDArray x = readImages(images, flat);
    NDArray y = readLabels(labels);
    int[] values = y.toIntArray();
    for (int i = 0; i < values.length; i++) {
      if (values[i] >= CLASSES) { // found now, not when its batch reaches the loss
        throw new DatasetFormatException(
            String.format(
                "%s: label %d is %d, outside the %d classes of MNIST-format data (0 to %d)",
                labels, i, values[i], CLASSES, CLASSES - 1));
      }
    }
    if (x.shape(0) != y.shape(0)) {
      throw new DatasetFormatException(
          images
              + " holds "
              + x.shape(0)
              + " images but "
              + labels
              + " holds "
              + y.shape(0)
              + " labels");
    }
    return new TensorDataset(x, y);
  }

  private static Path find(Path dir, String base) throws IOException {
    for (String name : new String[] {base + ".gz", base}) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new java.io.FileNotFoundException(
        "no " + base + "[.gz] in " + dir + " (an MNIST-format folder is expected)");
  }

  /** Images as FLOAT32 [N, rows·cols] scaled to [0, 1]. */
  public static NDArray readImages(Path file) throws IOException {
    return readImages(file, true);
  }

  /** Images as FLOAT32 [N, rows·cols] ({@code flat}) or [N, 1, rows, cols], scaled to [0, 1]. */
  private static NDArray readImages(Path file, boolean flat) throws IOException {
    byte[] bytes = readAll(file);
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int[] dims = header(file, b, 3);
    int n = dims[0];
    long expected = (long) n * dims[1] * dims[2]; // each below 2³¹: no overflow in a long
    if (expected > MAX_PIXELS) {
      throw new DatasetFormatException(
          String.format(
              "%s: %d images of %dx%d are too large for one array (%d pixels, at most %d)",
              file, n, dims[1], dims[2], expected, MAX_PIXELS));
    }
    int pixels = dims[1] * dims[2];
    if (b.remaining() != expected) {
      throw new DatasetFormatException(
          String.format(
              "%s: %d images of %dx%d need %d bytes of pixels, the file has %d",
              file, n, dims[1], dims[2], expected, b.remaining()));
    }
    int[] shape = flat ? new int[] {n, pixels} : new int[] {n, 1, dims[1], dims[2]};
    return NDArray.fromUnsignedBytes(bytes, b.position(), 255f, shape);
  }

  /** Labels as INT32 [N]. */
  public static NDArray readLabels(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(readAll(file));
    int[] dims = header(file, b, 1);
    if (b.remaining() != dims[0]) {
      throw new DatasetFormatException(
          String.format(
              "%s: %d labels need %d bytes, the file has %d",
              file, dims[0], dims[0], b.remaining()));
    }
    int[] v = new int[dims[0]];
    for (int i = 0; i < v.length; i++) {
      v[i] = b.get() & 0xFF;
    }
    return NDArray.fromArray(v, v.length);
  }

  private static int[] header(Path file, ByteBuffer b, int expectedDims)
      throws DatasetFormatException {
    if (b.remaining() < 4 + 4 * expectedDims) {
      throw new DatasetFormatException(
          file + ": too short for an IDX header (" + b.remaining() + " bytes)");
    }
    int magic = b.getInt();
    int wanted = 0x00000800 | expectedDims;
    if (magic != wanted) {
      throw new DatasetFormatException(
          String.format(
              "%s: magic number 0x%08x, expected 0x%08x (unsigned bytes, %d dims)",
              file, magic, wanted, expectedDims));
    }
    int[] dims = new int[expectedDims];
    for (int d = 0; d < expectedDims; d++) {
      dims[d] = b.getInt();
      if (dims[d] <= 0) {
        throw new DatasetFormatException(file + ": dimension " + d + " has size " + dims[d]);
      }
    }
    return dims;
  }

  /**
   * The file's bytes, gunzipped when it starts with the gzip magic number. Streamed from the file,
   * into a buffer that grows as needed (the compressed size says little about the uncompressed one,
   * and four times it overflowed an int above 512 MB). The first buffer has the size the gzip
   * trailer states ({@link #sizeHint}), so a well-formed file is inflated in place, with no copy;
   * the hint only sizes the buffer, the stream decides how many bytes there are.
   */
  private static byte[] readAll(Path file) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1F && raw.read() == 0x8B;
      raw.reset();
      if (!gzip) {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
          throw new DatasetFormatException(
              file + ": " + size + " bytes, more than the " + MAX_BYTES + " an IDX file may have");
        }
        return raw.readAllBytes();
      }
      try (InputStream in = new GZIPInputStream(raw, 1 << 16)) {
        byte[] out = new byte[sizeHint(file)];
        int n = 0;
        while (true) {
          if (n == out.length) { // full: done if the stream is too, else grow
            int next = in.read();
            if (next < 0) {
              return out;
            }
            if (n >= MAX_BYTES) {
              throw new DatasetFormatException(
                  file + ": more than " + MAX_BYTES + " bytes uncompressed");
            }
            out = Arrays.copyOf(out, (int) Math.min(MAX_BYTES, 2L * n + 1));
            out[n++] = (byte) next;
          }
          int read = in.read(out, n, out.length - n);
          if (read < 0) {
            return Arrays.copyOf(out, n);
          }
          n += read;
        }
      } catch (java.io.EOFException | java.util.zip.ZipException e) {
        throw new DatasetFormatException(
            file + ": corrupt or truncated gzip data (" + e.getMessage() + ")");
      }
    }
  }

  /**
   * The uncompressed size a gzip file's trailer states (its last four bytes, little-endian, modulo
   * 2³²), bounded by 64 times the compressed size and by {@link #MAX_BYTES}: IDX data compresses
   * far less than 64 times, so a lying trailer cannot make this allocate much more than the file
   * could hold. At least 64 KiB.
   */
  private static int sizeHint(Path file) throws IOException {
    long compressed = Files.size(file);
    long stated = 0;
    if (compressed >= 4) {
      try (SeekableByteChannel ch = Files.newByteChannel(file)) {
        ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        ch.position(compressed - 4);
        while (trailer.hasRemaining() && ch.read(trailer) > 0) {}
        stated = trailer.hasRemaining() ? 0 : trailer.getInt(0) & 0xFFFFFFFFL;
      }
    }
    return (int) Math.max(1 << 16, Math.min(stated, Math.min(64 * compressed, MAX_BYTES)));
  }
}
