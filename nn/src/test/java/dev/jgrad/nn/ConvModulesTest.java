package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.GradCheck;
import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link Conv1d}, {@link Conv2d}, {@link ConvTranspose2d} and the convolution functions of {@link
 * F}: shapes, PyTorch's initialisation bounds, state-dict names and shapes, "same" and "valid"
 * padding, conv1d as a conv2d of height 1, and errors that name the op and the shapes.
 */
class ConvModulesTest {

  static void assertMessage(Executable call, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String part : parts) {
      assertTrue(
          e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should mention " + part);
    }
  }

  /** U(−b, b): every value within b, mean about 0, variance about b²/3 (for many values). */
  static void assertUniform(NDArray values, double bound, boolean statistics) {
    assertTrue(values.abs().max().item() <= bound, "within the bound");
    assertNotEquals(0, values.abs().sum().item());
    if (statistics) {
      // The mean of n uniforms has standard deviation b/√(3n): allow four of them.
      assertEquals(0, values.mean().item(), 4 * bound / Math.sqrt(3.0 * values.numel()));
      assertEquals(bound * bound / 3, values.var().item(), 0.05 * bound * bound / 3);
    }
  }

  @Test
  void conv2dHasPyTorchsShapesNamesAndInitialisation() {
    Conv2d conv = new Conv2d(32, 64, 3, 1, 1, new Generator(3));
    Map<String, NDArray> state = conv.stateDict();
    assertEquals(List.of("weight", "bias"), List.copyOf(state.keySet()));
    assertArrayEquals(new int[] {64, 32, 3, 3}, state.get("weight").shape());
    assertArrayEquals(new int[] {64}, state.get("bias").shape());
    // kaiming-uniform with a = √5 is U(−1/√fan_in, 1/√fan_in), fan_in = 32·3·3.
    double bound = 1 / Math.sqrt(32 * 9);
    assertUniform(conv.weight().data(), bound, true);
    assertUniform(conv.bias().data(), bound, false);
    assertEquals(
        "Conv2d(32, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))", conv.toString());
  }

  @Test
  void groupedConvolutionsTakeTheirFanInPerGroup() {
    Conv2d depthwise =
        new Conv2d(
            8,
            16,
            new int[] {3, 5},
            new int[] {1},
            "same",
            new int[] {1},
            8,
            false,
            new Generator(1));
    assertArrayEquals(new int[] {16, 1, 3, 5}, depthwise.weight().shape());
    assertNull(depthwise.bias());
    assertEquals(List.of("weight"), List.copyOf(depthwise.stateDict().keySet()));
    assertUniform(depthwise.weight().data(), 1 / Math.sqrt(15), false);
    Tensor y = depthwise.forward(Tensor.randn(new Generator(2), 2, 8, 7, 6));
    assertArrayEquals(new int[] {2, 16, 7, 6}, y.shape(), "same keeps the size");
  }

  @Test
  void theRequiredConstructorsGiveTheSameLayers() {
    Conv2d a = new Conv2d(3, 4, 5, new Generator(9));
    Conv2d b = new Conv2d(3, 4, 5, 1, 0, new Generator(9));
    assertArrayEquals(a.weight().data().toFloatArray(), b.weight().data().toFloatArray());
    assertArrayEquals(new int[] {4, 3, 5, 5}, new Conv2d(3, 4, 5).weight().shape());
    assertArrayEquals(
        new int[] {1, 4, 4, 4},
        new Conv2d(3, 4, 3, 2, 1).forward(Tensor.zeros(1, 3, 8, 8)).shape());
    assertArrayEquals(new int[] {4, 3, 5}, new Conv1d(3, 4, 5).weight().shape());
    assertArrayEquals(new int[] {4, 3, 5}, new Conv1d(3, 4, 5, new Generator(1)).weight().shape());
    assertArrayEquals(
        new int[] {1, 4, 5}, new Conv1d(3, 4, 3, 2, 1).forward(Tensor.zeros(1, 3, 10)).shape());
    assertArrayEquals(
        new int[] {1, 4, 5},
        new Conv1d(3, 4, 3, 2, 1, new Generator(1)).forward(Tensor.zeros(1, 3, 10)).shape());
    assertArrayEquals(new int[] {3, 4, 5, 5}, new ConvTranspose2d(3, 4, 5).weight().shape());
    assertArrayEquals(
        new int[] {3, 4, 5, 5}, new ConvTranspose2d(3, 4, 5, new Generator(1)).weight().shape());
    assertArrayEquals(
        new int[] {1, 4, 14, 14},
        new ConvTranspose2d(3, 4, 2, 2, 0).forward(Tensor.zeros(1, 3, 7, 7)).shape());
    assertArrayEquals(
        new int[] {1, 4, 13, 13},
        new ConvTranspose2d(3, 4, 3, 2, 1, new Generator(2))
            .forward(Tensor.zeros(1, 3, 7, 7))
            .shape());
  }

