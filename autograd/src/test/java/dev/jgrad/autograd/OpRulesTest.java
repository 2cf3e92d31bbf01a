package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Examples for the rule files ({@code ArithmeticRules}, {@code PointwiseRules}, {@code
 * ActivationRules}, {@code ReductionRules}, {@code LinearAlgebraRules}, {@code ViewRules}, {@code
 * IndexingRules}, {@code LossRules}, {@code NormalizationRules}): the name each op records, errors
 * that name the op and the shapes with the exception types the Javadoc promises, and gradients
 * worked out by hand. Their gradient checks are {@code OpGradProperties}.
 */
class OpRulesTest {

  static Tensor leaf(double... values) {
    return Tensor.of(values).requiresGrad(true);
  }

  static double[] values(Tensor t) {
    return t.data().toDoubleArray();
  }

  @Test
  void linearNamesTheShapesItCannotMultiply() {
    Tensor x = Tensor.randn(new Generator(1), 4, 3);
    Tensor w = Tensor.randn(new Generator(2), 5, 2).requiresGrad(true);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> x.linear(w, null));
    assertEquals(
        "linear: input of shape [4, 3] and weight of shape [5, 2]: the weight must be [out, 3]",
        e.getMessage());
  }

  @Test
  void prodGradientsAreTheProductsOfTheOthersEvenAtZeros() {
    Tensor x = leaf(2, 0, 3);
    x.prod().backward(); // d/dx₁ (x₀x₁x₂) = x₀x₂ = 6, the others see the zero
    assertArrayEquals(new double[] {0, 6, 0}, values(x.grad()));
    Tensor y = leaf(2, 5, 3);
    y.prod().backward();
    assertArrayEquals(new double[] {15, 6, 10}, values(y.grad()), 1e-12);
    Tensor z = leaf(0, 0, 3);
    z.prod().backward();
    assertArrayEquals(new double[] {0, 0, 0}, values(z.grad()));
  }

  /** A 2×3 FLOAT64 leaf with values away from every op's singularities. */
  static Tensor x() {
    return Tensor.of(new double[][] {{0.5, 0.25, 0.75}, {0.125, 0.625, 0.375}}).requiresGrad(true);
  }

  @Test
  void everyOpRecordsItsOwnName() {
    Tensor x = x();
    Tensor row = Tensor.of(0.5, 0.25, 0.75).requiresGrad(true);
    Tensor index = Tensor.ofInts(0, 2);
    Map<String, Tensor> ops = new LinkedHashMap<>();
    ops.put("Add", x.add(row));
    ops.put("Sub", x.sub(1));
    ops.put("Mul", x.mul(row));
    ops.put("Div", x.div(2));
    ops.put("Pow", x.pow(row));
    ops.put("Maximum", x.maximum(row));
    ops.put("Minimum", x.minimum(row));
    ops.put("Neg", x.neg());
    ops.put("Abs", x.abs());
    ops.put("Exp", x.exp());
    ops.put("Log", x.log());
    ops.put("Log1p", x.log1p());
    ops.put("Expm1", x.expm1());
    ops.put("Sqrt", x.sqrt());
    ops.put("Rsqrt", x.rsqrt());
    ops.put("Square", x.square());
    ops.put("Reciprocal", x.reciprocal());
    ops.put("Sin", x.sin());
    ops.put("Cos", x.cos());
    ops.put("Erf", x.erf());
    ops.put("Clamp", x.clamp(0.2, 0.6));
    ops.put("ClampMin", x.clampMin(0.2));
    ops.put("ClampMax", x.clampMax(0.6));
    ops.put("Tanh", x.tanh());
    ops.put("Sigmoid", x.sigmoid());
    ops.put("Relu", x.relu());
    ops.put("Gelu", x.gelu());
    ops.put("GeluTanh", x.geluTanh());
    ops.put("Softplus", x.softplus());
    ops.put("BinaryCrossEntropy", x.binaryCrossEntropy(x.detach()));
    ops.put("Sum", x.sum());
    ops.put("Mean", x.mean(0, false));
    ops.put("Prod", x.prod(1, true));
    ops.put("SumTo", x.sumTo(3));
    ops.put("Amax", x.amax(new int[] {1}, false));
    ops.put("Amin", x.amin(new int[0], false));
    ops.put("Softmax", x.softmax(1));
    ops.put("LogSoftmax", x.logSoftmax(0));
    ops.put("MatMul", x.matmul(x.mT()));
    ops.put("MatMulT", x.matmulT(x));
    ops.put("Linear", x.linear(x, null));
    ops.put("Reshape", x.reshape(3, 2));
    ops.put("View", x.view(6));
    ops.put("Flatten", x.flatten(0, 1));
    ops.put("Transpose", x.t());
    ops.put("Permute", x.permute(1, 0));
    ops.put("Squeeze", x.unsqueeze(0).squeeze());
    ops.put("Unsqueeze", x.unsqueeze(-1));
    ops.put("Expand", x.expand(4, 2, 3));
    ops.put("Slice", x.slice(1, 0, 3, 2));
    ops.put("Select", x.select(0, 1));
    ops.put("SliceScatter", x.embedInto(new int[] {2, 6}, 1, 0, 2));
    ops.put("Contiguous", x.t().contiguous());
    ops.put("Clone", x.cloneTensor());
    ops.put("ToCopy", x.to(DType.FLOAT32));
    ops.put("Cat", Tensor.cat(0, x, x));
    ops.put("Gather", x.gather(1, Tensor.ofInts(0, 2).reshape(2, 1)));
    ops.put("ScatterAdd", x.scatterAdd(1, Tensor.ofInts(0, 2).reshape(2, 1), x.narrow(1, 0, 1)));
    ops.put("IndexSelect", x.indexSelect(1, index));
    ops.put("MaskedFill", x.maskedFill(x.gt(0.4), 0));
    ops.put("Where", Tensor.where(x.gt(0.4), x, row));
    // sequence models (#12)
    ops.put("Split", x.split(2, 1).get(1));
    ops.put("Tril", x.tril(0));
    ops.put("Triu", x.triu(1));
    ops.put("IndexAdd", x.indexAdd(0, Tensor.ofInts(1), x.narrow(0, 0, 1)));
    ops.put("Baddbmm", Tensor.baddbmm(x.matmul(x.t()), x.unsqueeze(0), x.t().unsqueeze(0), 1, 1));
    ops.put("Sort", x.sort(1, false).values());
    ops.put("Topk", x.topk(2, 1, true, true).values());
    ops.put("LayerNorm", x.layerNorm(new int[] {3}, row, row, 1e-5));
    ops.put("RmsNorm", x.rmsNorm(new int[] {3}, null, 1e-5));
    ops.put("BatchNorm", x.batchNorm(null, null, row, row, true, 0.1, 1e-5));
    ops.put("ScaledDotProductAttention", Tensor.scaledDotProductAttention(x, x, x, null, true, 1));
    for (Map.Entry<String, Tensor> op : ops.entrySet()) {
      assertEquals(op.getKey() + "Backward", op.getValue().gradFn().name());
    }
  }

  @Test
  void reductionsNameThemselvesWhenADimIsOutOfRange() {
    Tensor x = x();
    Map<String, Executable> ops = new LinkedHashMap<>();
    ops.put("sum", () -> x.sum(2, false));
    ops.put("mean", () -> x.mean(2, false));
    ops.put("prod", () -> x.prod(2, false));
    ops.put("amax", () -> x.amax(new int[] {2}, false));
    ops.put("amin", () -> x.amin(new int[] {-3}, true));
    ops.put("max", () -> x.max(2, false));
    ops.put("var", () -> x.var(new int[] {2}, 1, false));
    ops.put("std", () -> x.std(new int[] {2}, 0, false));
    ops.put("norm", () -> x.norm(2, new int[] {2}, false));
    ops.put("logsumexp", () -> x.logsumexp(2, false));
    ops.put("softmax", () -> x.softmax(2));
    ops.put("logSoftmax", () -> x.logSoftmax(-3));
    for (Map.Entry<String, Executable> op : ops.entrySet()) {
      IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, op.getValue());
      assertTrue(
          e.getMessage().startsWith(op.getKey() + ": dim ")
              && e.getMessage().contains("out of range for a tensor of rank 2"),
          e.getMessage());
    }
  }

  @Test
  void reductionsNameThemselvesWhenADimRepeats() {
    Tensor x = x();
    Map<String, Executable> ops = new LinkedHashMap<>();
    ops.put("sum", () -> x.sum(new int[] {1, -1}, false));
    ops.put("mean", () -> x.mean(new int[] {1, -1}, false));
    ops.put("var", () -> x.var(new int[] {0, 0}, 1, false));
    ops.put("std", () -> x.std(new int[] {0, 0}, 1, false));
    ops.put("norm", () -> x.norm(1, new int[] {0, 0}, false));
    ops.put("logsumexp", () -> x.logsumexp(new int[] {1, 1}, true));
    for (Map.Entry<String, Executable> op : ops.entrySet()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, op.getValue());
      assertTrue(e.getMessage().startsWith(op.getKey() + ": dim "), e.getMessage());
      assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
    }
  }

  @Test
  void aZeroDimTensorReducesOverItsOnlyDim() {
    Tensor s = Tensor.scalar(3).to(DType.FLOAT64).detach().requiresGrad(true);
    Tensor y = s.sum(new int[] {0}, false).mul(2).add(s.mean(-1, true));
    y.backward();
    assertEquals(9, y.item());
    assertEquals(3, s.grad().item());
    assertEquals(0, s.logsumexp(0, false).dim());
  }

  @Test
  void rejectedInputsRaiseTheDocumentedExceptionsNamingTheOpAndShapes() {
    Tensor x = x();
    assertMessage(
        IllegalArgumentException.class,
        "add: shapes [2, 3] and [2] cannot be broadcast",
        () -> x.add(Tensor.of(1.0, 2.0)));
    assertMessage(
        IllegalArgumentException.class,
        "clamp: min 1.0 is greater than max 0.0",
        () -> x.clamp(1, 0));
    assertMessage(IllegalArgumentException.class, "matmul", () -> x.matmul(x));
    assertMessage(IllegalArgumentException.class, "reshape: shape [4]", () -> x.reshape(4));
    assertMessage(IllegalArgumentException.class, "view: shape [6]", () -> x.t().view(6));
    assertMessage(IllegalArgumentException.class, "expand: shape [2, 3]", () -> x.expand(3, 3));
    assertMessage(IllegalArgumentException.class, "permute: [0]", () -> x.permute(0));
    assertMessage(IllegalArgumentException.class, "slice: step", () -> x.slice(0, 0, 1, 0));
    assertMessage(IndexOutOfBoundsException.class, "transpose: dim 2", () -> x.transpose(0, 2));
    assertMessage(IndexOutOfBoundsException.class, "select: index 2", () -> x.select(0, 2));
    assertMessage(IndexOutOfBoundsException.class, "narrow: start 2", () -> x.narrow(1, 2, 2));
    assertMessage(IndexOutOfBoundsException.class, "unsqueeze: dim 4", () -> x.unsqueeze(4));
    assertMessage(
        IllegalArgumentException.class,
        "cat: shapes [2, 3] and [3]",
        () -> Tensor.cat(0, x, x.select(0, 0)));
    assertMessage(
        IllegalArgumentException.class, "stack: expected at least one", () -> Tensor.stack(0));
    assertMessage(
        IllegalArgumentException.class,
        "stack: expects tensors of one shape, got [2, 3] and [3, 2]",
        () -> Tensor.stack(0, x, x.t()));
    assertMessage(
        IndexOutOfBoundsException.class,
        "gather: index 3",
        () -> x.gather(1, Tensor.ofInts(3, 0).reshape(2, 1)));
    assertMessage(
        IndexOutOfBoundsException.class,
        "indexSelect: index 5",
        () -> x.indexSelect(0, Tensor.ofInts(5)));
    assertMessage(
        IllegalArgumentException.class,
        "maskedFill: mask of shape [2, 2, 3]",
        () -> x.maskedFill(Tensor.zeros(2, 2, 3), 0));
    assertMessage(
        IllegalArgumentException.class,
        "binaryCrossEntropy: input of shape [2, 3] and target of shape [3]",
        () -> x.binaryCrossEntropy(Tensor.of(1.0, 0.0, 1.0)));
    assertMessage(
        IllegalArgumentException.class,
        "linear: input of shape [2, 3]",
        () -> x.linear(x.t(), null));
  }

  @Test
  void narrowCountsANegativeStartFromTheEndOnceAndHugeArgumentsDoNotOverflow() {
    Tensor x = Tensor.arange(17).to(DType.FLOAT64).requiresGrad(true);
    assertEquals(0.0, x.narrow(0, -17, 1).item());
    assertEquals(16.0, x.narrow(0, -1, 1).item());
    assertMessage(IndexOutOfBoundsException.class, "narrow: start -18", () -> x.narrow(0, -18, 1));
    assertMessage(
        IndexOutOfBoundsException.class,
        "narrow: start 1 with length 2147483647",
        () -> x.narrow(0, 1, Integer.MAX_VALUE));
    assertMessage(
        IndexOutOfBoundsException.class,
        "narrow: start -1 with length 2147483646",
        () -> x.narrow(0, -1, 2147483646));
    // Python: list(range(17))[0:17:2**31-1] == [0]; the gradient lands at index 0 only.
    Tensor first = x.slice(0, 0, 17, Integer.MAX_VALUE);
    assertArrayEquals(new int[] {1}, first.shape());
    first.sum().backward();
    double[] expected = new double[17];
    expected[0] = 1;
    assertArrayEquals(expected, x.grad().data().toDoubleArray());
    assertMessage(
        IndexOutOfBoundsException.class, "flatten: dim 1", () -> Tensor.scalar(3).flatten(-1, 1));
  }

  @Test
  void sequenceOpsRaiseTheDocumentedExceptionsNamingTheOpAndShapes() {
    Tensor x = x();
    assertMessage(
        IllegalArgumentException.class,
        "split: sizes [1, 1] add up to 2, but dim 1 of shape [2, 3] has size 3",
        () -> x.split(new int[] {1, 1}, 1));
    assertMessage(IndexOutOfBoundsException.class, "chunk: dim 2", () -> x.chunk(2, 2));
    assertMessage(
        IllegalArgumentException.class,
        "tril: expects an array with at least 2 dims, got shape [3]",
        () -> x.select(0, 0).tril(0));
    assertMessage(
        IllegalArgumentException.class,
        "topk: k = 4 is out of range for dim 1 of size 3 in shape [2, 3]",
        () -> x.topk(4, 1, true, true));
    assertMessage(
        IllegalArgumentException.class,
        "baddbmm: expects batches of matrices [B, n, m] and [B, m, p], got shapes [2, 3] and",
        () -> Tensor.baddbmm(x, x, x.t(), 1, 1));
    assertMessage(
        IllegalArgumentException.class,
        "layerNorm: normalized shape [2] must be the trailing dims of the input's shape [2, 3]",
        () -> x.layerNorm(new int[] {2}, null, null, 1e-5));
    assertMessage(
        IllegalArgumentException.class,
        "batchNorm: weight of shape [2] does not match the 3 channels of the input of shape [2, 3]",
        () ->
            x.batchNorm(
                null, null, x.narrow(0, 0, 1).reshape(3).narrow(0, 0, 2), null, true, 0.1, 1e-5));
    assertMessage(
        IllegalArgumentException.class,
        "batchNorm: expected more than 1 value per channel when training, got input of shape"
            + " [1, 3]",
        () -> x.narrow(0, 0, 1).batchNorm(null, null, null, null, true, 0.1, 1e-5));
    assertMessage(
        IllegalArgumentException.class,
        "batchNorm: running_mean and running_var are needed when not training",
        () -> x.batchNorm(null, null, null, null, false, 0.1, 1e-5));
    assertMessage(
        IllegalArgumentException.class,
        "batchNorm: weight is float32 [3] but the input is float64 [2, 3]",
        () ->
            x.batchNorm(
                null, null, x.to(DType.FLOAT32).narrow(0, 0, 1).reshape(3), null, true, 0.1, 1e-5));
    assertMessage(
        IndexOutOfBoundsException.class,
        "indexAdd: index 2 is out of bounds for dim 0 with size 2",
        () -> x.indexAdd(0, Tensor.ofInts(2), x.narrow(0, 0, 1)));
    assertMessage(
        IllegalArgumentException.class,
        "baddbmm: input of shape [2, 3] does not broadcast to the product's shape [1, 2, 2]",
        () -> Tensor.baddbmm(x, x.unsqueeze(0), x.t().unsqueeze(0), 1, 1));
  }

  @Test
  void sortGradientsGoBackToTheSortedPositions() {
    Tensor x = leaf(3, 1, 2);
    // sorted ascending: [1, 2, 3] from positions [1, 2, 0]; weights 10, 20, 30 by sorted place
    x.sort(0, false).values().mul(Tensor.of(10.0, 20.0, 30.0)).sum().backward();
    assertArrayEquals(new double[] {30, 10, 20}, values(x.grad()));
    Tensor y = leaf(3, 1, 2);
    y.topk(2, 0, true, true).values().mul(Tensor.of(10.0, 20.0)).sum().backward();
    assertArrayEquals(new double[] {10, 0, 20}, values(y.grad()));
  }

  @Test
  void eachSplitPieceSendsItsGradientToItsOwnSlice() {
    Tensor x = leaf(1, 2, 3, 4, 5);
    java.util.List<Tensor> parts = x.split(2, 0);
    assertEquals(3, parts.size());
    assertTrue(parts.get(1).data().sharesStorage(x.data()));
    parts.get(1).mul(10).sum().add(parts.get(2).mul(100).sum()).backward();
    assertArrayEquals(new double[] {0, 0, 10, 10, 100}, values(x.grad()));
  }

  private static void assertMessage(
      Class<? extends RuntimeException> type, String start, Executable call) {
    RuntimeException e = assertThrows(type, call);
    assertTrue(
        e.getMessage().startsWith(start), () -> "expected " + start + "…, got " + e.getMessage());
  }
}
