package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@link Json}, the strict reader and the string quoting that safetensors headers use. */
class JsonTest {

  @Test
  void aSafetensorsHeaderParsesToMapsListsAndNumbers() throws SafetensorsException {
    Object v =
        Json.parse(
            " {\"w\": {\"dtype\": \"F32\", \"shape\": [2, 3], \"data_offsets\": [0, 24]},\n"
                + "  \"__metadata__\": {\"format\": \"pt\"}, \"x\": [true, false, null, -1.5e3]} ");
    Map<?, ?> top = (Map<?, ?>) v;
    assertEquals(List.of("w", "__metadata__", "x"), List.copyOf(top.keySet()), "order kept");
    Map<?, ?> w = (Map<?, ?>) top.get("w");
    assertEquals("F32", w.get("dtype"));
    assertEquals(List.of(2L, 3L), w.get("shape"), "integers are Longs");
    assertEquals(Arrays.asList(true, false, null, -1500.0), top.get("x"), "others Doubles");
    assertEquals(Map.of(), Json.parse("{}"));
    assertEquals(List.of(), Json.parse("[ ]"));
    assertNull(Json.parse("null"));
    assertEquals(12345678901234L, Json.parse("12345678901234"));
    assertEquals(1.0e19, Json.parse("10000000000000000000"), "more than 18 digits: a Double");
  }

