package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.NDArray;

/**
 * What PyTorch's {@code nn.Parameter(data)} is here. Parameters are plain leaf {@link Tensor}s that
 * require grad (Tensor is final, so there is no subclass as in PyTorch); this class makes one. A
 * module's own parameters need no call to it: {@code registerParameter} makes the tensor require
 * grad.
 *
 * <pre>{@code
 * Tensor w = Parameter.of(NDArray.zeros(10, 5));   // w.requiresGrad() == true, w.isLeaf() == true
 * var opt = new SGD(List.of(w), 0.1);               // trains a bare tensor, outside any module
 * }</pre>
 */
public final class Parameter {
  private Parameter() {}

  /**
   * A leaf tensor over {@code data} (not copied: an optimizer step changes {@code data}) that
   * requires grad.
   *
   * @throws IllegalArgumentException if {@code data} is not floating-point
   */
  public static Tensor of(NDArray data) {
    return new Tensor(data).requiresGrad(true);
  }
}
