/**
 * N-dimensional arrays ({@code NDArray}) and their SIMD kernels, in the manner of numpy.
 *
 * <p>{@code dev.jgrad.tensor.kernel} holds the building blocks that the kernels of jgrad's own
 * modules use (dense storage, polynomial exp/log/tanh, shape arithmetic); it is exported only to
 * them, so it is not API.
 */
// The qualified export names modules that are compiled after this one ("module not found").
@SuppressWarnings("module")
module dev.jgrad.tensor {
  requires jdk.incubator.vector;

  exports dev.jgrad.tensor;
  exports dev.jgrad.tensor.kernel to
      dev.jgrad.autograd,
      dev.jgrad.optim;
}
