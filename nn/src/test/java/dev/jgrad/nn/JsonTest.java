package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
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
}
