package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Fuzzing {@link Safetensors} and {@link Module#load} (issue #14): files mutated from valid ones
 * (truncated, bits flipped, the header length lying, numbers of the header replaced by hostile
 * ones: negative, past the end, reversed, beyond int and long, dims whose product overflows; dtypes
 * replaced, characters deleted or inserted, keys duplicated, bytes appended). Every outcome must be
 * a read, or a {@link SafetensorsException} whose message names the file and one of the known
 * problems, or (for a file that reads but does not fit the model) loadStateDict's
 * IllegalArgumentException; never another exception, and the model is unchanged after every failed
 * load. The outcomes are counted and printed once; the seed is fixed so that the counts quoted in
 * the README are reproducible (the first run after a failure differs by the failing sample, which
 * jqwik replays first).
 */
class SafetensorsFuzzProperties {
  /** Mutations per run: the issue asks for at least 10,000. */
  static final int TRIES = 10_000;

  /** Each refusal's kind, recognised by the words its message uses. */
  static final String[][] KINDS = {
    {"fewer than the 8-byte header length", "file shorter than 8 bytes"},
    {"Safetensors.MAX_", "a bound exceeded"},
    {"header length", "header length does not fit"},
    {"not valid UTF-8", "header not UTF-8"},
    {"header JSON", "header not JSON"},
    {"not a JSON object", "header not an object"},
    {"is not an object", "entry not an object"},
    {"unsupported dtype", "unsupported dtype"},
    {"has no shape array", "shape or offsets missing"},
    {"has no data_offsets array", "shape or offsets missing"},
    {"needs 2 data_offsets", "shape or offsets missing"},
    {"more than 32 dims", "too many dims"},
    {"has an invalid", "negative or too large number"},
    {"more elements than one array holds", "too many elements"},
    {"reversed data_offsets", "reversed offsets"},
    {"run past the end", "offsets past the end"},
    {"bytes, but its data_offsets", "size does not match dtype and shape"},
    {"overlaps", "overlapping entries"},
    {"belong to no entry", "gap (missing tensor)"},
    {"which does not fit INT32", "I64 value beyond INT32"},
    {"unexpected end of file", "file truncated"},
  };

  static final Map<String, Integer> OUTCOMES = new TreeMap<>();

  private final Path dir;
  private final Path file;
  private final List<byte[]> bases = new ArrayList<>();

  SafetensorsFuzzProperties() throws IOException {
    dir = Files.createTempDirectory("jgrad-fuzz");
    file = dir.resolve("fuzz.safetensors");
    SafetensorsProperties.model(1, 4).save(file);
    bases.add(Files.readAllBytes(file)); // a model's state: loads into model(2, 4)
    bases.add(handWritten()); // every dtype, a scalar, an empty tensor, metadata
  }

  @AfterProperty
  void cleanUp() throws IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @AfterContainer
  static void printOutcomes() {
    int total = OUTCOMES.values().stream().mapToInt(Integer::intValue).sum();
    System.out.println("safetensors fuzzing, " + total + " mutated files: " + OUTCOMES);
  }

  /** F32, F64, I32 and I64 (narrowed) tensors, a 0-d and an empty one, with metadata. */
  static byte[] handWritten() {
    String header =
        "{\"__metadata__\":{\"format\":\"pt\",\"note\":\"fuzz\"},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
            + "\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[16,24]},"
            + "\"c\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[24,40]},"
            + "\"d\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[40,44]},"
            + "\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[44,44]}}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + 44).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    b.putFloat(1f).putFloat(-2f).putFloat(0.5f).putFloat(3f).putDouble(Math.PI);
    b.putLong(7).putLong(-9).putInt(42);
    return b.array();
  }

  static final String[] HOSTILE_NUMBERS = {
    "-1",
    "0",
    "1",
    "3",
    "-0",
    "1.5",
    "1e3",
    "2147483647",
    "2147483648",
    "4294967300",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "99999999999999999999999",
    "1e400",
    "007",
    "\"4\"",
    "null",
    "[]",
  };

  static final String[] HOSTILE_VALUES = {
    "\"BF16\"",
    "\"F16\"",
    "\"I64\"",
    "\"F64\"",
    "\"\"",
    "7",
    "{}",
    "[2147483647,2147483647,2147483647]",
    "[65536,65536,65536,65536]",
    "[-3]",
    "[0,2147483647,2147483647]",
    "[" + "1,".repeat(40) + "1]",
    "[0]",
  };

  /** The file's header (as text) and data, split at the header length it declares. */
  record Parts(String header, byte[] data) {
    static Parts of(byte[] file) {
      int h = (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
      return new Parts(
          new String(file, 8, h, StandardCharsets.UTF_8),
          Arrays.copyOfRange(file, 8 + h, file.length));
    }

    byte[] join() {
      byte[] h = header.getBytes(StandardCharsets.UTF_8);
      ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
      return b.putLong(h.length).put(h).put(data).array();
    }
  }

  /** Replaces the {@code k}-th (mod count) match of {@code pattern} in the header. */
  static String replaceMatch(String header, Pattern pattern, int k, String by) {
    List<int[]> spans = new ArrayList<>();
    Matcher m = pattern.matcher(header);
    while (m.find()) {
      spans.add(new int[] {m.start(), m.end()});
    }
    if (spans.isEmpty()) {
      return header;
    }
    int[] s = spans.get(Math.floorMod(k, spans.size()));
    return header.substring(0, s[0]) + by + header.substring(s[1]);
  }

  static final Pattern NUMBER = Pattern.compile("-?\\d+");
  static final Pattern VALUE = Pattern.compile("\"[A-Z0-9]+\"|\\[[0-9,]*\\]");
  static final Pattern KEY = Pattern.compile("\"[a-z0-9._]+\":\\{");

  /**
   * One mutation of {@code base}, chosen and shaped by {@code r}; its kind goes in {@code kind}.
   */
  static byte[] mutate(byte[] base, Random r, String[] kind) {
    byte[] out = base.clone();
    Parts parts = Parts.of(base);
    switch (r.nextInt(10)) {
      case 0 -> {
        kind[0] = "truncated";
        return Arrays.copyOf(base, r.nextInt(base.length));
      }
      case 1 -> {
        kind[0] = "bits flipped";
        for (int i = 1 + r.nextInt(4); i > 0; i--) {
          out[r.nextInt(out.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return out;
      }
      case 2 -> {
        kind[0] = "header bits flipped";
        int headerEnd = 8 + parts.header.getBytes(StandardCharsets.UTF_8).length;
        out[8 + r.nextInt(headerEnd - 8)] ^= (byte) (1 << r.nextInt(8));
        return out;
      }
      case 3 -> {
        kind[0] = "header length lies";
        long truth = ByteBuffer.wrap(base).order(ByteOrder.LITTLE_ENDIAN).getLong();
        long[] lies = {truth + r.nextInt(9) - 4, r.nextLong(), -truth, 0, 1, Long.MIN_VALUE};
        long lie = lies[r.nextInt(lies.length)];
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, lie);
        return out;
      }
      case 4, 5 -> {
        kind[0] = "hostile number";
        String by = HOSTILE_NUMBERS[r.nextInt(HOSTILE_NUMBERS.length)];
        return new Parts(replaceMatch(parts.header, NUMBER, r.nextInt(64), by), parts.data).join();
      }
      case 6 -> {
        kind[0] = "hostile dtype or shape";
        String by = HOSTILE_VALUES[r.nextInt(HOSTILE_VALUES.length)];
        return new Parts(replaceMatch(parts.header, VALUE, r.nextInt(64), by), parts.data).join();
      }
      case 7 -> {
        kind[0] = "header character deleted or inserted";
        StringBuilder h = new StringBuilder(parts.header);
        int at = r.nextInt(h.length());
        if (r.nextBoolean()) {
          h.deleteCharAt(at);
        } else {
          String glyphs = "{}[]\",:-09 \\\u00e9\u0000";
          h.insert(at, glyphs.charAt(r.nextInt(glyphs.length())));
        }
        return new Parts(h.toString(), parts.data).join();
      }
      case 8 -> {
        kind[0] = "key renamed or duplicated";
        Matcher m = KEY.matcher(parts.header);
        List<String> keys = new ArrayList<>();
        while (m.find()) {
          keys.add(m.group());
        }
        String by = r.nextBoolean() ? keys.get(r.nextInt(keys.size())) : "\"x\":{";
        return new Parts(replaceMatch(parts.header, KEY, r.nextInt(64), by), parts.data).join();
      }
      default -> {
        kind[0] = "data appended or cut";
        int change = r.nextInt(17) - 8;
        return Arrays.copyOf(base, Math.max(8, base.length + change));
      }
    }
  }

  static synchronized void count(String outcome) {
    OUTCOMES.merge(outcome, 1, Integer::sum);
  }

  static String kindOf(String message) {
    for (String[] k : KINDS) {
      if (message.contains(k[0])) {
        return k[1];
      }
    }
    return null;
  }

  @Property(tries = TRIES, seed = "14")
  void mutatedFilesAreReadOrRefusedByNameAndNeverChangeTheModel(
      @ForAll long seed, @ForAll boolean modelFile) throws IOException {
    Random r = new Random(seed);
    String[] mutation = {""};
    byte[] bytes = mutate(bases.get(modelFile ? 0 : 1), r, mutation);
    Files.write(file, bytes);
    String outcome;
    try {
      Safetensors.read(file);
      outcome = "read";
    } catch (SafetensorsException e) {
      String kind = kindOf(e.getMessage());
      assertTrue(
          kind != null && e.getMessage().startsWith(file + ": not a valid safetensors file: "),
          mutation[0] + ": a message naming no known problem: " + e.getMessage());
      outcome = "refused: " + kind;
    } catch (RuntimeException | Error e) {
      throw new AssertionError(mutation[0] + ": undocumented " + e, e);
    }
    if (modelFile) {
      Sequential target = SafetensorsProperties.model(2, 4);
      Map<String, float[]> before = SafetensorsProperties.snapshot(target);
      try {
        target.load(file);
        assertTrue(outcome.equals("read"), "loaded a file read refused: " + outcome);
      } catch (SafetensorsException e) {
        assertTrue(outcome.startsWith("refused"), "load refused a file read read: " + e);
        SafetensorsProperties.assertSameState(before, target);
      } catch (IllegalArgumentException e) {
        assertTrue(e.getMessage().startsWith("loadStateDict: "), e.getMessage());
        SafetensorsProperties.assertSameState(before, target);
        outcome = "read, refused by the model";
      } catch (RuntimeException | Error e) {
        fail(mutation[0] + ": undocumented exception from load: " + e);
      }
    }
    count(outcome);
  }
}
