package dev.jgrad.autograd;

import dev.jgrad.tensor.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * A user-defined differentiable op: write the forward on values and the backward by hand, like
 * {@code torch.autograd.Function}.
 *
 * <pre>{@code
 * // y = x³ with its derivative 3x²
 * class Cube extends Function {
 *   protected Tensor forward(Context ctx, Tensor... in) {
 *     ctx.saveForBackward(in[0]);
 *     return in[0].mul(in[0]).mul(in[0]);
 *   }
 *   protected Tensor[] backward(Context ctx, Tensor grad) {
 *     Tensor x = ctx.saved().get(0);
 *     return new Tensor[] {grad.mul(x.square()).mul(3)};
 *   }
 * }
 * Tensor y = new Cube().apply(x);
 * }</pre>
 *
 * <p>Forward runs with grad mode off, so a tensor it computes and saves is a constant to the graph.
 * For higher-order gradients, save the inputs and compute what backward needs from them with Tensor
 * ops, as above.
 */
public abstract class Function {
  /** For subclasses. */
  protected Function() {}

  /** What forward leaves for backward. */
  public static final class Context {
    private final List<Tensor> saved = new ArrayList<>();

    Context() {} // made by Function.apply for each call

    /** Keeps tensors for the backward pass. */
    public void saveForBackward(Tensor... tensors) {
      saved.addAll(List.of(tensors));
    }

    /** The tensors saved by forward, in order. */
    public List<Tensor> saved() {
      return List.copyOf(saved);
    }
  }

  /** Computes the output; runs with grad mode off, so nothing inside is recorded. */
  protected abstract Tensor forward(Context ctx, Tensor... inputs);

  /**
   * The gradient for each input given the output's gradient (null for an input that gets none).
   * Written with Tensor ops, it is differentiable again under {@code createGraph}.
   */
  protected abstract Tensor[] backward(Context ctx, Tensor gradOutput);

  /** The op's name in gradFn and graph exports; the class's simple name by default. */
  protected String name() {
    return getClass().getSimpleName().isEmpty() ? "Custom" : getClass().getSimpleName();
  }

  /**
   * Runs forward and records the op so that backward reaches the inputs.
   *
   * @throws IllegalStateException naming this Function if forward returns null (and, during
   *     backward, if backward returns null or the wrong number of gradients)
   */
  public final Tensor apply(Tensor... inputs) {
    Context ctx = new Context();
    Tensor out;
    try (GradMode.Scope scope = GradMode.set(false)) {
      out = forward(ctx, inputs);
    }
    if (out == null) {
      throw new IllegalStateException(
          name() + ".forward returned null instead of its output tensor");
    }
    NDArray result = out.data();
    Formula[] formulas = new Formula[inputs.length];
    Tensor[][] cache = new Tensor[1][];
    Tensor[] cachedFor = new Tensor[1];
    for (int i = 0; i < inputs.length; i++) {
      int index = i;
      formulas[i] =
          (g, o) -> {
            if (cachedFor[0] != g) { // one backward call serves every input
              cache[0] = backward(ctx, g);
              cachedFor[0] = g;
              if (cache[0] == null || cache[0].length != inputs.length) {
                throw new IllegalStateException(
                    name()
                        + ".backward returned "
                        + (cache[0] == null ? "null" : cache[0].length + " gradients")
                        + " for "
                        + inputs.length
                        + " inputs");
              }
            }
            return cache[0][index];
          };
    }
    return Graph.recordCustom(name(), result, inputs, formulas);
  }
}
