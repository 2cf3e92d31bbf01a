package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.testkit.TensorAssertions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link F#scaledDotProductAttention}, {@link MultiheadAttention} and {@link
 * TransformerEncoderLayer} against PyTorch 1.13 in float64, as {@code pytorch_attention.py}
 * recorded them in {@code pytorch-attention.txt}: attention with the causal mask (L ≠ S), a boolean
 * mask and an additive mask; multi-head cross-attention with a key padding mask and its averaged
 * weights, and causal self-attention; the encoder layer post-norm with ReLU and pre-norm with GELU,
 * in evaluation mode with both masks. PyTorch's parameters load into the modules through {@code
 * loadStateDict} under PyTorch's own names (strict), and the state dicts list the same names in the
 * same order with the same shapes. The modules are FLOAT32 (the fixture's float64 weights are
 * rounded on loading), so their outputs are compared to 2·10⁻⁵.
 */
class AttentionPyTorchTest {
  static Map<String, NDArray> fixture;

  @BeforeAll
  static void read() throws IOException {
    InputStream in = AttentionPyTorchTest.class.getResourceAsStream("pytorch-attention.txt");
    assertNotNull(in, "pytorch-attention.txt");
    fixture = new LinkedHashMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] f = line.split("\\|", -1);
        int[] shape =
            f[1].isEmpty()
                ? new int[0]
                : Arrays.stream(f[1].split(" ")).mapToInt(Integer::parseInt).toArray();
        double[] values = Arrays.stream(f[2].split(" ")).mapToDouble(Double::parseDouble).toArray();
        fixture.put(f[0], NDArray.fromArray(values, shape));
      }
    }
  }

  static Tensor t(String name) {
    NDArray a = fixture.get(name);
    assertNotNull(a, name);
    return new Tensor(a);
  }

  static Tensor f32(String name) {
    return t(name).to(DType.FLOAT32);
  }

  /** PyTorch's bool masks were written as 0/1. */
  static Tensor bool(String name) {
    return t(name).to(DType.INT32);
  }

  /** The fixture's parameters of one case, by their state-dict names, in PyTorch's order. */
  static Map<String, NDArray> params(String c) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    String prefix = "param." + c + ".";
    fixture.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }

  static void load(Module m, String c) {
    Map<String, NDArray> state = params(c);
    List<String> names = new ArrayList<>(m.stateDict().keySet());
    assertEquals(new ArrayList<>(state.keySet()), names, "state-dict names and order vs PyTorch");
    m.stateDict()
        .forEach(
            (k, v) -> assertArrayEquals(state.get(k).shape(), v.shape(), k + ": shape vs PyTorch"));
    m.loadStateDict(state, true);
  }

  static void assertClose(String expected, Tensor actual, double tol) {
    TensorAssertions.assertCloseTo(
        fixture.get(expected), actual.data().to(DType.FLOAT64), 0, tol, expected);
  }

  @Test
  void attentionMatchesPyTorchCausalWithBooleanAndWithAdditiveMasks() {
    Tensor q = t("sdpa.q");
    Tensor k = t("sdpa.k");
    Tensor v = t("sdpa.v");
    assertClose("sdpa.causal", F.scaledDotProductAttention(q, k, v, true), 1e-12);
    assertClose(
        "sdpa.bool",
        F.scaledDotProductAttention(q, k, v, bool("sdpa.keep"), 0, false, null, null),
        1e-12);
    assertClose(
        "sdpa.float",
        F.scaledDotProductAttention(q, k, v, t("sdpa.additive"), 0, false, null, null),
        1e-12);
  }

  @Test
  void multiheadAttentionMatchesPyTorchWithPaddingWeightsAndACausalMask() {
    MultiheadAttention mha = new MultiheadAttention(8, 2, 0.0, true, true, new Generator(1));
    load(mha, "mha");
    mha.eval();
    MultiheadAttention.Output cross =
        mha.forward(
            f32("mha.query"),
            f32("mha.key"),
            f32("mha.value"),
            bool("mha.padding"),
            true,
            null,
            false);
    assertClose("mha.cross", cross.output(), 2e-5);
    assertClose("mha.cross_weights", cross.weights(), 2e-5);
    Tensor x = f32("mha.query");
    Tensor causal = new Tensor(NDArray.ones(DType.INT32, 5, 5).triu(1));
    assertClose("mha.self_causal", mha.forward(x, x, x, null, false, causal, false).output(), 2e-5);
    // isCausal alone builds the same mask
    assertClose("mha.self_causal", mha.forward(x, x, x, null, false, null, true).output(), 2e-5);
  }

  @Test
  void encoderLayersMatchPyTorchInEvaluationWithCausalAndPaddingMasks() {
    Tensor src = f32("enc.src");
    Tensor padding = bool("enc.padding");
    Tensor causal = new Tensor(NDArray.ones(DType.INT32, 5, 5).triu(1));
    for (String c : new String[] {"post", "pre"}) {
      boolean pre = c.equals("pre");
      TransformerEncoderLayer layer =
          new TransformerEncoderLayer(
              8, 2, 16, 0.1, pre ? "gelu" : "relu", 1e-5, true, pre, new Generator(2));
      load(layer, "enc." + c);
      layer.eval();
      assertClose("enc." + c, layer.forward(src, causal, padding, false), 2e-5);
      assertClose("enc." + c, layer.forward(src, null, padding, true), 2e-5);
    }
  }
}
