package dev.jgrad.nn;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of JSON mapping each
 * name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets into the data that
 * follows), then the raw little-endian data. Files move to and from PyTorch and Hugging Face tools.
 * F32, F64 and I32 are read and written; I64 (PyTorch's int64, such as BatchNorm's {@code
 * num_batches_tracked}) is read into INT32 when every value fits.
 *
 * <pre>{@code
 * Safetensors.write(Path.of("model.safetensors"), model.stateDict());
 * Map<String, NDArray> state = Safetensors.read(Path.of("model.safetensors"));
 * }</pre>
 */
public final class Safetensors {
  /** Headers larger than this are refused (the format's reference implementation uses 100 MB). */
  public static final long MAX_HEADER_BYTES = 100L << 20;

  private Safetensors() {}

  private static String dtypeName(DType t) {
    switch (t) {
      case FLOAT32:
        return "F32";
      case FLOAT64:
        return "F64";
      default:
        return "I32";
    }
  }

  /** The dtype an entry is read into; I64 (PyTorch's int64, e.g. a batch count) becomes INT32. */
  private static DType dtypeOf(String name) {
    switch (name) {
      case "F32":
        return DType.FLOAT32;
      case "F64":
        return DType.FLOAT64;
      case "I32":
      case "I64":
        return DType.INT32;
      default:
        return null;
    }
  }

  /**
   * Writes the tensors to a temporary file beside {@code path}, forces it to disk, then renames it
   * over {@code path} atomically: a crash mid-write leaves the previous file intact.
   */
  public static void write(Path path, Map<String, NDArray> tensors) throws IOException {
    write(path, tensors, Map.of());
  }

