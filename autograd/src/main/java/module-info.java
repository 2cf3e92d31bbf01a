/**
 * Reverse-mode automatic differentiation: {@code Tensor} (an {@code NDArray} with a gradient and
 * the op that made it), the backward engine, every op's gradient formula, and their kernels.
 */
module dev.jgrad.autograd {
  // Tensor's API takes and returns NDArray, so its users read dev.jgrad.tensor too.
  requires transitive dev.jgrad.tensor;
  // The fused gradient kernels.
  requires jdk.incubator.vector;

  exports dev.jgrad.autograd;
}