  @Test
  void escapesAreDecoded() throws SafetensorsException {
    assertEquals("a\"b\\c/d\b\f\n\r\té", Json.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\""));
  }

  static String error(String text) {
    SafetensorsException e = assertThrows(SafetensorsException.class, () -> Json.parse(text));
    assertTrue(e.getMessage().startsWith("header JSON: "), e.getMessage());
    assertTrue(e.getMessage().contains(" at character "), e.getMessage());
    return e.getMessage();
  }

  @Test
  void malformedTextIsRefusedWithThePosition() {
    assertTrue(error("{} x").contains("after the JSON value at character 3"));
    assertTrue(error("{\"a\": 1, \"a\": 2}").contains("duplicate key \"a\""));
    assertTrue(error("[1, 2").contains("unexpected end"));
    assertTrue(error("{\"a\" 1}").contains("expected ':'"));
    assertTrue(error("\"tab\there\"").contains("control character"));
    assertTrue(error("\"\\x\"").contains("bad escape"));
    assertTrue(error("\"\\u12\"").contains("\\u escape"));
    assertTrue(error("tru").contains("unexpected character"));
    assertTrue(error("1.2.3").contains("bad number '1.2.3'"));
    assertTrue(error("[".repeat(100) + "]".repeat(100)).contains("nesting too deep"));
    error("");
    error("{,}");
  }

  @Property(tries = 200)
  void quotedStringsParseBackToThemselves(@ForAll String s) throws SafetensorsException {
    String quoted = Json.quote(s);
    assertTrue(quoted.startsWith("\"") && quoted.endsWith("\""), quoted);
    assertTrue(quoted.chars().skip(1).limit(quoted.length() - 2L).noneMatch(c -> c < 0x20));
    assertEquals(s, Json.parse(quoted));
  }

  @Test
  void integersUpToTheLongRangeAreLongsAndOthersDoubles() throws SafetensorsException {
    assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
    assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
    assertEquals(9.223372036854775808e18, Json.parse("9223372036854775808"));
    assertEquals(-0.0, Json.parse("-0.0"));
    assertEquals(0L, Json.parse("-0"));
    assertEquals(1.25e-3, Json.parse("125E-5"));
    assertEquals(List.of(1L, 20L, 300L), Json.parse("[1,20,300]"));
  }

  @Test
  void numbersFollowTheJsonGrammar() {
    for (String n :
        List.of("01", "-", "1.", ".5", "+1", "1e", "1e+", "--1", "1.2.3", "0x10", "1-2")) {
      assertTrue(error(n).contains("bad number '"), n + ": " + error(n));
    }
  }

  @Test
  void membersAndKeyLengthAreBounded() throws SafetensorsException {
    assertEquals(List.of(1L, 2L), Json.parse("[1, 2]", 2, "LIMIT_A", 10, "LIMIT_B"));
    String e = errorWithin("[1, 2, 3]", 2, 10);
    assertTrue(e.contains("more than 2 members") && e.contains("LIMIT_A"), e);
    e = errorWithin("{\"a\": 1, \"b\": 2, \"c\": 3}", 2, 10);
    assertTrue(e.contains("more than 2 members") && e.contains("LIMIT_A"), e);
    assertEquals(
        Map.of("abcdefghij", "a longer value than ten"),
        Json.parse("{\"abcdefghij\": \"a longer value than ten\"}", 2, "LIMIT_A", 10, "LIMIT_B"));
    e = errorWithin("{\"abcdefghijk\": 1}", 2, 10);
    assertTrue(e.contains("key of 11 characters, more than 10") && e.contains("LIMIT_B"), e);
  }

  static String errorWithin(String text, int members, int keyLength) {
    SafetensorsException e =
        assertThrows(
            SafetensorsException.class,
            () -> Json.parse(text, members, "LIMIT_A", keyLength, "LIMIT_B"));
    assertTrue(e.getMessage().startsWith("header JSON: "), e.getMessage());
    return e.getMessage();
  }

  /** A tensor entry as the generator draws it, and as a header writes it. */
  record Drawn(String name, String dtype, List<Long> shape, List<Long> offsets) {}

  @Provide
  Arbitrary<List<Drawn>> entries() {
    Arbitrary<String> names = Arbitraries.strings().ofMinLength(0).ofMaxLength(12);
    Arbitrary<String> dtypes = Arbitraries.of("F32", "F64", "I32", "I64", "BF16", "");
    Arbitrary<Long> longs =
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, 1000),
            Arbitraries.longs().between(0, Long.MAX_VALUE),
            Arbitraries.longs(),
            Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L));
    return Combinators.combine(
            names, dtypes, longs.list().ofMaxSize(5), longs.list().ofMinSize(2).ofMaxSize(2))
        .as(Drawn::new)
        .list()
        .uniqueElements(Drawn::name)
        .ofMaxSize(30);
  }

  /** A string literal escaping every character outside printable ASCII, as {@code \\uXXXX}. */
  static String escape(String v, java.util.Random r) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : v.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e || r.nextInt(8) == 0) {
        sb.append(String.format(r.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  static String space(java.util.Random r) {
    return List.of("", "", " ", "\n", "\t ", "\r\n  ").get(r.nextInt(6));
  }

  @Property(tries = 60)
  void generatedHeadersParseToTheDataTheyWereWrittenFrom(
      @ForAll("entries") List<Drawn> drawn, @ForAll long seed) throws SafetensorsException {
    java.util.Random r = new java.util.Random(seed);
    Map<String, Object> expected = new java.util.LinkedHashMap<>();
    StringBuilder text = new StringBuilder(space(r)).append('{');
    for (Drawn d : drawn) {
      Map<String, Object> info = new java.util.LinkedHashMap<>();
      info.put("dtype", d.dtype());
      info.put("shape", d.shape());
      info.put("data_offsets", d.offsets());
      expected.put(d.name(), info);
      text.append(text.charAt(text.length() - 1) == '{' ? "" : ",").append(space(r));
      text.append(escape(d.name(), r)).append(space(r)).append(':').append(space(r));
      text.append("{\"dtype\":").append(escape(d.dtype(), r)).append(",\"shape\":[");
      for (int i = 0; i < d.shape().size(); i++) {
        text.append(i == 0 ? "" : ",").append(space(r)).append(d.shape().get(i));
      }
      text.append("],").append(space(r)).append("\"data_offsets\":[");
      text.append(d.offsets().get(0)).append(',').append(d.offsets().get(1)).append("]}");
    }
    text.append(space(r)).append('}').append(space(r));
    assertEquals(expected, Json.parse(text.toString()));
    assertEquals(
        List.copyOf(expected.keySet()),
        List.copyOf(((Map<?, ?>) Json.parse(text.toString())).keySet()),
        "key order");
  }
}
