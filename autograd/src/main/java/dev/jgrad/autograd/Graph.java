package dev.jgrad.autograd;

import dev.jgrad.tensor.NDArray;

/**
 * Where the graph grows: every rule wraps its kernel's result here, and when grad mode is on and an
 * input requires grad, the op is recorded as a {@link Node} with one gradient formula per input.
 * Nothing else creates a Node. Recording is cheap: nothing at all is allocated for the graph when
 * grad mode is off or no input requires grad, and one Node (with its input and formula arrays)
 * otherwise.
 *
 * <pre>{@code
 * // d/dx eˣ = eˣ: the formula reads the saved output
 * static Tensor exp(Tensor x) {
 *   return Graph.record("Exp", x.data().exp(), Saves.OUTPUT, x, (g, out) -> g.mul(out));
 * }
 * }</pre>
 */
final class Graph {
  /**
   * What an op's formulas read besides the incoming gradient. Backward checks that these tensors
   * were not changed in place since the op was recorded (their version counters).
   */
  enum Saves {
    NOTHING(false, false),
    INPUTS(true, false),
    OUTPUT(false, true),
    INPUTS_AND_OUTPUT(true, true);

    final boolean inputs;
    final boolean output;

    Saves(boolean inputs, boolean output) {
      this.inputs = inputs;
      this.output = output;
    }
  }

  private static final Tensor[] NONE = new Tensor[0];

  private Graph() {}

  /** An op of one input: {@code dx} maps the output's gradient to the input's. */
  static Tensor record(String op, NDArray result, Saves saves, Tensor x, Formula dx) {
    if (!x.requiresGrad() || !GradMode.isEnabled()) {
      return new Tensor(result);
    }
    return recorded(op, result, saves, null, new Tensor[] {x}, new Formula[] {dx});
  }

  /** An op of two inputs, one formula each. */
  static Tensor record(
      String op, NDArray result, Saves saves, Tensor a, Tensor b, Formula da, Formula db) {
    if (!(a.requiresGrad() || b.requiresGrad()) || !GradMode.isEnabled()) {
      return new Tensor(result);
    }
    return recorded(op, result, saves, null, new Tensor[] {a, b}, new Formula[] {da, db});
  }

  /** An op of three inputs, one formula each. */
  static Tensor record(
      String op,
      NDArray result,
      Saves saves,
      Tensor a,
      Tensor b,
      Tensor c,
      Formula da,
      Formula db,
      Formula dc) {
    if (!(a.requiresGrad() || b.requiresGrad() || c.requiresGrad()) || !GradMode.isEnabled()) {
      return new Tensor(result);
    }
    return recorded(op, result, saves, null, new Tensor[] {a, b, c}, new Formula[] {da, db, dc});
  }

  /** An op of any number of inputs; {@code formulas[i]} is the formula of {@code inputs[i]}. */
  static Tensor record(
      String op, NDArray result, Saves saves, Tensor[] inputs, Formula[] formulas) {
    if (!anyRequiresGrad(inputs) || !GradMode.isEnabled()) {
      return new Tensor(result);
    }
    return recorded(op, result, saves, null, inputs, formulas);
  }

  /**
   * A view of {@code x}: when {@code result} shares x's storage, it shares x's version counter too,
   * so that an in-place change through either one is seen by backward through both.
   */
  static Tensor view(String op, NDArray result, Tensor x, Formula dx) {
    int[] version = result.sharesStorage(x.data()) ? x.versionCounter() : new int[1];
    if (!x.requiresGrad() || !GradMode.isEnabled()) {
      return new Tensor(result, null, false, version);
    }
    return recorded(op, result, Saves.NOTHING, version, new Tensor[] {x}, new Formula[] {dx});
  }

  /**
   * A user-defined op (see {@link Function}): its formulas run user code, so what they return may
   * be referenced elsewhere and is never adopted as a leaf's gradient without a copy.
   */
  static Tensor recordCustom(String op, NDArray result, Tensor[] inputs, Formula[] formulas) {
    Tensor out = record(op, result, Saves.INPUTS, inputs, formulas);
    if (out.node() != null) {
      out.node().custom = true;
    }
    return out;
  }

  /** A tensor that never requires grad, for masks and other constants in formulas. */
  static Tensor constant(NDArray a) {
    return new Tensor(a);
  }

  private static boolean anyRequiresGrad(Tensor[] inputs) {
    for (Tensor t : inputs) {
      if (t.requiresGrad()) {
        return true;
      }
    }
    return false;
  }

  private static Tensor recorded(
      String op, NDArray result, Saves saves, int[] version, Tensor[] inputs, Formula[] formulas) {
    Node node = new Node(op, inputs, formulas, saves.inputs ? inputs : NONE, saves.output);
    Tensor out = new Tensor(result, node, true, version != null ? version : new int[1]);
    node.outputVersion = out.version();
    return out;
  }
}
