/** Optimizers, learning-rate schedulers and gradient clipping over {@code Iterable<Tensor>}. */
module dev.jgrad.optim {
  // Optimizers take Tensor parameters; stateDict uses NDArray.
  requires transitive dev.jgrad.autograd;
  requires transitive dev.jgrad.tensor;
  // The fused update kernels.
  requires jdk.incubator.vector;

  exports dev.jgrad.optim;
}
