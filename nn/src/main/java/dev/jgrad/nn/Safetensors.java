package dev.jgrad.nn;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of JSON mapping each
 * name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets into the data that
 * follows), then the raw little-endian data. Files move to and from PyTorch and Hugging Face tools.
 * F32, F64 and I32 are read and written; I64 (PyTorch's int64, such as BatchNorm's {@code
 * num_batches_tracked}) is read into INT32 when every value fits.
 *
 * <p>Files may be of any size: offsets are 64-bit and each tensor moves between the file and its
 * array a chunk ({@code CHUNK_BYTES}) at a time, so reading costs the arrays and one chunk; {@link
 * #read(Path, Set)} reads only some tensors of a file larger than memory. Every file is distrusted:
 * the header is bounded ({@link #MAX_HEADER_BYTES}, {@link #MAX_TENSORS}, {@link #MAX_KEY_LENGTH})
 * and parsed in linear time by the package's own small JSON reader, and every entry is checked
 * (dtype, shape, offsets inside the data, ranges tiling it) before any data are read; a problem is
 * a {@link SafetensorsException} naming the file, the entry and what is wrong.
 *
 * <pre>{@code
 * Safetensors.write(Path.of("model.safetensors"), model.stateDict());
 * Map<String, NDArray> state = Safetensors.read(Path.of("model.safetensors"));
 * }</pre>
 */
public final class Safetensors {
  /**
   * Headers longer than this many bytes are refused, before they are read (the format's reference
   * implementation allows 100 MB).
   */
  public static final long MAX_HEADER_BYTES = 100L << 20;

  /**
   * Tensors one file may list: a header listing more is refused while it is parsed, so a flood of
   * zero-size entries cannot exhaust memory (the tree a header parses to costs a few hundred bytes
   * per entry). Large models list thousands.
   */
  public static final int MAX_TENSORS = 200_000;

  /** Characters a tensor name (or any other key of the header) may have. */
  public static final int MAX_KEY_LENGTH = 1024;

  /** Dims a shape may have. */
  static final int MAX_DIMS = 32;

  /** Elements one tensor may hold: the largest Java array. */
  static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  /** Bytes moved per read or write call: larger tensors go through the file in pieces. */
  static final int CHUNK_BYTES = 1 << 20;

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
   * over {@code path} atomically: a crash mid-write leaves the previous file intact. The temporary
   * file ({@code path}'s name, digits, {@code .tmp}) is deleted when the save fails, by a shutdown
   * hook when the JVM exits during the save (Ctrl-C), and otherwise (the process killed outright)
   * by the next save to the same path. Two processes saving to one path at once are not supported.
   *
   * <pre>{@code
   * Safetensors.write(Path.of("model.safetensors"), model.stateDict());
   * }</pre>
   *
   * @throws IllegalArgumentException if there are more than {@link #MAX_TENSORS} tensors, a name or
   *     metadata key is longer than {@link #MAX_KEY_LENGTH}, or the header would exceed {@link
   *     #MAX_HEADER_BYTES}
   * @throws IOException if the file cannot be written; the previous file is then unchanged
   */
  public static void write(Path path, Map<String, NDArray> tensors) throws IOException {
    write(path, tensors, Map.of());
  }

  /**
   * As {@link #write(Path, Map)}, with string metadata stored in the header's {@code __metadata__}
   * (beside {@code "format": "pt"}), e.g. the architecture a model needs to be rebuilt.
   *
   * <pre>{@code
   * Safetensors.write(Path.of("model.safetensors"), model.stateDict(), Map.of("hidden", "128"));
   * }</pre>
   *
   * @throws IllegalArgumentException as {@link #write(Path, Map)}
   * @throws IOException if the file cannot be written; the previous file is then unchanged
   */
  public static void write(Path path, Map<String, NDArray> tensors, Map<String, String> metadata)
      throws IOException {
    write(path, tensors, metadata, CHUNK_BYTES);
  }

  /** As {@link #write(Path, Map, Map)}, moving at most {@code chunkBytes} per write call. */
  static void write(
      Path path, Map<String, NDArray> tensors, Map<String, String> metadata, int chunkBytes)
      throws IOException {
    if (tensors.size() > MAX_TENSORS) {
      throw new IllegalArgumentException(
          String.format(
              "Safetensors.write: %d tensors, more than Safetensors.MAX_TENSORS (%d)",
              tensors.size(), MAX_TENSORS));
    }
    checkKeys(tensors.keySet(), "tensor name");
    checkKeys(metadata.keySet(), "metadata key");
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
          .append(Arrays.toString(a.shape()).replace(" ", ""))
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
    if (headerBytes.length > MAX_HEADER_BYTES) {
      throw new IllegalArgumentException(
          String.format(
              "Safetensors.write: a header of %d bytes, more than Safetensors.MAX_HEADER_BYTES (%d)",
              headerBytes.length, MAX_HEADER_BYTES));
    }
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    String name = path.getFileName().toString();
    registerShutdownHook();
    removeStaleTemps(dir, name);
    Path tmp = Files.createTempFile(dir, name, ".tmp");
    SAVING.add(tmp);
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer len =
            ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length);
        writeFully(ch, len.flip());
        writeFully(ch, ByteBuffer.wrap(headerBytes));
        ByteBuffer chunk = ByteBuffer.allocate(chunkBytes).order(ByteOrder.LITTLE_ENDIAN);
        for (NDArray a : order) {
          writeData(ch, a, chunk);
        }
        ch.force(true);
      }
      Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } finally {
        SAVING.remove(tmp);
      }
    }
  }

  private static void checkKeys(Set<String> keys, String what) {
    for (String k : keys) {
      if (k.length() > MAX_KEY_LENGTH) {
        throw new IllegalArgumentException(
            String.format(
                "Safetensors.write: a %s of %d characters, more than Safetensors.MAX_KEY_LENGTH"
                    + " (%d): '%s…'",
                what, k.length(), MAX_KEY_LENGTH, k.substring(0, 40)));
      }
    }
  }

  /** Temporary files of the saves running now: the shutdown hook deletes what is left of them. */
  private static final Set<Path> SAVING = ConcurrentHashMap.newKeySet();

  private static final AtomicBoolean HOOK_REGISTERED = new AtomicBoolean();

  /** The temporary files of the saves in progress (empty when none runs). */
  static Set<Path> savesInProgress() {
    return Set.copyOf(SAVING);
  }

  /**
   * Registers, once, a shutdown hook that deletes the temporary file of every save still running
   * when the JVM exits (Ctrl-C, System.exit): such a save never completes, so its temp is garbage.
   */
  private static void registerShutdownHook() {
    if (HOOK_REGISTERED.compareAndSet(false, true)) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    for (Path tmp : SAVING) {
                      try {
                        Files.deleteIfExists(tmp);
                      } catch (IOException ignored) {
                        // the JVM is exiting: nothing better to do than leave it
                      }
                    }
                  },
                  "safetensors-temp-cleanup"));
    }
  }

  /**
   * Deletes the temporary files an earlier save of {@code target} left (killed before its cleanup
   * ran): files in the same directory named as the target, then digits, then {@code .tmp} (the
   * names {@link Files#createTempFile} gives) that no save of this JVM is writing now.
   */
  private static void removeStaleTemps(Path dir, String target) throws IOException {
    DirectoryStream.Filter<Path> stale =
        p -> {
          String n = p.getFileName().toString();
          if (!n.startsWith(target) || !n.endsWith(".tmp")) {
            return false;
          }
          String digits = n.substring(target.length(), n.length() - ".tmp".length());
          return !digits.isEmpty() && digits.chars().allMatch(c -> c >= '0' && c <= '9');
        };
    try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, stale)) {
      for (Path p : found) {
        if (!SAVING.contains(p)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  /** Writes the elements of {@code a} in row-major order, little-endian, a chunk at a time. */
  private static void writeData(FileChannel ch, NDArray a, ByteBuffer chunk) throws IOException {
    int width = a.dtype().byteSize();
    int perChunk = chunk.capacity() / width;
    Object values =
        switch (a.dtype()) {
          case FLOAT32 -> a.toFloatArray();
          case FLOAT64 -> a.toDoubleArray();
          default -> a.toIntArray();
        };
    int n = a.numel();
    for (int i = 0; i < n; i += perChunk) {
      int count = Math.min(perChunk, n - i);
      chunk.clear();
      switch (a.dtype()) {
        case FLOAT32 -> chunk.asFloatBuffer().put((float[]) values, i, count);
        case FLOAT64 -> chunk.asDoubleBuffer().put((double[]) values, i, count);
        default -> chunk.asIntBuffer().put((int[]) values, i, count);
      }
      writeFully(ch, chunk.limit(count * width));
    }
  }

  /** One tensor of the header: read into {@code dtype} from elements of {@code fileBytes} each. */
  private record Entry(String name, DType dtype, int fileBytes, int[] shape, long begin, long end) {
    int numel() {
      return (int) ((end - begin) / fileBytes);
    }
  }

  /** A checked header: the entries in file order, the metadata, where the data begins. */
  private record Header(List<Entry> entries, Map<String, String> metadata, long dataStart) {}

  /**
   * The string entries of a file's {@code __metadata__}, after checking the whole header; no tensor
   * data is read.
   *
   * <pre>{@code
   * String arch = Safetensors.readMetadata(Path.of("model.safetensors")).get("architecture");
   * }</pre>
   *
   * @throws SafetensorsException naming the file and the first problem of its header
   */
  public static Map<String, String> readMetadata(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      return header(path, ch).metadata;
    }
  }

  /**
   * The names of the tensors in a file, in the header's order, after checking the whole header; no
   * tensor data is read.
   *
   * <pre>{@code
   * Set<String> names = Safetensors.keys(Path.of("model.safetensors"));
   * }</pre>
   *
   * @throws SafetensorsException naming the file and the first problem of its header
   */
  public static Set<String> keys(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      Set<String> out = new LinkedHashSet<>();
      for (Entry e : header(path, ch).entries) {
        out.add(e.name);
      }
      return out;
    }
  }

  /**
   * Reads every tensor of a safetensors file, checking the header length against the file size, the
   * JSON, each dtype, that shape × dtype size equals the byte range, and that the ranges lie inside
   * the data, do not overlap and leave no hole. Offsets are 64-bit, so files may be of any size;
   * each tensor must fit one Java array (at most 2³¹ − 9 elements). Data are read a chunk at a time
   * straight into the tensor's array.
   *
   * <pre>{@code
   * Map<String, NDArray> state = Safetensors.read(Path.of("model.safetensors"));
   * }</pre>
   *
   * @throws SafetensorsException naming the file and the first problem found
   */
  public static Map<String, NDArray> read(Path path) throws IOException {
    return read(path, null, CHUNK_BYTES);
  }

  /**
   * Reads only the named tensors (e.g. a few from a file larger than memory), after checking the
   * whole header as {@link #read(Path)} does; the result keeps the file's order.
   *
   * <pre>{@code
   * Map<String, NDArray> head = Safetensors.read(Path.of("big.safetensors"), Set.of("lm_head.weight"));
   * }</pre>
   *
   * @throws IllegalArgumentException if a name is not in the file, or names is or holds null
   * @throws SafetensorsException naming the file and the first problem found
   */
  public static Map<String, NDArray> read(Path path, Set<String> names) throws IOException {
    if (names == null || names.stream().anyMatch(Objects::isNull)) {
      throw new IllegalArgumentException("Safetensors.read: the names must not be or hold null");
    }
    return read(path, names, CHUNK_BYTES);
  }

  /** Reads the named tensors ({@code null}: all), at most {@code chunkBytes} per read call. */
  static Map<String, NDArray> read(Path path, Set<String> names, int chunkBytes)
      throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      Header h = header(path, ch);
      if (names != null) {
        Set<String> absent = new TreeSet<>(names);
        for (Entry e : h.entries) {
          absent.remove(e.name);
        }
        if (!absent.isEmpty()) {
          throw new IllegalArgumentException(
              String.format(
                  "Safetensors.read: %s holds no tensor named %s (it holds %d tensors)",
                  path, quoted(absent), h.entries.size()));
        }
      }
      Map<String, NDArray> out = new LinkedHashMap<>();
      for (Entry e : h.entries) {
        if (names == null || names.contains(e.name)) {
          out.put(e.name, readTensor(path, ch, e, h.dataStart, chunkBytes));
        }
      }
      return out;
    }
  }

  private static String quoted(Set<String> names) {
    StringBuilder sb = new StringBuilder();
    for (String n : names) {
      sb.append(sb.length() == 0 ? "" : ", ").append('\'').append(n).append('\'');
    }
    return sb.toString();
  }

  /** Reads and checks the header: its length against the file size, the JSON, every entry. */
  private static Header header(Path path, FileChannel ch) throws IOException {
    long size = ch.size();
    if (size < 8) {
      throw bad(path, "the file has " + size + " bytes, fewer than the 8-byte header length");
    }
    ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, lenBuf, 0, path);
    long headerLen = lenBuf.flip().getLong();
    if (headerLen > MAX_HEADER_BYTES) {
      throw bad(
          path,
          "header length "
              + headerLen
              + " is more than Safetensors.MAX_HEADER_BYTES ("
              + MAX_HEADER_BYTES
              + ")");
    }
    if (headerLen < 2 || headerLen > size - 8) {
      throw bad(path, "header length " + headerLen + " does not fit a file of " + size + " bytes");
    }
    ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLen);
    readFully(ch, headerBytes, 8, path);
    String json = utf8(path, headerBytes.array());
    headerBytes = null; // the String replaces the bytes: let a large header's bytes go
    long dataStart = 8 + headerLen;
    Object root;
    try {
      root =
          Json.parse(
              json,
              MAX_TENSORS + 1,
              "Safetensors.MAX_TENSORS, plus __metadata__",
              MAX_KEY_LENGTH,
              "Safetensors.MAX_KEY_LENGTH");
    } catch (SafetensorsException e) {
      throw bad(path, e.getMessage());
    }
    if (!(root instanceof Map)) {
      throw bad(path, "the header is not a JSON object");
    }
    List<Entry> entries = parseEntries(path, (Map<?, ?>) root, size - dataStart);
    Map<String, String> metadata = new LinkedHashMap<>();
    Object meta = ((Map<?, ?>) root).get("__metadata__");
    if (meta instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) meta).entrySet()) {
        if (e.getValue() instanceof String) {
          metadata.put((String) e.getKey(), (String) e.getValue());
        }
      }
    }
    return new Header(entries, metadata, dataStart);
  }

  /**
   * The header's text. The bytes are checked as strict UTF-8 through a small reused buffer, then
   * decoded once into the String (one byte per character when it is ASCII, as headers are): the
   * peak is the bytes and the String, not a char buffer twice the header's size besides.
   */
  private static String utf8(Path path, byte[] bytes) throws SafetensorsException {
    CharsetDecoder check =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(8192);
    while (true) {
      CoderResult r = check.decode(in, out.clear(), true);
      if (r.isError()) {
        throw bad(path, "the header is not valid UTF-8 (at byte " + in.position() + ")");
      }
      if (r.isUnderflow()) {
        break;
      }
    }
    return new String(bytes, StandardCharsets.UTF_8);
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

  private static List<Entry> parseEntries(Path path, Map<?, ?> root, long dataLength)
      throws SafetensorsException {
    int count = root.size() - (root.containsKey("__metadata__") ? 1 : 0);
    if (count > MAX_TENSORS) {
      throw bad(
          path,
          String.format(
              "the header lists %d tensors, more than Safetensors.MAX_TENSORS (%d)",
              count, MAX_TENSORS));
    }
    List<Entry> entries = new ArrayList<>(count);
    for (Map.Entry<?, ?> e : root.entrySet()) {
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
      long[] dims = longs(path, name, "shape", info.get("shape"), -1, Integer.MAX_VALUE);
      int[] shape = new int[dims.length];
      long numel = 1;
      for (int i = 0; i < dims.length; i++) {
        shape[i] = (int) dims[i];
        numel *= dims[i]; // at most (2^31 - 9) * (2^31 - 1): no overflow
        if (numel > MAX_ELEMENTS) {
          throw bad(
              path,
              String.format(
                  "entry '%s' of shape %s has more elements than one array holds (%d)",
                  name, Arrays.toString(dims), MAX_ELEMENTS));
        }
      }
      long[] offsets =
          longs(path, name, "data_offsets", info.get("data_offsets"), 2, Long.MAX_VALUE);
      long begin = offsets[0];
      long end = offsets[1];
      if (begin > end) {
        throw bad(
            path, String.format("entry '%s' has reversed data_offsets [%d, %d]", name, begin, end));
      }
      if (end > dataLength) {
        throw bad(
            path,
            String.format(
                "entry '%s' has data_offsets [%d, %d] that run past the end of the %d data bytes",
                name, begin, end, dataLength));
      }
      int fileBytes = "I64".equals(dt) ? 8 : dtype.byteSize();
      if (end - begin != numel * fileBytes) {
        throw bad(
            path,
            String.format(
                "entry '%s' of dtype %s and shape %s needs %d bytes, but its data_offsets [%d, %d]"
                    + " hold %d",
                name, dt, Arrays.toString(shape), numel * fileBytes, begin, end, end - begin));
      }
      entries.add(new Entry(name, dtype, fileBytes, shape, begin, end));
    }
    checkTiling(path, entries, dataLength);
    return entries;
  }

  /**
   * The entries' byte ranges, in order, must tile the data exactly: each begins where the one
   * before ends. A gap is named by its bytes and its neighbours (a tensor missing from the header,
   * or a header that lies about the data); an overlap by both entries.
   */
  private static void checkTiling(Path path, List<Entry> entries, long dataLength)
      throws SafetensorsException {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    Entry previous = null;
    long expected = 0;
    for (Entry e : sorted) {
      if (e.begin < expected) {
        throw bad(
            path,
            String.format(
                "entry '%s' [%d, %d] overlaps '%s' [%d, %d]",
                e.name, e.begin, e.end, previous.name, previous.begin, previous.end));
      }
      if (e.begin > expected) {
        throw gap(path, expected, e.begin, previous, e);
      }
      previous = e;
      expected = e.end;
    }
    if (expected != dataLength) {
      throw gap(path, expected, dataLength, previous, null);
    }
  }

  private static SafetensorsException gap(
      Path path, long from, long to, Entry before, Entry after) {
    String where =
        before == null
            ? (after == null
                ? "no entry lists any"
                : "before '" + after.name + "', the first entry")
            : (after == null
                ? "after '" + before.name + "', the last entry"
                : "after '" + before.name + "' and before '" + after.name + "'");
    return bad(
        path,
        String.format(
            "the data bytes [%d, %d) belong to no entry (%s): is a tensor missing from the header?",
            from, to, where));
  }

  /** A JSON array of {@code count} (any if negative) integers in [0, max]. */
  private static long[] longs(
      Path path, String name, String field, Object value, int count, long max)
      throws SafetensorsException {
    if (!(value instanceof List)) {
      throw bad(path, "entry '" + name + "' has no " + field + " array");
    }
    List<?> list = (List<?>) value;
    if (count >= 0 && list.size() != count) {
      throw bad(path, "entry '" + name + "' needs " + count + " " + field);
    }
    if (list.size() > MAX_DIMS) {
      throw bad(path, "entry '" + name + "' has more than " + MAX_DIMS + " dims");
    }
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      Object v = list.get(i);
      if (!(v instanceof Long) || (Long) v < 0 || (Long) v > max) {
        throw bad(path, "entry '" + name + "' has an invalid " + field + " value " + v);
      }
      out[i] = (Long) v;
    }
    return out;
  }

  /**
   * Reads one entry's data into a new array of its dtype: {@code chunkBytes} (a multiple of 8) at a
   * time through one buffer, so memory holds the array and one chunk, however large the tensor.
   */
  private static NDArray readTensor(
      Path path, FileChannel ch, Entry e, long dataStart, int chunkBytes) throws IOException {
    int n = e.numel();
    boolean i64 = e.fileBytes == 8 && e.dtype == DType.INT32; // narrowed when every value fits
    Object values =
        switch (e.dtype) {
          case FLOAT32 -> new float[n];
          case FLOAT64 -> new double[n];
          default -> new int[n];
        };
    long[] wide = i64 ? new long[Math.min(n, chunkBytes / 8)] : null;
    ByteBuffer chunk =
        ByteBuffer.allocate((int) Math.min(chunkBytes, e.end - e.begin))
            .order(ByteOrder.LITTLE_ENDIAN);
    int perChunk = chunkBytes / e.fileBytes;
    long position = dataStart + e.begin;
    for (int i = 0; i < n; i += perChunk) {
      int count = Math.min(perChunk, n - i);
      chunk.clear().limit(count * e.fileBytes);
      readFully(ch, chunk, position, path);
      chunk.flip();
      position += (long) count * e.fileBytes;
      if (i64) {
        chunk.asLongBuffer().get(wide, 0, count);
        int[] v = (int[]) values;
        for (int j = 0; j < count; j++) {
          if (wide[j] != (int) wide[j]) {
            throw bad(
                path,
                String.format(
                    "entry '%s' holds the I64 value %d at element %d, which does not fit INT32",
                    e.name, wide[j], i + j));
          }
          v[i + j] = (int) wide[j];
        }
        continue;
      }
      switch (e.dtype) {
        case FLOAT32 -> chunk.asFloatBuffer().get((float[]) values, i, count);
        case FLOAT64 -> chunk.asDoubleBuffer().get((double[]) values, i, count);
        default -> chunk.asIntBuffer().get((int[]) values, i, count);
      }
    }
    return switch (e.dtype) {
      case FLOAT32 -> NDArray.fromArray((float[]) values, e.shape);
      case FLOAT64 -> NDArray.fromArray((double[]) values, e.shape);
      default -> NDArray.fromArray((int[]) values, e.shape);
    };
  }
}
