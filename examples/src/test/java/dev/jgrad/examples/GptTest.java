package dev.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GptTest {
  private static final Gpt.Config TINY = new Gpt.Config(11, 8, 2, 2, 16);

  @Test
  void namesItsParametersLikePyTorch() {
    Gpt gpt = new Gpt(TINY, new Generator(0));
    Set<String> names = gpt.namedParameters().keySet();
    for (String n :
        List.of(
            "tok_emb.weight",
            "pos_emb.weight",
            "blocks.0.self_attn.in_proj_weight",
            "blocks.0.self_attn.out_proj.weight",
            "blocks.1.linear1.weight",
            "blocks.1.linear2.bias",
            "blocks.1.norm2.weight",
            "ln_f.weight",
            "ln_f.bias",
            "head.weight")) {
      assertTrue(names.contains(n), n + " in " + names);
    }
    assertArrayEquals(
        new int[] {64, 16}, gpt.namedParameters().get("blocks.0.linear1.weight").shape());
    // 11·16 + 8·16 + 2·(3·16·16 + 3·16 + 16·16 + 16 + 64·16 + 64 + 16·64 + 16 + 4·16) + 2·16 +
    // 16·11
    long perBlock = 3 * 16 * 16 + 3 * 16 + 16 * 16 + 16 + 64 * 16 + 64 + 16 * 64 + 16 + 4 * 16;
    assertEquals(11 * 16 + 8 * 16 + 2 * perBlock + 2 * 16 + 16 * 11, gpt.parameterCount());
  }

  @Test
  void isCausalTheLogitsAtAPositionIgnoreLaterTokens() {
    Gpt gpt = new Gpt(TINY, new Generator(1));
    Tensor a = gpt.forward(Tensor.ofInts(1, 2, 3, 4, 5).view(1, 5));
    Tensor b = gpt.forward(Tensor.ofInts(1, 2, 3, 9, 0).view(1, 5));
    assertArrayEquals(new int[] {1, 5, 11}, a.shape());
    for (int t = 0; t < 3; t++) {
      for (int v = 0; v < 11; v++) {
        assertEquals(a.data().getDouble(0, t, v), b.data().getDouble(0, t, v), 1e-6);
      }
    }
    assertTrue(
        Math.abs(a.data().getDouble(0, 3, 0) - b.data().getDouble(0, 3, 0)) > 1e-6,
        "position 3 sees its own token");
  }

  @Test
  void refusesLongSequencesAndOutOfRangeIds() {
    Gpt gpt = new Gpt(TINY, new Generator(2));
    IllegalArgumentException tooLong =
        assertThrows(
            IllegalArgumentException.class,
            () -> gpt.forward(Tensor.ofInts(new int[9]).view(1, 9)));
    assertTrue(tooLong.getMessage().contains("block size 8"), tooLong.getMessage());
    IllegalArgumentException outOfRange =
        assertThrows(
            IllegalArgumentException.class, () -> gpt.forward(Tensor.ofInts(1, 11).view(1, 2)));
    assertTrue(outOfRange.getMessage().contains("token id 11"), outOfRange.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> gpt.forward(Tensor.ofInts(1, -1).view(1, 2)));
    assertThrows(IllegalArgumentException.class, () -> gpt.forward(Tensor.ofInts(1, 2)));
    assertThrows(IllegalArgumentException.class, () -> new Gpt.Config(11, 8, 2, 3, 16));
    assertThrows(
        IllegalArgumentException.class,
        () -> gpt.generate(new int[] {1}, 5, 0.0, 0, new Generator(0)));
  }

  @Test
  void learnsARepeatingTextAndSamplesItsCharacters() throws Exception {
    String text = "abcdefg hijk. ".repeat(200);
    var o = new GptExample.Options(new Gpt.Config(99, 16, 1, 2, 32), 8, 60, 30, 2, 3e-3, 40, 3);
    // the sample prompt "ROMEO:\n" needs its characters in the vocabulary
    text = "ROMEO:\n" + text;
    StringWriter sw = new StringWriter();
    GptExample.Result r = GptExample.run(new PrintWriter(sw), text, o, null, null);
    assertTrue(r.trainLoss() < 1.0, "ln(vocab) ~ 2.9 at the start, got " + r.trainLoss() + sw);
    assertTrue(r.valLoss() < 1.0, sw.toString());
    assertEquals("ROMEO:\n".length() + 40, r.sample().length());
    for (char c : r.sample().toCharArray()) {
      assertTrue(text.indexOf(c) >= 0, "sampled '" + c + "' is not in the text");
    }
  }

  @Test
  void topOneSamplingIsGreedyAndTheCheckpointRoundTrips(@TempDir Path dir) throws Exception {
    Gpt gpt = new Gpt(TINY, new Generator(4));
    int[] prompt = {3, 1, 4};
    int[] out = gpt.generate(prompt, 12, 1.0, 1, new Generator(5));
    assertEquals(15, out.length);
    // top-1 picks the argmax of the last logits, whatever the generator
    for (int n = 3; n < out.length; n++) {
      int from = Math.max(0, n - TINY.blockSize());
      int[] ctx = java.util.Arrays.copyOfRange(out, from, n);
      Tensor logits = gpt.forward(Tensor.ofInts(ctx).view(1, ctx.length));
      int best = 0;
      for (int v = 1; v < 11; v++) {
        if (logits.data().getDouble(0, ctx.length - 1, v)
            > logits.data().getDouble(0, ctx.length - 1, best)) {
          best = v;
        }
      }
      assertEquals(best, out[n], "position " + n);
    }
    Path file = dir.resolve("gpt.safetensors");
    gpt.save(file);
    assertTrue(Files.size(file) > 0);
    Gpt other = new Gpt(TINY, new Generator(99));
    other.load(file);
    assertArrayEquals(out, other.generate(prompt, 12, 1.0, 1, new Generator(6)));
  }
}
