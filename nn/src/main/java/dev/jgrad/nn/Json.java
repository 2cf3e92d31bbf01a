package dev.jgrad.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader and writer for safetensors headers: objects (as LinkedHashMap), arrays
 * (List), strings, integers that fit a long (Long), other numbers (Double), booleans and null.
 *
 * <p>Hand-written on purpose, so that {@code nn} needs nothing beyond the JDK. It reads the text
 * once from left to right, each character a constant number of times (no regular expression, no
 * backtracking), so time and allocation are linear in the header's size; the caller bounds the
 * members of any object or array and the length of keys, which bounds the tree it builds.
 */
final class Json {
  private static final int MAX_DEPTH = 64;

  /** Keys and values every safetensors header repeats: returned shared, not copied per entry. */
  private static final String[] COMMON = {
    "dtype",
    "shape",
    "data_offsets",
    "__metadata__",
    "format",
    "pt",
    "F32",
    "F64",
    "I32",
    "I64",
    "F16",
    "BF16",
    "I8",
    "U8",
    "BOOL"
  };

  private final String s;
  private final int maxMembers;
  private final String membersLimit;
  private final int maxKeyLength;
  private final String keyLimit;
  private int pos;

  private Json(String s, int maxMembers, String membersLimit, int maxKeyLength, String keyLimit) {
    this.s = s;
    this.maxMembers = maxMembers;
    this.membersLimit = membersLimit;
    this.maxKeyLength = maxKeyLength;
    this.keyLimit = keyLimit;
  }

  /** Parses a complete JSON text, with no bound but the text's length. */
  static Object parse(String text) throws SafetensorsException {
    return parse(text, Integer.MAX_VALUE, "", Integer.MAX_VALUE, "");
  }