  @Test
  void convTranspose2dTakesFanInFromTheWeightsSecondSize() {
    ConvTranspose2d up = new ConvTranspose2d(64, 16, 4, 2, 1, new Generator(4));
    assertArrayEquals(new int[] {64, 16, 4, 4}, up.weight().shape());
    double bound = 1 / Math.sqrt(16 * 16); // PyTorch: fan_in = weight.size(1)·k·k
    assertUniform(up.weight().data(), bound, true);
    assertUniform(up.bias().data(), bound, false);
    assertArrayEquals(new int[] {16}, up.stateDict().get("bias").shape());
    assertArrayEquals(
        new int[] {2, 16, 14, 14}, up.forward(Tensor.zeros(2, 64, 7, 7)).shape(), "H -> 2H");
    ConvTranspose2d full =
        new ConvTranspose2d(
            4,
            6,
            new int[] {3, 2},
            new int[] {2, 3},
            new int[] {1, 0},
            new int[] {1, 2},
            2,
            false,
            new int[] {1},
            new Generator(5));
    // (5 − 1)·2 − 2 + 2 + 1 + 1 = 10 and (5 − 1)·3 − 0 + 1 + 2 + 1 = 16
    assertArrayEquals(new int[] {1, 6, 10, 16}, full.forward(Tensor.zeros(1, 4, 5, 5)).shape());
    assertEquals(
        "ConvTranspose2d(4, 6, kernel_size=(3, 2), stride=(2, 3), padding=(1, 0),"
            + " output_padding=(1, 2), groups=2, bias=False)",
        full.toString());
  }

  @Test
  void conv1dHasPyTorchsShapesAndBounds() {
    Conv1d conv = new Conv1d(16, 32, 5, 1, 2, new Generator(7));
    assertArrayEquals(new int[] {32, 16, 5}, conv.stateDict().get("weight").shape());
    assertArrayEquals(new int[] {32}, conv.stateDict().get("bias").shape());
    double bound = 1 / Math.sqrt(16 * 5);
    assertUniform(conv.weight().data(), bound, true);
    assertUniform(conv.bias().data(), bound, false);
    assertArrayEquals(new int[] {4, 32, 50}, conv.forward(Tensor.zeros(4, 16, 50)).shape());
    assertEquals("Conv1d(16, 32, kernel_size=(5,), stride=(1,), padding=(2,))", conv.toString());
    Conv1d same = new Conv1d(2, 3, 4, 1, "same", 2, 1, true, new Generator(1));
    assertArrayEquals(new int[] {1, 3, 9}, same.forward(Tensor.zeros(1, 2, 9)).shape());
  }

  @Test
  void conv1dIsAConv2dOfHeightOne() {
    Generator g = new Generator(11);
    Tensor x = Tensor.randn(g, 2, 4, 9);
    Tensor w = Tensor.randn(g, 6, 2, 3);
    Tensor b = Tensor.randn(g, 6);
    Tensor y = F.conv1d(x, w, b, 2, 1, 2, 2);
    Tensor expected =
        F.conv2d(
                x.reshape(2, 4, 1, 9),
                w.reshape(6, 2, 1, 3),
                b,
                new int[] {1, 2},
                new int[] {0, 1},
                new int[] {1, 2},
                2)
            .reshape(2, 6, 4);
    assertArrayEquals(expected.data().toFloatArray(), y.data().toFloatArray());
    // A hand-worked value: x = ones, w = ones, no padding: every output is C·k = 4·3.
    Tensor ones = F.conv1d(Tensor.ones(1, 4, 5), Tensor.ones(1, 4, 3), null);
    assertArrayEquals(new float[] {12, 12, 12}, ones.data().toFloatArray());
  }

