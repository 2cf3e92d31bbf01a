package dev.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.nn.BatchNorm2d;
import dev.jgrad.nn.Conv2d;
import dev.jgrad.nn.Dropout;
import dev.jgrad.nn.Flatten;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.MaxPool2d;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.tensor.Generator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CnnTest {

  @Test
  void buildsTheIssuesCnnWithBatchNormLayerByLayer() {
    Sequential model = new Cnn(28, 28, 10).build(new Generator(1));
    List<Class<? extends Module>> expected =
        List.of(
            Conv2d.class,
            BatchNorm2d.class,
            ReLU.class,
            MaxPool2d.class,
            Conv2d.class,
            BatchNorm2d.class,
            ReLU.class,
            MaxPool2d.class,
            Flatten.class,
            Dropout.class,
            Linear.class,
            ReLU.class,
            Linear.class);
    assertEquals(expected.size(), model.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), model.get(i).getClass(), "layer " + i);
    }
    Map<String, Tensor> p = model.namedParameters();
    assertArrayEquals(new int[] {32, 1, 3, 3}, p.get("0.weight").shape());
    assertArrayEquals(new int[] {32}, p.get("1.weight").shape());
    assertArrayEquals(new int[] {64, 32, 3, 3}, p.get("4.weight").shape());
    assertArrayEquals(new int[] {128, 3136}, p.get("10.weight").shape(), "64·7·7 features");
    assertArrayEquals(new int[] {10, 128}, p.get("12.weight").shape());
    assertTrue(model.namedBuffers().containsKey("1.running_mean"), "BatchNorm keeps its stats");
  }

  @Test
  void eachLayerGivesTheShapeOfTheArchitecture() {
    Sequential model = new Cnn(8, 8, 10).build(new Generator(2));
    int[][] shapes = {
      {3, 32, 8, 8},
      {3, 32, 8, 8},
      {3, 32, 8, 8},
      {3, 32, 4, 4},
      {3, 64, 4, 4},
      {3, 64, 4, 4},
      {3, 64, 4, 4},
      {3, 64, 2, 2},
      {3, 256},
      {3, 256},
      {3, 128},
      {3, 128},
      {3, 10}
    };
    Tensor x = Tensor.randn(new Generator(3), 3, 1, 8, 8);
    for (int i = 0; i < model.size(); i++) {
      x = model.get(i).forward(x);
      assertArrayEquals(shapes[i], x.shape(), "after layer " + i + " " + model.get(i));
    }
  }

  @Test
  void oddImageSizesFloorThroughThePoolings() {
    Cnn cnn = new Cnn(10, 7, 3); // 10x7 -> 5x3 -> 2x1
    assertEquals(64 * 2 * 1, cnn.flatFeatures());
    Tensor logits =
        cnn.build(new Generator(4)).forward(Tensor.randn(new Generator(5), 2, 1, 10, 7));
    assertArrayEquals(new int[] {2, 3}, logits.shape());
  }

  @Test
  void theMetadataRebuildsTheSameCnn() {
    Cnn cnn = new Cnn(28, 28, 10);
    Map<String, String> meta = cnn.metadata("fashion-mnist");
    assertEquals("cnn", meta.get("jgrad.model"));
    assertEquals("1,28,28", meta.get("jgrad.input"));
    assertEquals(cnn, ModelSpec.fromMetadata(meta));
    assertEquals("cnn 1x28x28 conv32-conv64-3136-128-10", cnn.describe());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Cnn.fromMetadata(Map.of("jgrad.input", "3,28,28", "jgrad.classes", "10")));
    assertTrue(e.getMessage().contains("3,28,28"), e.getMessage());
  }

  @Test
  void theDataIsReshapedToOneChannelImages() {
    Cnn cnn = (Cnn) ModelSpec.forData("cnn", null, null, ModelSpecTest.tinyImages4x4());
    assertArrayEquals(new int[] {1, 4, 4}, cnn.inputShape());
    assertArrayEquals(
        new int[] {2, 1, 4, 4}, cnn.inputs(ModelSpecTest.tinyImages4x4().train()).inputs().shape());
  }

  @Test
  void imagesSmallerThanTwoPoolingsAreRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Cnn(3, 8, 10));
    assertTrue(e.getMessage().contains("3x8"), e.getMessage());
  }
}
