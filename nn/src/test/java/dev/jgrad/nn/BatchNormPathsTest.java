package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import org.junit.jupiter.api.Test;

/**
 * The two paths of {@code Normalization.batchNorm}: inputs whose statistics and parameters share
 * their dtype run autograd's one-node {@code batchNorm} (fused kernels); mixed dtypes run the
 * composite of Tensor ops, which promotes. Both must give the same values and gradients.
 */
class BatchNormPathsTest {

  @Test
  void aModuleInTrainingRecordsOneBatchNormNode() {
    BatchNorm2d bn = new BatchNorm2d(3);
    Tensor x = new Tensor(NDArray.randn(new Generator(1), 4, 3, 5, 5)).requiresGrad(true);
    assertEquals("BatchNormBackward", bn.forward(x).gradFn().name());
    bn.eval();
    assertEquals("BatchNormBackward", bn.forward(x).gradFn().name());
  }

  @Test
  void mixedDtypesTakeTheCompositeAndAgreeWithTheOneNodeOp() {
    Generator g = new Generator(2);
    NDArray xa = NDArray.randn(g, 4, 3, 6).mul(2).add(1);
    NDArray wa = NDArray.rand(g, DType.FLOAT64, 3).add(0.5);
    NDArray ba = NDArray.randn(g, DType.FLOAT64, 3);
    NDArray ga = NDArray.randn(g, 4, 3, 6);
    for (boolean training : new boolean[] {true, false}) {
      Tensor mean = new Tensor(NDArray.randn(g, DType.FLOAT64, 3));
      Tensor var = new Tensor(NDArray.rand(g, DType.FLOAT64, 3).add(0.5));
      // the composite: a FLOAT32 input with FLOAT64 parameters promotes to FLOAT64 (after its
      // statistics, which it takes in FLOAT32: hence tolerances of float rounding)
      Tensor x32 = new Tensor(xa).requiresGrad(true);
      Tensor w1 = new Tensor(wa).requiresGrad(true);
      Tensor b1 = new Tensor(ba).requiresGrad(true);
      Tensor mixed = F.batchNorm(x32, mean, var, w1, b1, training, 0.1, 1e-5);
      assertEquals(DType.FLOAT64, mixed.dtype());
      mixed.backward(new Tensor(ga.to(DType.FLOAT64)));
      // the one-node op on the same values in FLOAT64
      Tensor x64 = new Tensor(xa.to(DType.FLOAT64)).requiresGrad(true);
      Tensor w2 = new Tensor(wa).requiresGrad(true);
      Tensor b2 = new Tensor(ba).requiresGrad(true);
      Tensor same = F.batchNorm(x64, mean, var, w2, b2, training, 0.1, 1e-5);
      assertEquals("BatchNormBackward", same.gradFn().name());
      same.backward(new Tensor(ga.to(DType.FLOAT64)));
      String what = training ? "training" : "evaluation";
      assertArrayEquals(same.data().toDoubleArray(), mixed.data().toDoubleArray(), 1e-6, what);
      assertArrayEquals(
          x64.grad().data().toDoubleArray(), x32.grad().data().toDoubleArray(), 1e-5, what);
      assertArrayEquals(
          w2.grad().data().toDoubleArray(), w1.grad().data().toDoubleArray(), 1e-5, what);
      assertArrayEquals(
          b2.grad().data().toDoubleArray(), b1.grad().data().toDoubleArray(), 1e-5, what);
    }
  }
}
