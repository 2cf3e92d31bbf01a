package dev.jgrad.autograd;

import dev.jgrad.autograd.Graph.Saves;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.ValuesAndIndices;

/**
 * 2-D pooling. Max pooling picks one input per window, so its gradient scatters g to the recorded
 * indices (scatter-add, whose own gradient is the gather at those indices). Average poolings are
 * linear maps A: the gradient of A is its adjoint Aᵀ, and the gradient of Aᵀ is A, so each pair is
 * recorded as two ops that are each other's gradient and every order of derivative stays exact.
 */
final class PoolingRules {
  private PoolingRules() {}

  /** The window maxima and their plane indices: g goes back to the indices, the rest gets 0. */
  static IndexedValues maxPool2d(
      Tensor x, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
    ValuesAndIndices found = x.data().maxPool2d(kernelSize, stride, padding, dilation, ceilMode);
    Tensor indices = Graph.constant(found.indices());
    int[] inShape = x.shape();
    DType dt = found.values().dtype();
    Tensor values =
        Graph.record(
            "MaxPool2d",
            found.values(),
            Saves.NOTHING,
            x,
            (g, out) -> scatterIntoPlanes(g, indices, inShape, dt));
    return new IndexedValues(values, indices);
  }

  /**
   * A zero array of {@code inShape} with g added at the plane indices: each (n, c) plane is
   * flattened to H·W and g scatter-added along that dim.
   */
  static Tensor scatterIntoPlanes(Tensor g, Tensor indices, int[] inShape, DType dt) {
    int r = inShape.length;
    int[] planes = java.util.Arrays.copyOf(inShape, r - 1);
    planes[r - 2] = inShape[r - 2] * inShape[r - 1];
    return IndexingRules.scatterAddIntoZeros(
            dt, planes, r - 2, indices.flatten(r - 2, r - 1), g.flatten(r - 2, r - 1))
        .reshape(inShape);
  }

  /** The window means, linear: d/dx = the adjoint applied to g. */
  static Tensor avgPool2d(
      Tensor x,
      int[] kernelSize,
      int[] stride,
      int[] padding,
      boolean ceilMode,
      boolean countIncludePad) {
    NDArray pooled = x.data().avgPool2d(kernelSize, stride, padding, ceilMode, countIncludePad);
    int inH = x.shape()[x.dim() - 2]; // x is 3-D or 4-D: the pooling checked
    int inW = x.shape()[x.dim() - 1];
    return Graph.record(
        "AvgPool2d",
        pooled,
        Saves.NOTHING,
        x,
        (g, out) ->
            avgPool2dAdjoint(g, inH, inW, kernelSize, stride, padding, ceilMode, countIncludePad));
  }

  /** The adjoint of avgPool2d, linear too: its gradient is avgPool2d of g. */
  static Tensor avgPool2dAdjoint(
      Tensor y,
      int inH,
      int inW,
      int[] kernelSize,
      int[] stride,
      int[] padding,
      boolean ceilMode,
      boolean countIncludePad) {
    NDArray spread =
        y.data().avgPool2dAdjoint(inH, inW, kernelSize, stride, padding, ceilMode, countIncludePad);
    return Graph.record(
        "AvgPool2dAdjoint",
        spread,
        Saves.NOTHING,
        y,
        (g, out) -> avgPool2d(g, kernelSize, stride, padding, ceilMode, countIncludePad));
  }

  /** The adaptive window means: d/dx = the adjoint applied to g. */
  static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
    NDArray pooled = x.data().adaptiveAvgPool2d(outH, outW);
    int inH = x.shape()[x.dim() - 2]; // x is 3-D or 4-D: the pooling checked
    int inW = x.shape()[x.dim() - 1];
    return Graph.record(
        "AdaptiveAvgPool2d",
        pooled,
        Saves.NOTHING,
        x,
        (g, out) -> adaptiveAvgPool2dAdjoint(g, inH, inW));
  }

  /** The adjoint of adaptiveAvgPool2d: its gradient is adaptiveAvgPool2d of g. */
  static Tensor adaptiveAvgPool2dAdjoint(Tensor y, int inH, int inW) {
    NDArray spread = y.data().adaptiveAvgPool2dAdjoint(inH, inW);
    int outH = y.shape()[y.dim() - 2]; // y is 3-D or 4-D: the adjoint checked
    int outW = y.shape()[y.dim() - 1];
    return Graph.record(
        "AdaptiveAvgPool2dAdjoint",
        spread,
        Saves.NOTHING,
        y,
        (g, out) -> adaptiveAvgPool2d(g, outH, outW));
  }
}
