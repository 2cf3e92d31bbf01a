package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The bugs {@link ModuleFuzzProperties} found (issue #14), one regression each: every call here was
 * refused naming a helper (gather, rand, matmul with transposed shapes, add, zeros) or gave a
 * message without the shapes, and must now name the loss, function or module called.
 */
class FuzzFindingsTest {
  static void refused(Executable call, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), () -> e.getMessage() + " should name " + part);
    }
  }

  @Test
  void crossEntropyOfNoClassesNamesItself() { // was "gather: index 0 is out of bounds"
    Tensor logits = Tensor.zeros(2, 0);
    Tensor targets = Tensor.ofInts(-100, -100);
    refused(() -> F.crossEntropy(logits, targets), "crossEntropy", "[2, 0]");
    refused(() -> F.nllLoss(logits, targets), "nllLoss", "[2, 0]");
  }

  @Test
  void dropoutOfIntegersInTrainingNamesItself() { // was "rand: expected a floating-point dtype"
    Tensor ints = Tensor.ofInts(1, 2, 3);
    refused(() -> F.dropout(ints, 0.5, true, new Generator(1)), "dropout", "int32", "[3]");
    refused(
        () -> F.dropout2d(new Tensor(ints.data().reshape(1, 3, 1, 1)), 0.5, true, new Generator(1)),
        "dropout2d",
        "int32");
  }

  @Test
  void linearNamesItselfAndTheShapesGiven() { // named matmul (of transposed shapes) or add
    refused(
        () -> F.linear(Tensor.zeros(2), Tensor.zeros(3, 4, 3), null), "linear", "[2]", "[3, 4, 3]");
    refused(
        () -> F.linear(Tensor.zeros(2, 3, 4), Tensor.zeros(5, 4), Tensor.zeros(2)),
        "linear",
        "[2]",
        "[2, 3, 5]");
  }

  @Test
  void modulesTooLargeForAnArrayNameThemselves() { // named zeros, or "negative size" (overflow)
    refused(() -> new Conv2d(65536, 65536, 3), "Conv2d", "[65536, 65536, 3, 3]");
    refused(() -> new ConvTranspose2d(65536, 65536, 3), "ConvTranspose2d");
    refused(() -> new Embedding(65536, 65536), "Embedding", "[65536, 65536]");
    refused(() -> new Linear(65536, 65536), "Linear", "[65536, 65536]");
    refused(() -> new LayerNorm(65536, 65536), "LayerNorm");
    refused(
        () -> new MultiheadAttention(Integer.MAX_VALUE - 1, 1), "MultiheadAttention", "2147483646");
  }

  @Test
  void binaryCrossEntropyNamesTheShapeAndTheValue() { // named neither
    refused(
        () -> F.binaryCrossEntropy(Tensor.of(0.5f, 1.5f), Tensor.of(1f, 0f)),
        "binaryCrossEntropy",
        "[2]",
        "1.5");
    refused(
        () ->
            F.binaryCrossEntropy(
                new Tensor(Tensor.of(-0.25f).data().to(DType.FLOAT64)),
                Tensor.of(1f).to(DType.FLOAT64)),
        "binaryCrossEntropy",
        "-0.25");
  }
}
