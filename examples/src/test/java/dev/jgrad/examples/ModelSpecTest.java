package dev.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.nn.data.TensorDataset;
import dev.jgrad.tensor.NDArray;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ModelSpec}: choosing, reshaping for, and restoring an architecture. */
class ModelSpecTest {
  /** Three 2×3 "images", flat, with labels 0, 1, 2. */
  static Datasets.Splits tinyImages() {
    NDArray x = NDArray.arange(18).to(dev.jgrad.tensor.DType.FLOAT32).reshape(3, 6);
    TensorDataset d = new TensorDataset(x, NDArray.ofInts(new int[] {0, 1, 2}));
    return new Datasets.Splits("tiny", d, d, 2, 3, 3);
  }

  /** Two 4×4 images, flat, labels 0 and 1. */
  static Datasets.Splits tinyImages4x4() {
    NDArray x = NDArray.arange(32).to(dev.jgrad.tensor.DType.FLOAT32).reshape(2, 16);
    TensorDataset d = new TensorDataset(x, NDArray.ofInts(new int[] {0, 1}));
    return new Datasets.Splits("tiny", d, d, 4, 4, 2);
  }

  @Test
  void theMlpIsSizedFromTheDataAndTakesFlatExamples() {
    ModelSpec spec = ModelSpec.forData("mlp", new int[] {5}, "relu", tinyImages());
    assertEquals("6-5-3 relu", spec.describe());
    assertArrayEquals(new int[] {6}, spec.inputShape());
    TensorDataset shaped = spec.inputs(tinyImages().train());
    assertArrayEquals(new int[] {3, 6}, shaped.inputs().shape());
  }

  /** Saved files must not depend on the JVM: Map.of's iteration order does. */
  @Test
  void metadataKeysComeInAFixedOrder() {
    for (String model : ModelSpec.NAMES) {
      ModelSpec spec = ModelSpec.forData(model, new int[] {5}, "relu", tinyImages4x4());
      java.util.List<String> keys = java.util.List.copyOf(spec.metadata("tiny").keySet());
      java.util.List<String> architecture = keys.subList(0, keys.size() - 2);
      assertEquals(architecture.stream().sorted().toList(), architecture, model);
      assertEquals(
          java.util.List.of(ModelSpec.MODEL_KEY, ModelSpec.DATASET_KEY),
          keys.subList(keys.size() - 2, keys.size()),
          model);
    }
  }

  @Test
  void inputsOfTheWrongSizeAreRefusedNamingBothShapes() {
    ModelSpec spec = new Mlp(new int[] {64, 10}, "relu");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> spec.inputs(tinyImages().test()));
    assertTrue(e.getMessage().contains("[64]") && e.getMessage().contains("[6]"), e.getMessage());
  }

  @Test
  void theMetadataNamesTheModelAndAFileWithoutANameHoldsAnMlp() {
    Map<String, String> meta = new Mlp(new int[] {64, 32, 10}, "tanh").metadata("digits");
    assertEquals("mlp", meta.get("jgrad.model"));
    assertEquals("digits", meta.get("jgrad.dataset"));
    Map<String, String> old = Map.of("jgrad.sizes", "64,32,10", "jgrad.activation", "tanh");
    Mlp back = (Mlp) ModelSpec.fromMetadata(old);
    assertArrayEquals(new int[] {64, 32, 10}, back.sizes());
  }

  @Test
  void unknownOrBrokenMetadataIsRefusedClearly() {
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelSpec.fromMetadata(Map.of("jgrad.model", "transformer")));
    assertTrue(unknown.getMessage().contains("'transformer'"), unknown.getMessage());
    IllegalArgumentException sizes =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ModelSpec.fromMetadata(Map.of("jgrad.sizes", "64,x", "jgrad.activation", "relu")));
    assertTrue(sizes.getMessage().contains("'64,x'"), sizes.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> ModelSpec.forData("resnet", new int[] {1}, "relu", tinyImages()));
  }
}
