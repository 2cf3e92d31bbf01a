package dev.jgrad.autograd;

import java.util.List;

/**
 * One recorded op: its inputs, one gradient formula per input, and the tensors the formulas read
 * with the versions they had when recorded, so that an in-place change is caught at backward time.
 */
final class Node implements GradFn {
  final String op;
  final Tensor[] inputs;
  private Formula[] formulas;
  private Tensor[] saved;
  private int[] savedVersions;
  private final boolean savesOutput;
  int outputVersion;
  final Throwable creation;

  /** A user-defined {@link Function}: what its backward returns may be referenced elsewhere. */
  boolean custom;

  Node(String op, Tensor[] inputs, Formula[] formulas, Tensor[] saved, boolean savesOutput) {
    this.op = op;
    this.inputs = inputs;
    this.formulas = formulas;
    this.saved = saved;
    this.savesOutput = savesOutput;
    this.savedVersions = new int[saved.length];
    for (int i = 0; i < saved.length; i++) {
      savedVersions[i] = saved[i].version();
    }
    this.creation =
        Autograd.isAnomalyEnabled()
            ? new Throwable("the forward call of " + op + " was here")
            : null;
  }

  @Override
  public String name() {
    return op + "Backward";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(inputs);
  }

  boolean isFreed() {
    return formulas == null;
  }

  Formula formula(int i) {
    return formulas[i];
  }

  /** Drops the formulas and what they captured, after a backward without retainGraph. */
  void free() {
    formulas = null;
    saved = null;
    savedVersions = null;
  }

  /** Fails if a tensor this op saved for backward was modified in place since. */
  void checkVersions(Tensor output) {
    for (int i = 0; i < saved.length; i++) {
      if (saved[i].version() != savedVersions[i]) {
        throw modified(saved[i], savedVersions[i]);
      }
    }
    if (savesOutput && output.version() != outputVersion) {
      throw modified(output, outputVersion);
    }
  }

  private IllegalStateException modified(Tensor t, int expected) {
    return new IllegalStateException(
        String.format(
            "one of the tensors needed for gradient computation has been modified by an in-place"
                + " operation: the %s tensor of shape %s saved by %s is at version %d; expected"
                + " version %d. Use an out-of-place op, or clone() the tensor before changing it.",
            t.dtype(), java.util.Arrays.toString(t.shape()), name(), t.version(), expected));
  }

  @Override
  public String toString() {
    return "<" + name() + ">";
  }
}
