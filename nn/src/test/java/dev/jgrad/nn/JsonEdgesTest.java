package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Json} on strings that end too soon (issue #14, mutation testing): an unterminated string
 * is a {@link SafetensorsException}, whether it ends on the fast path (no escape yet) or after an
 * escape, never an index error; and a string that ends exactly at the closing quote parses.
 */
class JsonEdgesTest {

  @Test
  void anUnterminatedStringIsAFormatError() throws SafetensorsException {
    for (String text : new String[] {"\"abc", "[\"abc", "\"", "\"a\\nb", "{\"k\":\"v"}) {
      assertThrows(SafetensorsException.class, () -> Json.parse(text), text);
    }
    assertEquals("abc", Json.parse("\"abc\""));
    assertEquals(List.of("a\nb"), Json.parse("[\"a\\nb\"]"));
  }
}
