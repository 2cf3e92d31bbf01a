package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import org.junit.jupiter.api.Test;

/**
 * {@link Safetensors}, directly and through {@link Module#save} and {@link Module#load}: exact
 * round trips of every dtype, a file laid out byte by byte from the format's description, and
 * corrupt or hostile files refused with {@link SafetensorsException} before any parameter changes.
 * The header's JSON reader is also tested alone in {@link JsonTest}.
 */
class SafetensorsProperties {
  private final Path dir;

  SafetensorsProperties() throws IOException {
    dir = Files.createTempDirectory("jgrad-safetensors");
  }

  /** After each property (jqwik) and each plain test (Jupiter): both engines make an instance. */
  @AfterProperty
  @org.junit.jupiter.api.AfterEach
  void cleanUp() throws IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static Sequential model(long seed, int hidden) {
    Generator g = new Generator(seed);
    return new Sequential(
        new Linear(3, hidden, true, g), new Tanh(), new Linear(hidden, 2, false, g));
  }

  static Map<String, float[]> snapshot(Module m) {
    Map<String, float[]> out = new LinkedHashMap<>();
    m.stateDict().forEach((k, v) -> out.put(k, v.toFloatArray()));
    return out;
  }

  static void assertSameState(Map<String, float[]> expected, Module m) {
    Map<String, float[]> actual = snapshot(m);
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), k));
  }

  @Property(tries = 30)
  void savedModelsLoadBackExactly(
      @ForAll @IntRange(min = 1, max = 20) int hidden, @ForAll long seed) throws IOException {
    Sequential a = model(seed, hidden);
    Path file = dir.resolve("m.safetensors");
    a.save(file);
    Sequential b = model(seed + 1, hidden);
    b.load(file);
    assertSameState(snapshot(a), b);
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file is left behind");
    }
  }

  @Property(tries = 20)
  void everyDtypeAndShapeRoundTrips(@ForAll long seed) throws IOException {
    Generator g = new Generator(seed);
    Map<String, NDArray> state = new LinkedHashMap<>();
    state.put("f32", NDArray.randn(g, 2, 3));
    state.put("f64", NDArray.randn(g, DType.FLOAT64, 4));
    state.put("i32", NDArray.randint(g, -5, 5, 3, 1, 2));
    state.put("scalar", NDArray.scalar(7));
    state.put("empty", NDArray.zeros(0, 3));
    state.put("view \"quoted\"", NDArray.randn(g, 3, 2).t());
    Path file = dir.resolve("all.safetensors");
    Safetensors.write(file, state);
    Map<String, NDArray> back = Safetensors.read(file);
    assertEquals(state.keySet(), back.keySet());
    for (String k : state.keySet()) {
      assertEquals(state.get(k).dtype(), back.get(k).dtype(), k);
      assertArrayEquals(state.get(k).shape(), back.get(k).shape(), k);
      assertArrayEquals(state.get(k).toDoubleArray(), back.get(k).toDoubleArray(), k);
    }
  }

  @Property(tries = 300)
  void corruptedFilesRaiseTheDocumentedExceptionAndLeaveTheModelAlone(
      @ForAll long seed, @ForAll int position, @ForAll byte value, @ForAll boolean truncate)
      throws IOException {
    Sequential original = model(1, 4);
    Path file = dir.resolve("c.safetensors");
    original.save(file);
    byte[] bytes = Files.readAllBytes(file);
    int at = Math.floorMod(position, bytes.length);
    byte[] bad = truncate ? java.util.Arrays.copyOf(bytes, at) : bytes.clone();
    if (!truncate) {
      bad[at] ^= (byte) (value == 0 ? 1 : value);
    }
    Files.write(file, bad);
    Sequential target = model(2, 4);
    Map<String, float[]> before = snapshot(target);
    try {
      target.load(file);
      // No checksum in the format: a flipped data byte is still a valid file.
      assertTrue(!truncate, "a truncated file never loads");
    } catch (SafetensorsException e) {
      assertTrue(e.getMessage().contains("c.safetensors"), e.getMessage());
      assertSameState(before, target);
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().startsWith("loadStateDict"), e.getMessage());
      assertSameState(before, target);
    } catch (RuntimeException | Error e) {
      fail("undocumented exception for a corrupt file: " + e);
    }
  }

  @Test
  void aFileLaidOutByteByByteFromTheSpecLoads() throws IOException {
    // Header:
    // {"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"n":{"dtype":"I32","shape":[],"data_offsets":[8,12]}}
    String header =
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"n\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[8,12]}}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + 12).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).putFloat(1.5f).putFloat(-2f).putInt(42);
    Path file = dir.resolve("spec.safetensors");
    Files.write(file, b.array());
    Map<String, NDArray> state = Safetensors.read(file);
    assertArrayEquals(new float[] {1.5f, -2f}, state.get("w").toFloatArray());
    assertEquals(42, state.get("n").getInt());
    assertEquals(DType.INT32, state.get("n").dtype());
  }

  @Test
  void hostileHeadersAreRefusedWithoutHugeAllocations() throws IOException {
    Path file = dir.resolve("h.safetensors");
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(Long.MAX_VALUE).putLong(0);
    Files.write(file, b.array());
    SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(file));
    assertTrue(e.getMessage().contains("header length"), e.getMessage());
    String overlap =
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    byte[] h = overlap.getBytes(StandardCharsets.UTF_8);
    ByteBuffer o = ByteBuffer.allocate(8 + h.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    o.putLong(h.length).put(h).putFloat(1f);
    Files.write(file, o.array());
    e = assertThrows(SafetensorsException.class, () -> Safetensors.read(file));
    assertTrue(e.getMessage().contains("overlaps"), e.getMessage());
    String huge = "{\"a\":{\"dtype\":\"F32\",\"shape\":[100000,100000],\"data_offsets\":[0,4]}}";
    h = huge.getBytes(StandardCharsets.UTF_8);
    o = ByteBuffer.allocate(8 + h.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    o.putLong(h.length).put(h).putFloat(1f);
    Files.write(file, o.array());
    assertThrows(SafetensorsException.class, () -> Safetensors.read(file));
  }

  /** Writes a file of {@code dataBytes} data bytes, sparse except the header and {@code tail}. */
  static void writeSparse(Path file, String header, long dataBytes, byte[] tail)
      throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
      f.write(h);
      f.setLength(8 + h.length + dataBytes);
      f.seek(8 + h.length + dataBytes - tail.length);
      f.write(tail);
    }
  }

  @Test
  void dataPastFourGibibytesIsReadThroughSixtyFourBitOffsets() throws IOException {
    long pad = (1L << 32) + 4; // one F32 tensor of 2^30 + 1 elements, never read
    String header =
        "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"pad\":{\"dtype\":\"F32\",\"shape\":[1073741825],\"data_offsets\":[0,"
            + pad
            + "]},\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":["
            + pad
            + ","
            + (pad + 12)
            + "]}}";
    ByteBuffer w = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    w.putFloat(1.5f).putFloat(-2f).putFloat(3.25f);
    Path file = Files.createTempFile(dir, "large", ".safetensors");
    file.toFile().deleteOnExit();
    try {
      writeSparse(file, header, pad + 12, w.array());
      assertEquals(Map.of("format", "pt"), Safetensors.readMetadata(file));
      assertEquals(List.of("pad", "w"), List.copyOf(Safetensors.keys(file)));
      Map<String, NDArray> read = Safetensors.read(file, Set.of("w"));
      assertEquals(Set.of("w"), read.keySet());
      assertArrayEquals(new float[] {1.5f, -2f, 3.25f}, read.get("w").toFloatArray());
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Safetensors.read(file, Set.of("v")));
      assertTrue(e.getMessage().contains("'v'"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> Safetensors.read(file, null));
      assertThrows(
          IllegalArgumentException.class,
          () ->
              Safetensors.read(file, new java.util.HashSet<>(java.util.Arrays.asList("w", null))));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Property(tries = 40)
  void tensorsAreReadAndWrittenInChunksOfAnySize(
      @ForAll @IntRange(min = 1, max = 9) int chunkWords, @ForAll long seed) throws IOException {
    Generator g = new Generator(seed);
    Map<String, NDArray> state = new LinkedHashMap<>();
    state.put("f32", NDArray.randn(g, 5, 7));
    state.put("f64", NDArray.randn(g, DType.FLOAT64, 13));
    state.put("i32", NDArray.randint(g, -1000, 1000, 3, 11).t());
    state.put("one", NDArray.scalar(3f));
    Path file = dir.resolve("chunks.safetensors");
    Safetensors.write(file, state, Map.of(), 8 * chunkWords);
    Map<String, NDArray> back = Safetensors.read(file, state.keySet(), 8 * chunkWords);
    for (String k : state.keySet()) {
      assertEquals(state.get(k).dtype(), back.get(k).dtype(), k);
      assertArrayEquals(state.get(k).shape(), back.get(k).shape(), k);
      assertArrayEquals(state.get(k).toDoubleArray(), back.get(k).toDoubleArray(), k);
    }
    assertEquals(Safetensors.read(file).keySet(), state.keySet());
  }

  @Property(tries = 10)
  void int64TensorsAreReadInChunksIntoInt32(
      @ForAll @IntRange(min = 1, max = 5) int chunkWords,
      @ForAll @IntRange(min = 0, max = 40) int n,
      @ForAll long seed)
      throws IOException {
    java.util.Random r = new java.util.Random(seed);
    long[] values = new long[n];
    for (int i = 0; i < n; i++) {
      values[i] = r.nextInt();
    }
    String header =
        "{\"c\":{\"dtype\":\"I64\",\"shape\":[" + n + "],\"data_offsets\":[0," + 8 * n + "]}}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + 8 * n).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    for (long v : values) {
      b.putLong(v);
    }
    Path file = dir.resolve("i64.safetensors");
    Files.write(file, b.array());
    int[] back = Safetensors.read(file, Set.of("c"), 8 * chunkWords).get("c").toIntArray();
    for (int i = 0; i < n; i++) {
      assertEquals(values[i], back[i], "element " + i);
    }
  }

  /** A header of {@code count} zero-size F32 tensors named t0, t1, …: the shape of a flood. */
  static String zeroSizeHeader(int count, String firstName) {
    StringBuilder h = new StringBuilder("{");
    for (int i = 0; i < count; i++) {
      h.append(i == 0 ? "" : ",").append('"').append(i == 0 ? firstName : "t" + i);
      h.append("\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}");
    }
    return h.append('}').toString();
  }

  static Path writeHeaderOnly(Path file, String header) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN);
    Files.write(file, b.putLong(h.length).put(h).array());
    return file;
  }

  static String refused(Path file) {
    return assertThrows(SafetensorsException.class, () -> Safetensors.keys(file)).getMessage();
  }

  @Test
  void theHeaderIsBoundedInSizeEntriesAndKeyLength() throws IOException {
    Path file = dir.resolve("bounds.safetensors");
    writeHeaderOnly(file, zeroSizeHeader(Safetensors.MAX_TENSORS, "t0"));
    assertEquals(Safetensors.MAX_TENSORS, Safetensors.keys(file).size());
    writeHeaderOnly(file, zeroSizeHeader(Safetensors.MAX_TENSORS + 1, "t0"));
    String e = refused(file);
    assertTrue(e.contains("MAX_TENSORS") && e.contains("bounds.safetensors"), e);

    String longest = "k".repeat(Safetensors.MAX_KEY_LENGTH);
    writeHeaderOnly(file, zeroSizeHeader(2, longest));
    assertEquals(Set.of(longest, "t1"), Safetensors.keys(file));
    writeHeaderOnly(file, zeroSizeHeader(2, longest + "k"));
    e = refused(file);
    assertTrue(e.contains("MAX_KEY_LENGTH") && e.contains(longest.length() + 1 + " characters"), e);

    long tooLong = Safetensors.MAX_HEADER_BYTES + 1;
    writeSparse(file, "", tooLong, new byte[0]);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, tooLong), 0);
    }
    e = refused(file);
    assertTrue(e.contains("MAX_HEADER_BYTES") && e.contains(Long.toString(tooLong)), e);
    Files.delete(file);
  }

  @Test
  void writeRefusesWhatReadWouldRefuse() {
    Map<String, NDArray> many = new LinkedHashMap<>();
    NDArray empty = NDArray.zeros(0);
    for (int i = 0; i <= Safetensors.MAX_TENSORS; i++) {
      many.put("t" + i, empty);
    }
    Path file = dir.resolve("w.safetensors");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, many));
    assertTrue(e.getMessage().contains("MAX_TENSORS"), e.getMessage());
    String longKey = "k".repeat(Safetensors.MAX_KEY_LENGTH + 1);
    e =
        assertThrows(
            IllegalArgumentException.class, () -> Safetensors.write(file, Map.of(longKey, empty)));
    assertTrue(e.getMessage().contains("MAX_KEY_LENGTH"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Safetensors.write(file, Map.of(), Map.of(longKey, "v")));
    assertTrue(e.getMessage().contains("MAX_KEY_LENGTH"), e.getMessage());
    assertTrue(!Files.exists(file), "nothing written");
  }

  /** Bytes this thread has allocated so far (HotSpot's per-thread counter, read reflectively). */
  static long allocatedBytes() {
    try {
      Object bean =
          Class.forName("java.lang.management.ManagementFactory")
              .getMethod("getThreadMXBean")
              .invoke(null);
      return (Long)
          Class.forName("com.sun.management.ThreadMXBean")
              .getMethod("getCurrentThreadAllocatedBytes")
              .invoke(bean);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("this test needs HotSpot's allocation counter", e);
    }
  }

  /**
   * Parsing allocates a bounded number of bytes per header byte, whatever the size: a header four
   * and sixteen times larger costs at most {@link #ALLOCATION_PER_HEADER_BYTE} per byte too (about
   * 15 measured; the parser with a regular expression per number took 70 on the smallest).
   */
  static final int ALLOCATION_PER_HEADER_BYTE = 32;

  @Test
  void headersOfGrowingSizeParseInLinearAllocation() throws IOException {
    Path file = dir.resolve("flood.safetensors");
    writeHeaderOnly(file, zeroSizeHeader(2000, "t0"));
    Safetensors.keys(file); // warm up
    for (int count : new int[] {2000, 8000, 32000}) {
      long bytes = Files.size(file = writeHeaderOnly(file, zeroSizeHeader(count, "t0")));
      long before = allocatedBytes();
      assertEquals(count, Safetensors.keys(file).size());
      long perByte = (allocatedBytes() - before) / bytes;
      System.out.printf(
          "safetensors header of %d entries: %d bytes allocated per header byte%n", count, perByte);
      assertTrue(
          perByte <= ALLOCATION_PER_HEADER_BYTE,
          count + " entries: " + perByte + " bytes allocated per header byte");
    }
  }

  /** The message reading a file of this header and {@code dataBytes} zero data bytes raises. */
  String refusal(String header, int dataBytes) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    Path file = dir.resolve("msg.safetensors");
    Files.write(file, b.putLong(h.length).put(h).array());
    return refused(file);
  }

  static String f32(String name, String shape, long begin, long end) {
    return String.format(
        "\"%s\":{\"dtype\":\"F32\",\"shape\":%s,\"data_offsets\":[%d,%d]}",
        name, shape, begin, end);
  }

  @Test
  void errorsNameTheEntryAndTheProblem() throws IOException {
    String e = refusal("{" + f32("a", "[1]", 8, 4) + "}", 12);
    assertTrue(e.contains("'a'") && e.contains("reversed data_offsets [8, 4]"), e);

    e = refusal("{" + f32("a", "[100]", 0, 400) + "}", 12);
    assertTrue(e.contains("'a'") && e.contains("[0, 400] that run past the end of the 12 data"), e);

    e = refusal("{" + f32("a", "[1]", 0, 4) + "," + f32("c", "[1]", 8, 12) + "}", 12);
    assertTrue(
        e.contains("data bytes [4, 8) belong to no entry")
            && e.contains("after 'a'")
            && e.contains("before 'c'")
            && e.contains("missing"),
        e);

    e = refusal("{" + f32("a", "[1]", 0, 4) + "}", 12);
    assertTrue(e.contains("data bytes [4, 12) belong to no entry") && e.contains("after 'a'"), e);

    e = refusal("{" + f32("a", "[1]", 4, 8) + "}", 8);
    assertTrue(e.contains("data bytes [0, 4) belong to no entry") && e.contains("before 'a'"), e);

    e = refusal("{}", 8);
    assertTrue(e.contains("data bytes [0, 8) belong to no entry"), e);

    e = refusal("{" + f32("a", "[2]", 0, 8) + "," + f32("b", "[1]", 4, 8) + "}", 8);
    assertTrue(e.contains("'b' [4, 8] overlaps 'a' [0, 8]"), e);

    e = refusal("{" + f32("w", "[2,3]", 0, 20) + "}", 20);
    assertTrue(
        e.contains("'w'")
            && e.contains("dtype F32")
            && e.contains("shape [2, 3]")
            && e.contains("24 bytes")
            && e.contains("[0, 20] hold 20"),
        e);
  }

  static Set<String> filesIn(Path d) throws IOException {
    try (var files = Files.list(d)) {
      return files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  @Test
  void aSaveRemovesStaleTemporaryFilesOfItsTargetOnly() throws IOException {
    Path d = Files.createDirectories(dir.resolve("stale"));
    Set<String> others =
        Set.of("m.safetensors.bak", "other.safetensors123.tmp", "m.safetensorsx1.tmp", "m.tmp");
    for (String name : others) {
      Files.write(d.resolve(name), new byte[] {1});
    }
    // What an interrupted save used to leave: the target's name, random digits, .tmp.
    Files.write(d.resolve("m.safetensors8071630391562473617.tmp"), new byte[] {1, 2});
    Files.write(d.resolve("m.safetensors5.tmp"), new byte[0]);
    model(1, 3).save(d.resolve("m.safetensors"));
    Set<String> expected = new java.util.HashSet<>(others);
    expected.add("m.safetensors");
    assertEquals(expected, filesIn(d));
    assertTrue(Safetensors.savesInProgress().isEmpty());
  }

  @Test
  void aFailedSaveLeavesTheOldFileIntactAndNoTemporaryFile() throws IOException {
    Path d = Files.createDirectories(dir.resolve("failed"));
    Path file = d.resolve("m.safetensors");
    Sequential old = model(1, 3);
    old.save(file);
    byte[] before = Files.readAllBytes(file);
    Thread.currentThread().interrupt(); // the channel closes at its first write: a failed save
    try {
      assertThrows(IOException.class, () -> model(2, 3).save(file));
    } finally {
      Thread.interrupted();
    }
    assertArrayEquals(before, Files.readAllBytes(file), "the old file is intact");
    assertEquals(Set.of("m.safetensors"), filesIn(d), "no temporary file is left");
    assertTrue(Safetensors.savesInProgress().isEmpty(), "nothing left to delete at exit");

    Path asDir = Files.createDirectories(d.resolve("dir.safetensors"));
    Files.write(asDir.resolve("inside"), new byte[] {7});
    IOException e = assertThrows(IOException.class, () -> old.save(asDir));
    assertTrue(e.getMessage().contains("dir.safetensors"), e.getMessage());
    assertEquals(Set.of("m.safetensors", "dir.safetensors"), filesIn(d));
    assertEquals(Set.of("inside"), filesIn(asDir));
    Files.delete(asDir.resolve("inside"));
    e = assertThrows(IOException.class, () -> old.save(asDir));
    assertTrue(Files.isDirectory(asDir), "an empty directory is not replaced by the file");
  }

  /** Loads {@code state} into a fresh model through a file and returns the refusal's message. */
  String refusedLoad(Map<String, NDArray> state) throws IOException {
    Path file = dir.resolve("load.safetensors");
    Safetensors.write(file, state);
    Sequential target = model(9, 4);
    Map<String, float[]> before = snapshot(target);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> target.load(file));
    assertSameState(before, target);
    e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(state, false));
    assertSameState(before, target);
    return e.getMessage();
  }

  @Test
  void aLoadThatFailsOnAnyEntryChangesNothing() throws IOException {
    Map<String, NDArray> good = model(5, 4).stateDict();
    List<String> keys = List.copyOf(good.keySet());
    String last = keys.get(keys.size() - 1); // every earlier entry would be copied already
    Map<String, NDArray> state = new LinkedHashMap<>(good);
    state.put(last, NDArray.zeros(3, 3));
    String e = refusedLoad(state);
    assertTrue(e.contains("'" + last + "'") && e.contains("[3, 3]"), e);

    state = new LinkedHashMap<>(good);
    state.put(last, good.get(last).to(DType.INT32));
    e = refusedLoad(state);
    assertTrue(e.contains("'" + last + "'") && e.contains("int32") && e.contains("float32"), e);

    Map<String, NDArray> withNull = new LinkedHashMap<>(good);
    withNull.put(last, null);
    Sequential target = model(9, 4);
    Map<String, float[]> before = snapshot(target);
    IllegalArgumentException npe =
        assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(withNull, true));
    assertTrue(npe.getMessage().contains("'" + last + "'"), npe.getMessage());
    assertSameState(before, target);
  }

  @Test
  void floatingStateOfAnotherWidthIsConvertedAsPyTorchDoes() throws IOException {
    Sequential source = model(6, 4);
    Map<String, NDArray> wide = new LinkedHashMap<>();
    source.stateDict().forEach((k, v) -> wide.put(k, v.to(DType.FLOAT64)));
    Path file = dir.resolve("f64.safetensors");
    Safetensors.write(file, wide);
    Sequential target = model(7, 4);
    target.load(file);
    assertSameState(snapshot(source), target);
  }

  @Test
  void aModelTrainedThenSavedPredictsTheSameAfterLoading() throws IOException {
    Sequential a = model(3, 8);
    Tensor x = Tensor.rand(5, 3);
    Path file = dir.resolve("p.safetensors");
    a.save(file);
    Sequential b = model(4, 8);
    b.load(file);
    assertArrayEquals(a.forward(x).data().toFloatArray(), b.forward(x).data().toFloatArray());
  }
}