  @Test
  void samePaddingPutsTheOddOneAfter() {
    // Kernel 2: PyTorch pads 0 before and 1 after, so the first output is x0 + x1 and the last x4.
    Tensor x = Tensor.of(1, 2, 3, 4, 5).reshape(1, 1, 5);
    Tensor w = Tensor.ones(1, 1, 2);
    Tensor y = F.conv1d(x, w, null, 1, "same", 1, 1);
    assertArrayEquals(new float[] {3, 5, 7, 9, 5}, y.data().toFloatArray());
    // Dilation 3 with kernel 2: total 3, 1 before and 2 after, so y[p] = x[p − 1] + x[p + 2].
    Tensor z = F.conv1d(x, w, null, 1, "same", 3, 1);
    assertArrayEquals(new float[] {3, 5, 7, 3, 4}, z.data().toFloatArray());
    Tensor valid = F.conv1d(x, w, null, 1, "valid", 1, 1);
    assertArrayEquals(new float[] {3, 5, 7, 9}, valid.data().toFloatArray());
    Tensor image = Tensor.randn(new Generator(1), 1, 2, 6, 7);
    Tensor k = Tensor.randn(new Generator(2), 3, 2, 4, 3);
    assertArrayEquals(
        new int[] {1, 3, 6, 7},
        F.conv2d(image, k, null, new int[] {1}, "same", new int[] {2, 1}, 1).shape());
  }

  @Test
  void gradientsReachTheParameters() {
    Conv2d conv = new Conv2d(2, 3, 3, 1, 1, new Generator(1));
    Tensor x = new Tensor(NDArray.randn(new Generator(4), DType.FLOAT64, 2, 2, 5, 5));
    Tensor w = new Tensor(conv.weight().data().to(DType.FLOAT64)).requiresGrad(true);
    Tensor b = new Tensor(conv.bias().data().to(DType.FLOAT64)).requiresGrad(true);
    GradCheck.Report r = GradCheck.firstOrder(in -> F.conv2d(x, in[0], in[1], 1, 1).tanh(), w, b);
    assertTrue(r.passed(), r::toString);
    conv.forward(Tensor.randn(new Generator(5), 4, 2, 5, 5)).sum().backward();
    assertArrayEquals(
        new float[] {100, 100, 100}, conv.bias().grad().data().toFloatArray(), "4 images × 25");
    assertArrayEquals(new int[] {3, 2, 3, 3}, conv.weight().grad().shape());
  }

  @Test
  void conv1dAndConvTranspose2dGradientsReachEveryOperand() {
    Tensor x =
        new Tensor(NDArray.randn(new Generator(1), DType.FLOAT64, 2, 4, 7)).requiresGrad(true);
    Tensor w =
        new Tensor(NDArray.randn(new Generator(2), DType.FLOAT64, 6, 2, 3)).requiresGrad(true);
    Tensor b = new Tensor(NDArray.randn(new Generator(3), DType.FLOAT64, 6)).requiresGrad(true);
    GradCheck.Report r =
        GradCheck.firstOrder(in -> F.conv1d(in[0], in[1], in[2], 2, 1, 2, 2), x, w, b);
    assertTrue(r.passed(), r::toString);
    GradCheck.Report same =
        GradCheck.secondOrder(in -> F.conv1d(in[0], in[1], null, 1, "same", 1, 2).square(), x, w);
    assertTrue(same.passed(), same::toString);
    Tensor y =
        new Tensor(NDArray.randn(new Generator(4), DType.FLOAT64, 1, 4, 3, 3)).requiresGrad(true);
    Tensor wt =
        new Tensor(NDArray.randn(new Generator(5), DType.FLOAT64, 4, 3, 2, 2)).requiresGrad(true);
    GradCheck.Report t =
        GradCheck.firstOrder(in -> F.convTranspose2d(in[0], in[1], null, 2, 0).tanh(), y, wt);
    assertTrue(t.passed(), t::toString);
  }

