package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;
import dev.jgrad.tensor.kernel.VectorMath;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused kernels for gradient formulas: one pass and one result array where the formula written with
 * array ops would take several (as PyTorch's {@code sigmoid_backward} and {@code
 * threshold_backward} do). Each computes exactly what its composed formula computes, element by
 * element in the same order; operands of other layouts, dtypes or shapes take the composed ops.
 *
 * <pre>{@code
 * NDArray y = x.sigmoid();
 * NDArray dx = GradKernels.sigmoidBackward(dy, y); // dy·(y·(1 − y))
 * }</pre>
 */
public final class GradKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  /** log p is clamped at this value in binary cross-entropy, as in PyTorch. */
  public static final float BCE_LOG_MIN = -100f;

  /** The smallest p·(1 − p) the binary cross-entropy gradient divides by, as in PyTorch. */
  public static final float BCE_EPSILON = 1e-12f;

  private GradKernels() {}

  /** True when every array is FLOAT32, contiguous and of the first one's shape. */
  private static boolean denseFloats(NDArray... arrays) {
    for (NDArray a : arrays) {
      if (a.dtype != DType.FLOAT32
          || !a.isContiguous()
          || !Arrays.equals(a.shape, arrays[0].shape)) {
        return false;
      }
    }
    return true;
  }

  /** The gradient of a sigmoid through its output y: {@code g·(y·(1 − y))}. */
  public static NDArray sigmoidBackward(NDArray g, NDArray y) {
    if (!denseFloats(g, y)) {
      return g.mul(y.mul(y.neg().add(1)));
    }
    NDArray out = NDArray.empty(DType.FLOAT32, g.shape);
    float[] gd = (float[]) g.data;
    float[] yd = (float[]) y.data;
    float[] od = (float[]) out.data;
    int go = g.offset;
    int yo = y.offset;
    int n = out.numel();
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += S.length()) {
      FloatVector yv = FloatVector.fromArray(S, yd, yo + i);
      FloatVector.fromArray(S, gd, go + i).mul(yv.mul(yv.neg().add(1f))).intoArray(od, i);
    }
    for (; i < n; i++) {
      float yi = yd[yo + i];
      od[i] = gd[go + i] * (yi * (-yi + 1f));
    }
    return out;
  }

  /**
   * The gradient of a ReLU through its output y ≥ 0: {@code g·sign(y)}, i.e. g where y > 0, 0·g
   * where y = 0 (NaN stays NaN).
   */
  public static NDArray reluBackward(NDArray g, NDArray y) {
    if (!denseFloats(g, y)) {
      return g.mul(y.sign());
    }
    NDArray out = NDArray.empty(DType.FLOAT32, g.shape);
    float[] gd = (float[]) g.data;
    float[] yd = (float[]) y.data;
    float[] od = (float[]) out.data;
    int go = g.offset;
    int yo = y.offset;
    int n = out.numel();
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += S.length()) {
      FloatVector yv = FloatVector.fromArray(S, yd, yo + i);
      // sign(y) for y ≥ 0: 1 where y > 0, y itself (0 or NaN) elsewhere
      FloatVector sign = yv.blend(1f, yv.compare(VectorOperators.GT, 0f));
      FloatVector.fromArray(S, gd, go + i).mul(sign).intoArray(od, i);
    }
    for (; i < n; i++) {
      od[i] = gd[go + i] * Math.signum(yd[yo + i]);
    }
    return out;
  }

  /**
   * The gradient of a log-softmax over {@code dim} through its output o: {@code g − e^o·Σ_dim g}.
   * Fused for contiguous FLOAT32 rows (dim last): the exps of all rows in one SIMD pass.
   */
  public static NDArray logSoftmaxBackward(NDArray g, NDArray o, int dim) {
    int last = o.rank() - 1;
    if (!denseFloats(g, o)
        || last < 0
        || Shapes.normalizeDim("logSoftmax", dim, o.rank()) != last) {
      return g.sub(o.exp().mul(g.sum(dim, true)));
    }
    NDArray out = NDArray.empty(DType.FLOAT32, o.shape);
    float[] gd = (float[]) g.data;
    float[] od = (float[]) out.data;
    int n = o.shape[last];
    int total = o.numel();
    VectorMath.exp((float[]) o.data, o.offset, 1f, 0f, od, 0, total);
    for (int r = 0; n > 0 && r < total; r += n) {
      float sum = 0f + Reductions.reduceRow(Reductions.Combine.SUM, gd, g.offset + r, 1, n);
      for (int i = r; i < r + n; i++) {
        od[i] = gd[g.offset + i] - od[i] * sum;
      }
    }
    return out;
  }

  /**
   * Elementwise binary cross-entropy of probabilities p against targets y: {@code −(y·max(log p,
   * −100) + (1 − y)·max(log(1 − p), −100))}.
   *
   * @throws IllegalArgumentException if p and y differ in shape or some p is outside [0, 1]
   */
  public static NDArray binaryCrossEntropy(NDArray p, NDArray y) {
    checkShapes(p, y);
    if (!denseFloats(p, y)) {
      if (p.numel() > 0 && (p.min().item() < 0 || p.max().item() > 1)) {
        throw notProbabilities();
      }
      NDArray logP = p.log().clampMin(BCE_LOG_MIN);
      NDArray log1mP = p.neg().add(1).log().clampMin(BCE_LOG_MIN);
      return y.mul(logP).add(y.neg().add(1).mul(log1mP)).neg();
    }
    float[] pd = (float[]) p.data;
    float[] yd = (float[]) y.data;
    int n = p.numel();
    float[] log1mP = new float[n];
    for (int i = 0; i < n; i++) {
      float pi = pd[p.offset + i];
      if (pi < 0 || pi > 1) {
        throw notProbabilities();
      }
      log1mP[i] = -pi + 1f;
    }
    NDArray out = NDArray.empty(DType.FLOAT32, p.shape);
    float[] od = (float[]) out.data;
    VectorMath.log(pd, p.offset, od, 0, n); // log p here, then the loss in place
    VectorMath.log(log1mP, 0, log1mP, 0, n);
    for (int i = 0; i < n; i++) {
      float yi = yd[y.offset + i];
      float logP = Math.max(od[i], BCE_LOG_MIN);
      od[i] = -(yi * logP + (-yi + 1f) * Math.max(log1mP[i], BCE_LOG_MIN));
    }
    return out;
  }

  /**
   * The gradient of {@link #binaryCrossEntropy} with respect to p: {@code g·(p − y) / max(p·(1 −
   * p), 1e-12)}.
   */
  public static NDArray binaryCrossEntropyBackward(NDArray g, NDArray p, NDArray y) {
    if (!denseFloats(g, p, y)) {
      return g.mul(p.sub(y)).div(p.mul(p.neg().add(1)).clampMin(BCE_EPSILON));
    }
    NDArray out = NDArray.empty(DType.FLOAT32, p.shape);
    float[] gd = (float[]) g.data;
    float[] pd = (float[]) p.data;
    float[] yd = (float[]) y.data;
    float[] od = (float[]) out.data;
    for (int i = 0; i < od.length; i++) {
      float pi = pd[p.offset + i];
      od[i] = gd[g.offset + i] * (pi - yd[y.offset + i]) / Math.max(pi * (-pi + 1f), BCE_EPSILON);
    }
    return out;
  }

  private static IllegalArgumentException notProbabilities() {
    return new IllegalArgumentException(
        "binaryCrossEntropy: input values must be probabilities in [0, 1]; use"
            + " binaryCrossEntropyWithLogits for raw scores");
  }

  private static void checkShapes(NDArray p, NDArray y) {
    if (!Arrays.equals(p.shape, y.shape)) {
      throw new IllegalArgumentException(
          "binaryCrossEntropy: input of shape "
              + Shapes.toString(p.shape)
              + " and target of shape "
              + Shapes.toString(y.shape)
              + " must have the same shape");
    }
  }
}
