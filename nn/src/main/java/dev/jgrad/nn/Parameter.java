package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.NDArray;

/**
 * Parameters are plain leaf {@link Tensor}s that require grad (Tensor is final, so there is no
 * subclass as in PyTorch); this class makes one. Modules register theirs with {@code
 * registerParameter}.
 *
 * <pre>{@code
 * Tensor w = Parameter.of(NDArray.zeros(10, 5));   // w.requiresGrad() == true, w.isLeaf() == true
 * }</pre>
 */
public final class Parameter {
  private Parameter() {}

  /** A leaf tensor over {@code data} (not copied) that requires grad. */
  public static Tensor of(NDArray data) {
    return new Tensor(data).requiresGrad(true);
  }
}