  @Test
  void aSmallConvNetLearnsWhereTheBrightSquareIs() {
    // Two classes of 8×8 images: a bright 3×3 square in the top-left or the bottom-right quarter.
    Generator g = new Generator(42);
    int n = 32;
    NDArray images = NDArray.rand(g, n, 1, 8, 8).mul(0.2);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 2;
      int at = labels[i] == 0 ? 1 : 4;
      images.slice(0, i, i + 1).slice(2, at, at + 3).slice(3, at, at + 3).addInPlace(1);
    }
    Tensor x = new Tensor(images);
    Tensor targets = new Tensor(NDArray.fromArray(labels, n));
    Sequential model =
        new Sequential(
            new Conv2d(1, 4, 3, 1, 1, g),
            new ReLU(),
            new Conv2d(4, 4, 3, 2, 1, g),
            new ReLU(),
            new Flatten(),
            new Linear(4 * 4 * 4, 2, true, g));
    double first = 0;
    double last = 0;
    for (int step = 0; step < 60; step++) {
      model.zeroGrad();
      Tensor loss = F.crossEntropy(model.forward(x), targets);
      loss.backward();
      for (Tensor p : model.parameters()) {
        p.data().subInPlace(p.grad().data().mul(0.5));
      }
      if (step == 0) {
        first = loss.item();
      }
      last = loss.item();
    }
    String trace = "loss " + first + " -> " + last;
    assertTrue(last < first / 4, trace);
  }

  @Test
  void badInputNamesTheOpAndTheShapes() {
    Conv2d conv = new Conv2d(3, 4, 3);
    assertMessage(() -> conv.forward(Tensor.zeros(1, 2, 8, 8)), "Conv2d", "[1, 2, 8, 8]");
    assertMessage(() -> conv.forward(Tensor.zeros(3, 8, 8)), "Conv2d", "[3, 8, 8]");
    assertMessage(() -> conv.forward(Tensor.zeros(1, 3, 2, 8)), "conv2d", "larger", "[1, 3, 2, 8]");
    assertMessage(() -> new Conv2d(0, 4, 3), "Conv2d", "in=0");
    assertMessage(() -> new Conv2d(3, 4, 0), "Conv2d", "kernelSize");
    assertMessage(() -> new Conv2d(3, 4, 3, 0, 1), "Conv2d", "stride");
    assertMessage(() -> new Conv2d(3, 4, 3, 1, -1), "Conv2d", "padding");
    assertMessage(
        () ->
            new Conv2d(
                6,
                4,
                new int[] {3},
                new int[] {1},
                new int[] {0},
                new int[] {1},
                4,
                true,
                new Generator(0)),
        "Conv2d",
        "groups=4");
    assertMessage(
        () ->
            new Conv2d(
                3,
                4,
                new int[] {3},
                new int[] {2},
                "same",
                new int[] {1},
                1,
                true,
                new Generator(0)),
        "Conv2d",
        "strided");
    assertMessage(
        () ->
            new Conv2d(
                3,
                4,
                new int[] {3},
                new int[] {1},
                "full",
                new int[] {1},
                1,
                true,
                new Generator(0)),
        "Conv2d",
        "full");
    assertMessage(() -> new Conv1d(3, 4, 3).forward(Tensor.zeros(1, 3, 2)), "conv1d", "[1, 3, 2]");
    assertMessage(() -> new Conv1d(3, 4, 3).forward(Tensor.zeros(1, 3, 2, 2)), "Conv1d");
    assertMessage(
        () -> F.conv1d(Tensor.zeros(3, 8), Tensor.zeros(4, 3, 3), null), "conv1d", "[3, 8]");
    assertMessage(
        () -> F.conv1d(Tensor.zeros(1, 3, 8), Tensor.zeros(4, 3, 3), null, 2, "same", 1, 1),
        "conv1d",
        "strided");
    assertMessage(
        () -> F.conv1d(Tensor.zeros(1, 3, 8), Tensor.zeros(4, 3, 3), Tensor.zeros(5)),
        "conv1d",
        "bias",
        "[5]");
    assertMessage(
        () -> new ConvTranspose2d(3, 4, 3).forward(Tensor.zeros(1, 4, 5, 5)),
        "ConvTranspose2d",
        "[1, 4, 5, 5]");
    assertMessage(
        () ->
            new ConvTranspose2d(
                3,
                4,
                new int[] {3},
                new int[] {2},
                new int[] {0},
                new int[] {2},
                1,
                true,
                new int[] {1},
                new Generator(0)),
        "ConvTranspose2d",
        "outputPadding");
    assertMessage(
        () ->
            F.convTranspose2d(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(3, 2, 3, 3), Tensor.zeros(3)),
        "convTranspose2d",
        "bias");
    assertMessage(
        () ->
            F.conv2d(
                Tensor.zeros(1, 3, 5, 5),
                Tensor.zeros(2, 3, 3, 3),
                null,
                new int[] {1},
                "same",
                new int[] {0},
                1),
        "conv2d",
        "dilation");
  }
}