  /**
   * As {@link #write(Path, Map)}, with string metadata stored in the header's {@code __metadata__}
   * (beside {@code "format": "pt"}), e.g. the architecture a model needs to be rebuilt.
   */
  public static void write(Path path, Map<String, NDArray> tensors, Map<String, String> metadata)
      throws IOException {
    StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"");
    for (Map.Entry<String, String> m : metadata.entrySet()) {
      header
          .append(',')
          .append(Json.quote(m.getKey()))
          .append(':')
          .append(Json.quote(m.getValue()));
    }
    header.append('}');
    long offset = 0;
    List<NDArray> order = new ArrayList<>();
    for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
      NDArray a = e.getValue();
      long bytes = (long) a.numel() * a.dtype().byteSize();
      header
          .append(',')
          .append(Json.quote(e.getKey()))
          .append(":{\"dtype\":\"")
          .append(dtypeName(a.dtype()))
          .append("\",\"shape\":")
          .append(java.util.Arrays.toString(a.shape()).replace(" ", ""))
          .append(",\"data_offsets\":[")
          .append(offset)
          .append(',')
          .append(offset + bytes)
          .append("]}");
      offset += bytes;
      order.add(a);
    }
    header.append('}');
    while ((header.length() + 8) % 8 != 0) { // align the data to 8 bytes, as the reference does
      header.append(' ');
    }
    byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer len =
            ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length);
        writeFully(ch, len.flip());
        writeFully(ch, ByteBuffer.wrap(headerBytes));
        for (NDArray a : order) {
          writeFully(ch, toBytes(a));
        }
        ch.force(true);
      }
      Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  private static ByteBuffer toBytes(NDArray a) {
    ByteBuffer b =
        ByteBuffer.allocate(a.numel() * a.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    switch (a.dtype()) {
      case FLOAT32:
        b.asFloatBuffer().put(a.toFloatArray());
        break;
      case FLOAT64:
        b.asDoubleBuffer().put(a.toDoubleArray());
        break;
      default:
        b.asIntBuffer().put(a.toIntArray());
        break;
    }
    return b;
  }

  /** One tensor of the header: read into {@code dtype} from elements of {@code fileBytes} each. */
  private record Entry(
      String name, DType dtype, int fileBytes, int[] shape, long begin, long end) {}

  /** The string entries of a file's {@code __metadata__} (after checking the whole header). */
  public static Map<String, String> readMetadata(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      String json = header(path, ch);
      parseHeader(path, json, ch.size() - 8 - json.getBytes(StandardCharsets.UTF_8).length);
      Object meta = ((Map<?, ?>) Json.parse(json)).get("__metadata__");
      Map<String, String> out = new LinkedHashMap<>();
      if (meta instanceof Map) {
        for (Map.Entry<?, ?> e : ((Map<?, ?>) meta).entrySet()) {
          if (e.getValue() instanceof String) {
            out.put((String) e.getKey(), (String) e.getValue());
          }
        }
      }
      return out;
    }
  }

  /**
   * Reads every tensor of a safetensors file, checking the header length against the file size, the
   * JSON, each dtype, that shape × dtype size equals the byte range, and that the ranges lie inside
   * the data, do not overlap and leave no hole.
   *
   * @throws SafetensorsException naming the file and the first problem found
   */
  public static Map<String, NDArray> read(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      String json = header(path, ch);
      long headerLen = json.getBytes(StandardCharsets.UTF_8).length;
      List<Entry> entries = parseHeader(path, json, size - 8 - headerLen);
      Map<String, NDArray> out = new LinkedHashMap<>();
      long dataStart = 8 + headerLen;
      for (Entry e : entries) {
        ByteBuffer b = ByteBuffer.allocate((int) (e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, b, dataStart + e.begin, path);
        b.flip();
        out.put(e.name, fromBytes(path, e, b));
      }
      return out;
    }
  }

  /** Reads and decodes the JSON header after checking its length against the file size. */
  private static String header(Path path, FileChannel ch) throws IOException {
    long size = ch.size();
    if (size < 8) {
      throw bad(path, "the file has " + size + " bytes, fewer than the 8-byte header length");
    }
    ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, lenBuf, 0, path);
    long headerLen = lenBuf.flip().getLong();
    if (headerLen < 2 || headerLen > size - 8 || headerLen > MAX_HEADER_BYTES) {
      throw bad(path, "header length " + headerLen + " does not fit a file of " + size + " bytes");
    }
    ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
    readFully(ch, headerBuf, 8, path);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(headerBuf.flip())
          .toString();
    } catch (CharacterCodingException e) {
      throw bad(path, "the header is not valid UTF-8");
    }
  }

  private static SafetensorsException bad(Path path, String what) {
    return new SafetensorsException(path + ": not a valid safetensors file: " + what);
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long position, Path path)
      throws IOException {
    long at = position;
    while (b.hasRemaining()) {
      int n = ch.read(b, at);
      if (n < 0) {
        throw bad(path, "unexpected end of file");
      }
      at += n;
    }
  }

  private static List<Entry> parseHeader(Path path, String json, long dataLength)
      throws SafetensorsException {
    Object root;
    try {
      root = Json.parse(json);
    } catch (SafetensorsException e) {
      throw bad(path, e.getMessage());
    }
    if (!(root instanceof Map)) {
      throw bad(path, "the header is not a JSON object");
    }
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) root).entrySet()) {
      String name = (String) e.getKey();
      if (name.equals("__metadata__")) {
        continue;
      }
      if (!(e.getValue() instanceof Map)) {
        throw bad(path, "entry '" + name + "' is not an object");
      }
      Map<?, ?> info = (Map<?, ?>) e.getValue();
      Object dt = info.get("dtype");
      DType dtype = dt instanceof String ? dtypeOf((String) dt) : null;
      if (dtype == null) {
        throw bad(
            path,
            "entry '"
                + name
                + "' has unsupported dtype "
                + dt
                + " (F32, F64, I32 and I64 are read)");
      }
      int[] shape = longs(path, name, "shape", info.get("shape"), -1);
      long numel = 1;
      for (int s : shape) {
        numel *= s;
        if (numel > Integer.MAX_VALUE) {
          throw bad(path, "entry '" + name + "' has too many elements");
        }
      }
      int[] offsets = longs(path, name, "data_offsets", info.get("data_offsets"), 2);
      long begin = offsets[0];
      long end = offsets[1];
      if (begin > end || end > dataLength) {
        throw bad(
            path,
            String.format(
                "entry '%s' has data_offsets [%d, %d] outside the %d data bytes",
                name, begin, end, dataLength));
      }
      int fileBytes = "I64".equals(dt) ? 8 : dtype.byteSize();
      if (end - begin != numel * fileBytes) {
        throw bad(
            path,
            String.format(
                "entry '%s': shape %s of %s needs %d bytes, data_offsets give %d",
                name, java.util.Arrays.toString(shape), dt, numel * fileBytes, end - begin));
      }
      entries.add(new Entry(name, dtype, fileBytes, shape, begin, end));
    }
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long expected = 0;
    for (Entry e : sorted) {
      if (e.begin != expected) {
        throw bad(
            path,
            "entry '"
                + e.name
                + "' "
                + (e.begin < expected ? "overlaps another entry" : "leaves a hole before it"));
      }
      expected = e.end;
    }
    if (expected != dataLength) {
      throw bad(path, "the entries cover " + expected + " of " + dataLength + " data bytes");
    }
    return entries;
  }

  private static int[] longs(Path path, String name, String field, Object value, int count)
      throws SafetensorsException {
    if (!(value instanceof List)) {
      throw bad(path, "entry '" + name + "' has no " + field + " array");
    }
    List<?> list = (List<?>) value;
    if (count >= 0 && list.size() != count) {
      throw bad(path, "entry '" + name + "' needs " + count + " " + field);
    }
    if (list.size() > 32) {
      throw bad(path, "entry '" + name + "' has too many dims");
    }
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      Object v = list.get(i);
      if (!(v instanceof Long) || (Long) v < 0 || (Long) v > Integer.MAX_VALUE) {
        throw bad(path, "entry '" + name + "' has an invalid " + field + " value " + v);
      }
      out[i] = (int) (long) (Long) v;
    }
    return out;
  }

  private static NDArray fromBytes(Path path, Entry e, ByteBuffer b) throws SafetensorsException {
    int n = (int) ((e.end - e.begin) / e.fileBytes);
    if (e.fileBytes == 8
        && e.dtype == DType.INT32) { // I64, narrowed to INT32 when every value fits
      long[] wide = new long[n];
      b.asLongBuffer().get(wide);
      int[] v = new int[n];
      for (int i = 0; i < n; i++) {
        if (wide[i] != (int) wide[i]) {
          throw bad(
              path,
              String.format(
                  "entry '%s' holds the I64 value %d at element %d, which does not fit INT32",
                  e.name, wide[i], i));
        }
        v[i] = (int) wide[i];
      }
      return NDArray.fromArray(v, e.shape);
    }
    switch (e.dtype) {
      case FLOAT32:
        {
          float[] v = new float[n];
          b.asFloatBuffer().get(v);
          return NDArray.fromArray(v, e.shape);
        }
      case FLOAT64:
        {
          double[] v = new double[n];
          b.asDoubleBuffer().get(v);
          return NDArray.fromArray(v, e.shape);
        }
      default:
        {
          int[] v = new int[n];
          b.asIntBuffer().get(v);
          return NDArray.fromArray(v, e.shape);
        }
    }
  }
}
