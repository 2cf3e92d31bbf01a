/** Neural-network modules, layers, losses, initialisation, save/load, and data loading. */
module dev.jgrad.nn {
  // Module.forward takes and returns Tensor; stateDict, datasets and Safetensors use NDArray.
  requires transitive dev.jgrad.autograd;
  requires transitive dev.jgrad.tensor;

  exports dev.jgrad.nn;
  exports dev.jgrad.nn.data;
}
