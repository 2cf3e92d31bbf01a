package dev.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Tanh;
import dev.jgrad.tensor.Generator;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MlpTest {

  @Test
  void buildsLinearLayersWithTheActivationBetweenThem() {
    Mlp mlp = new Mlp(new int[] {64, 32, 16, 10}, "tanh");
    Sequential model = mlp.build(new Generator(1));
    assertEquals(5, model.size(), "Linear, Tanh, Linear, Tanh, Linear: logits last");
    assertTrue(model.get(1) instanceof Tanh && model.get(3) instanceof Tanh);
    assertArrayEquals(new int[] {32, 64}, ((Linear) model.get(0)).weight().shape());
    assertArrayEquals(new int[] {10, 16}, ((Linear) model.get(4)).weight().shape());
    assertEquals("64-32-16-10 tanh", mlp.describe());
  }

  @Test
  void theMetadataRebuildsTheSameArchitecture() {
    Mlp mlp = new Mlp(new int[] {784, 128, 10}, "sigmoid");
    Map<String, String> meta = mlp.metadata("fashion-mnist");
    assertEquals("784,128,10", meta.get("jgrad.sizes"));
    assertEquals("fashion-mnist", meta.get("jgrad.dataset"));
    Mlp back = Mlp.fromMetadata(meta);
    assertArrayEquals(mlp.sizes(), back.sizes());
    assertEquals(mlp.activation(), back.activation());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Mlp.fromMetadata(Map.of()));
    assertTrue(e.getMessage().contains("--save"), e.getMessage());
  }

  @Test
  void badArchitecturesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Mlp(new int[] {10}, "relu"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Mlp(new int[] {4, 2}, "swish"));
    assertTrue(e.getMessage().contains("'swish'"), e.getMessage());
  }
}