  /**
   * Parses a complete JSON text whose objects and arrays hold at most {@code maxMembers} members
   * and whose keys have at most {@code maxKeyLength} characters; an error names the limit it breaks
   * by the given names (e.g. {@code "Safetensors.MAX_TENSORS"}).
   */
  static Object parse(
      String text, int maxMembers, String membersLimit, int maxKeyLength, String keyLimit)
      throws SafetensorsException {
    Json p = new Json(text, maxMembers, membersLimit, maxKeyLength, keyLimit);
    p.skipSpace();
    Object value = p.value(0);
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("unexpected text after the JSON value");
    }
    return value;
  }

  private SafetensorsException error(String what) {
    return new SafetensorsException("header JSON: " + what + " at character " + pos);
  }

  private void skipSpace() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        return;
      }
      pos++;
    }
  }

  private char peek() throws SafetensorsException {
    if (pos >= s.length()) {
      throw error("unexpected end");
    }
    return s.charAt(pos);
  }

  private void expect(char c) throws SafetensorsException {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private Object value(int depth) throws SafetensorsException {
    if (depth > MAX_DEPTH) {
      throw error("nesting too deep");
    }
    char c = peek();
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        return number();
    }
  }

  private Object literal(String word, Object value) throws SafetensorsException {
    if (!s.startsWith(word, pos)) {
      throw error("unexpected character");
    }
    pos += word.length();
    return value;
  }

  private void count(int members) throws SafetensorsException {
    if (members > maxMembers) {
      throw error(
          "more than " + maxMembers + " members in one object or array (" + membersLimit + ")");
    }
  }

  private Map<String, Object> object(int depth) throws SafetensorsException {
    expect('{');
    Map<String, Object> map = new LinkedHashMap<>(4);
    skipSpace();
    if (peek() == '}') {
      pos++;
      return map;
    }
    while (true) {
      skipSpace();
      int start = pos;
      String key = string();
      if (key.length() > maxKeyLength) {
        pos = start;
        throw error(
            "a key of "
                + key.length()
                + " characters, more than "
                + maxKeyLength
                + " ("
                + keyLimit
                + ")");
      }
      skipSpace();
      expect(':');
      skipSpace();
      if (map.containsKey(key)) {
        throw error("duplicate key \"" + key + "\"");
      }
      count(map.size() + 1);
      map.put(key, value(depth + 1));
      skipSpace();
      if (peek() == ',') {
        pos++;
        continue;
      }
      expect('}');
      return map;
    }
  }

  private List<Object> array(int depth) throws SafetensorsException {
    expect('[');
    List<Object> list = new ArrayList<>(4);
    skipSpace();
    if (peek() == ']') {
      pos++;
      return list;
    }
    while (true) {
      skipSpace();
      count(list.size() + 1);
      list.add(value(depth + 1));
      skipSpace();
      if (peek() == ',') {
        pos++;
        continue;
      }
      expect(']');
      return list;
    }
  }

  private String string() throws SafetensorsException {
    expect('"');
    // Fast path: no escape before the closing quote, so the string is a slice of the text.
    int start = pos;
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == '"') {
        pos++;
        return slice(start, pos - 1);
      }
      if (c == '\\') {
        break;
      }
      if (c < 0x20) {
        throw error("control character in a string");
      }
      pos++;
    }
    StringBuilder sb = new StringBuilder(pos - start + 16).append(s, start, pos);
    while (true) {
      char c = peek();
      pos++;
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("control character in a string");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = peek();
      pos++;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          sb.append(e);
          break;
        case 'b':
          sb.append('\b');
          break;
        case 'f':
          sb.append('\f');
          break;
        case 'n':
          sb.append('\n');
          break;
        case 'r':
          sb.append('\r');
          break;
        case 't':
          sb.append('\t');
          break;
        case 'u':
          sb.append(hex4());
          break;
        default:
          throw error("bad escape");
      }
    }
  }

  /** The four hex digits of a {@code \\u} escape, as the UTF-16 unit they name. */
  private char hex4() throws SafetensorsException {
    if (pos + 4 > s.length()) {
      throw error("short \\u escape");
    }
    int unit = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(s.charAt(pos + i), 16);
      if (d < 0 || s.charAt(pos + i) > 'f') { // Character.digit also takes non-ASCII digits
        throw error("bad \\u escape");
      }
      unit = unit * 16 + d;
    }
    pos += 4;
    return (char) unit;
  }

  /** {@code s[from, to)}: a shared constant when it is one of {@link #COMMON}. */
  private String slice(int from, int to) {
    int length = to - from;
    if (length <= 12) {
      for (String c : COMMON) {
        if (c.length() == length && s.startsWith(c, from)) {
          return c;
        }
      }
    }
    return s.substring(from, to);
  }

  /**
   * A number by JSON's grammar, {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}: a Long when
   * it is an integer that fits, accumulated digit by digit (negatively, so that Long.MIN_VALUE
   * fits); otherwise a Double.
   */
  private Object number() throws SafetensorsException {
    if ("+-0123456789.".indexOf(peek()) < 0) {
      throw error("unexpected character");
    }
    int start = pos;
    boolean negative = pos < s.length() && s.charAt(pos) == '-';
    if (negative) {
      pos++;
    }
    int intStart = pos;
    long value = 0; // minus the integer read so far
    boolean fits = true;
    while (pos < s.length() && isDigit(s.charAt(pos))) {
      int d = s.charAt(pos) - '0';
      if (value < (Long.MIN_VALUE + d) / 10) {
        fits = false;
      } else {
        value = value * 10 - d;
      }
      pos++;
    }
    int intDigits = pos - intStart;
    boolean integer = true;
    boolean ok = intDigits > 0 && (intDigits == 1 || s.charAt(intStart) != '0');
    if (ok && pos < s.length() && s.charAt(pos) == '.') {
      integer = false;
      pos++;
      ok = digits() > 0;
    }
    if (ok && pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
      integer = false;
      pos++;
      if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
        pos++;
      }
      ok = digits() > 0;
    }
    // A number runs on to the next delimiter; anything else glued to it makes it bad.
    while (pos < s.length() && "+-0123456789.eExX".indexOf(s.charAt(pos)) >= 0) {
      ok = false;
      pos++;
    }
    if (!ok) {
      int end = pos;
      pos = start;
      throw error("bad number '" + s.substring(start, Math.min(end, start + 40)) + "'");
    }
    if (integer && fits && (negative || value != Long.MIN_VALUE)) {
      return negative ? value : -value;
    }
    return Double.parseDouble(s.substring(start, pos));
  }

  private int digits() {
    int start = pos;
    while (pos < s.length() && isDigit(s.charAt(pos))) {
      pos++;
    }
    return pos - start;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** A JSON string literal. */
  static String quote(String v) {
    StringBuilder sb = new StringBuilder(v.length() + 2).append('"');
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
