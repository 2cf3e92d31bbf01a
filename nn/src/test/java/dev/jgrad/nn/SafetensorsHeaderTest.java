package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Safetensors} on files laid out byte by byte (issue #14, mutation testing): the bounds of
 * the header length (8-byte files, exactly {@code MAX_HEADER_BYTES}, a header filling the file),
 * the smallest header "{}", non-object headers and entries, invalid UTF-8 inside a key, shapes at
 * the element limit and at 32 dims, zero-size tensors, offsets listed out of order, data_offsets of
 * the wrong length, I64 data read in chunks (a value that does not fit INT32 named by its element),
 * names missing from a file, metadata, 8-byte alignment of written headers, small write chunks, and
 * the limits on the number of tensors and the key length on writing.
 */
class SafetensorsHeaderTest {

  @TempDir Path dir;

  /** 8 bytes of little-endian header length, the header, then the data. */
  static byte[] layout(long headerLength, byte[] header, byte[] data) {
    ByteBuffer b =
        ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    return b.putLong(headerLength).put(header).put(data).array();
  }

  Path file(String header, byte[] data) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    Path p = dir.resolve("f.safetensors");
    Files.write(p, layout(h.length, h, data));
    return p;
  }

  Path raw(byte[] bytes) throws IOException {
    Path p = dir.resolve("raw.safetensors");
    Files.write(p, bytes);
    return p;
  }

  static String refused(Path p) {
    return assertThrows(SafetensorsException.class, () -> Safetensors.read(p)).getMessage();
  }

  static byte[] floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  static String f32(String name, String shape, long begin, long end) {
    return String.format(
        "\"%s\":{\"dtype\":\"F32\",\"shape\":%s,\"data_offsets\":[%d,%d]}",
        name, shape, begin, end);
  }

  @Test
  void theHeaderLengthMustFitTheFile() throws IOException {
    String m = refused(raw(new byte[7]));
    assertTrue(m.contains("the file has 7 bytes, fewer than the 8-byte header length"), m);
    // 8 bytes: a length, but no room for a header
    m = refused(raw(layout(2, new byte[0], new byte[0])));
    assertTrue(m.contains("header length 2 does not fit a file of 8 bytes"), m);
    m = refused(raw(layout(Safetensors.MAX_HEADER_BYTES + 1, new byte[0], new byte[0])));
    assertTrue(m.contains("more than Safetensors.MAX_HEADER_BYTES"), m);
    // exactly the largest length allowed: refused only because the file is too short for it
    m = refused(raw(layout(Safetensors.MAX_HEADER_BYTES, new byte[0], new byte[0])));
    assertTrue(m.contains("does not fit a file of 8 bytes"), m);
    byte[] braces = "{}".getBytes(StandardCharsets.UTF_8);
    m = refused(raw(layout(1, braces, new byte[0])));
    assertTrue(m.contains("header length 1 does not fit a file of 10 bytes"), m);
    m = refused(raw(layout(0, braces, new byte[0])));
    assertTrue(m.contains("header length 0 does not fit"), m);
    // one byte longer than what follows the length
    m = refused(raw(layout(3, braces, new byte[0])));
    assertTrue(m.contains("header length 3 does not fit a file of 10 bytes"), m);
    // "{}" is the smallest header: a file of no tensors
    assertEquals(Map.of(), Safetensors.read(raw(layout(2, braces, new byte[0]))));
  }

  @Test
  void aHeaderOrEntryThatIsNoObjectIsRefused() throws IOException {
    String m = refused(file("[]", new byte[0]));
    assertTrue(m.contains("the header is not a JSON object"), m);
    m = refused(file("{\"a\":5}", new byte[0]));
    assertTrue(m.contains("entry 'a' is not an object"), m);
  }

  @Test
  void invalidUtf8InAKeyIsRefused() throws IOException {
    byte[] h =
        "{\"a?\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}"
            .getBytes(StandardCharsets.US_ASCII);
    h[3] = (byte) 0xFF; // the '?': no UTF-8 sequence starts with 0xFF
    String m = refused(raw(layout(h.length, h, new byte[0])));
    assertTrue(m.contains("not valid UTF-8 (at byte 3)"), m);
  }

  @Test
  void shapesAreBoundedByOneArrayAndThirtyTwoDims() throws IOException {
    long max = Safetensors.MAX_ELEMENTS;
    // exactly the largest array passes the element check and fails on the missing data
    String m = refused(file("{" + f32("a", "[" + max + "]", 0, 4 * max) + "}", new byte[0]));
    assertTrue(m.contains("run past the end"), m);
    m = refused(file("{" + f32("a", "[" + (max + 1) + "]", 0, 4) + "}", new byte[0]));
    assertTrue(m.contains("entry 'a' of shape [" + (max + 1) + "] has more elements"), m);
    m = refused(file("{" + f32("a", "[65536,65536]", 0, 4) + "}", new byte[0]));
    assertTrue(m.contains("has more elements than one array holds"), m);
    // a dim of 2³¹ − 1 is a valid number, and too many elements
    m = refused(file("{" + f32("a", "[2147483647]", 0, 4) + "}", new byte[0]));
    assertTrue(m.contains("has more elements"), m);
    m = refused(file("{" + f32("a", "[2147483648]", 0, 4) + "}", new byte[0]));
    assertTrue(m.contains("invalid shape value 2147483648"), m);
    m = refused(file("{" + f32("a", "[-1]", 0, 4) + "}", new byte[0]));
    assertTrue(m.contains("invalid shape value -1"), m);
    // 32 dims of 1 hold one element; 33 are refused
    String ones32 = "[" + "1,".repeat(31) + "1]";
    NDArray one = Safetensors.read(file("{" + f32("a", ones32, 0, 4) + "}", floats(7))).get("a");
    assertEquals(32, one.shape().length);
    assertEquals(7, one.item());
    m = refused(file("{" + f32("a", "[" + "1,".repeat(32) + "1]", 0, 4) + "}", floats(7)));
    assertTrue(m.contains("more than 32 dims"), m);
  }

  @Test
  void zeroSizeTensorsAndOffsetsOutOfOrderAreRead() throws IOException {
    // the header lists b (bytes 4..12) before a (bytes 0..4), and an empty tensor e
    String header =
        "{"
            + f32("b", "[2]", 4, 12)
            + ","
            + f32("e", "[0,3]", 12, 12)
            + ","
            + f32("a", "[1]", 0, 4)
            + "}";
    Map<String, NDArray> read = Safetensors.read(file(header, floats(1, 2, 3)));
    assertEquals(List.of("b", "e", "a"), List.copyOf(read.keySet()));
    assertArrayEquals(new float[] {2, 3}, read.get("b").toFloatArray());
    assertArrayEquals(new float[] {1}, read.get("a").toFloatArray());
    assertArrayEquals(new int[] {0, 3}, read.get("e").shape());
  }

  @Test
  void dataOffsetsNeedTwoValues() throws IOException {
    for (String offsets : new String[] {"[0]", "[0,4,4]", "[]"}) {
      String h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":" + offsets + "}}";
      String m = refused(file(h, floats(1)));
      assertTrue(m.contains("entry 'a' needs 2 data_offsets"), m);
    }
  }

  @Test
  void aRangeOfTheWrongSizeIsNamedWithItsOwnLength() throws IOException {
    // b of shape [2] needs 8 bytes; its range [4, 8] holds 4
    String h = "{" + f32("a", "[1]", 0, 4) + "," + f32("b", "[2]", 4, 8) + "}";
    String m = refused(file(h, floats(1, 2)));
    assertTrue(m.contains("'b' of dtype F32 and shape [2] needs 8 bytes"), m);
    assertTrue(m.contains("data_offsets [4, 8] hold 4"), m);
  }

  static byte[] longs(long... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long x : v) {
      b.putLong(x);
    }
    return b.array();
  }

  @Test
  void int64DataIsReadInChunksAndAValueBeyondInt32IsNamedByItsElement() throws IOException {
    long[] values = {5, -6, Integer.MAX_VALUE, Integer.MIN_VALUE, 0, 42, -1};
    String header = "{\"c\":{\"dtype\":\"I64\",\"shape\":[7],\"data_offsets\":[0,56]}}";
    Path p = file(header, longs(values));
    for (int chunk : new int[] {8, 16, 24, 1 << 20}) {
      NDArray c = Safetensors.read(p, Set.of("c"), chunk).get("c");
      assertEquals(DType.INT32, c.dtype());
      assertArrayEquals(
          new int[] {5, -6, Integer.MAX_VALUE, Integer.MIN_VALUE, 0, 42, -1},
          c.toIntArray(),
          "chunk " + chunk);
    }
    long[] tooBig = {1, 2, 3, 4, 1L << 31, 6};
    Path q =
        file("{\"c\":{\"dtype\":\"I64\",\"shape\":[6],\"data_offsets\":[0,48]}}", longs(tooBig));
    for (int chunk : new int[] {16, 24}) {
      String m =
          assertThrows(SafetensorsException.class, () -> Safetensors.read(q, null, chunk))
              .getMessage();
      assertTrue(m.contains("I64 value 2147483648 at element 4, which does not fit INT32"), m);
    }
  }

  @Test
  void namesMissingFromAFileAreListed() throws IOException {
    Path p = file("{" + f32("a", "[1]", 0, 4) + "}", floats(1));
    String m =
        assertThrows(
                IllegalArgumentException.class, () -> Safetensors.read(p, Set.of("x", "a", "y")))
            .getMessage();
    assertTrue(m.contains("holds no tensor named 'x', 'y' (it holds 1 tensors)"), m);
    assertEquals(List.of("a"), List.copyOf(Safetensors.read(p, Set.of("a")).keySet()));
  }

  @Test
  void metadataIsReadWhenItIsAnObjectOfStrings() throws IOException {
    Path p =
        file(
            "{\"__metadata__\":{\"format\":\"pt\",\"n\":3}," + f32("a", "[1]", 0, 4) + "}",
            floats(1));
    assertEquals(Map.of("format", "pt"), Safetensors.readMetadata(p));
    Path q = file("{\"__metadata__\":[\"x\"]," + f32("a", "[1]", 0, 4) + "}", floats(1));
    assertEquals(Map.of(), Safetensors.readMetadata(q));
  }

  static long headerLength(Path p) throws IOException {
    byte[] bytes = Files.readAllBytes(p);
    return ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  @Test
  void writtenHeadersAreAlignedToEightBytesAndSmallChunksRoundTrip() throws IOException {
    // names of 1 to 9 characters move the header's raw length through every residue mod 8
    for (int len = 1; len <= 9; len++) {
      Map<String, NDArray> state = new LinkedHashMap<>();
      double[] v = {1.5, -2, 3.25, 4, 5, 6, 7};
      state.put("w".repeat(len), NDArray.fromArray(v, 7));
      state.put("i", NDArray.fromArray(new int[] {1, 2, 3}, 3));
      Path p = dir.resolve("aligned" + len + ".safetensors");
      Safetensors.write(p, state, Map.of(), 12); // 12 bytes: one double or three ints a write
      long h = headerLength(p);
      assertEquals(0, h % 8, "header of " + h + " bytes");
      assertEquals(8 + h + 7 * 8 + 3 * 4, Files.size(p));
      Map<String, NDArray> back = Safetensors.read(p);
      assertArrayEquals(v, back.get("w".repeat(len)).toDoubleArray());
      assertArrayEquals(new int[] {1, 2, 3}, back.get("i").toIntArray());
    }
  }

  @Test
  void writingRefusesTooManyTensorsAndTooLongKeys() throws IOException {
    NDArray scalar = NDArray.fromArray(new float[] {1}, 1);
    Map<String, NDArray> many = new HashMap<>();
    for (int i = 0; i <= Safetensors.MAX_TENSORS; i++) {
      many.put("t" + i, scalar);
    }
    Path p = dir.resolve("many.safetensors");
    String m =
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(p, many)).getMessage();
    assertTrue(m.contains((Safetensors.MAX_TENSORS + 1) + " tensors, more than"), m);
    assertTrue(Files.notExists(p));
    // a key of exactly MAX_KEY_LENGTH characters is written and read back; one more is refused
    String longest = "k".repeat(Safetensors.MAX_KEY_LENGTH);
    Safetensors.write(p, Map.of(longest, scalar));
    assertEquals(Set.of(longest), Safetensors.keys(p));
    String tooLong = longest + "k";
    m =
        assertThrows(
                IllegalArgumentException.class, () -> Safetensors.write(p, Map.of(tooLong, scalar)))
            .getMessage();
    assertTrue(m.contains("a tensor name of 1025 characters"), m);
  }
}
