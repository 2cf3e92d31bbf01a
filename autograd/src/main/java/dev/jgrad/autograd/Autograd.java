package dev.jgrad.autograd;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Entry points beside {@link Tensor#backward()}: gradients of chosen inputs (like {@code
 * torch.autograd.grad}), anomaly detection and Graphviz export.
 *
 * <pre>{@code
 * Tensor y = x.pow(3).sum();
 * Tensor dx = Autograd.grad(y, x, true)[0];          // 3x², itself differentiable
 * Tensor d2x = Autograd.grad(dx.sum(), x, false)[0]; // 6x
 * }</pre>
 */
public final class Autograd {
  private static volatile boolean anomaly;

  private Autograd() {}

  /**
   * Turns anomaly mode on or off: when on, each op remembers where its forward was called and
   * backward stops at the first NaN or infinite gradient, naming the op.
   */
  public static void detectAnomaly(boolean enabled) {
    anomaly = enabled;
  }

  /** True while anomaly mode is on. */
  public static boolean isAnomalyEnabled() {
    return anomaly;
  }

  /** d output / d inputs for a one-element output, without touching any {@code grad}. */
  public static Tensor[] grad(Tensor output, Tensor input, boolean createGraph) {
    return grad(new Tensor[] {output}, new Tensor[] {input}, null, createGraph, createGraph, false);
  }

  /**
   * The gradients of {@code outputs} (weighted by {@code gradOutputs}; null means ones for
   * one-element outputs) with respect to each of {@code inputs}, like {@code torch.autograd.grad}.
   * Leaves' {@code grad} fields are left alone.
   *
   * @param allowUnused when false, an input the outputs do not depend on is an error; when true its
   *     gradient is zeros
   */
  public static Tensor[] grad(
      Tensor[] outputs,
      Tensor[] inputs,
      Tensor[] gradOutputs,
      boolean retainGraph,
      boolean createGraph,
      boolean allowUnused) {
    Tensor[] seeds = new Tensor[outputs.length];
    for (int i = 0; i < outputs.length; i++) {
      if (!outputs[i].requiresGrad()) {
        throw new IllegalStateException(
            "grad: output " + i + " does not require grad and has no gradFn");
      }
      seeds[i] = Engine.seedGradient(outputs[i], gradOutputs == null ? null : gradOutputs[i]);
    }
    Set<Tensor> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Tensor input : inputs) {
      if (!input.requiresGrad()) {
        throw new IllegalArgumentException("grad: an input does not require grad");
      }
      wanted.add(input);
    }
    Map<Tensor, Tensor> found = Engine.run(outputs, seeds, retainGraph, createGraph, wanted);
    Tensor[] result = new Tensor[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      Tensor g = found.get(inputs[i]);
      if (g == null) {
        if (!allowUnused) {
          throw new IllegalArgumentException(
              "grad: input "
                  + i
                  + " was not used to compute the outputs; pass allowUnused=true to get zeros");
        }
        g = Tensor.zerosLike(inputs[i]);
      }
      result[i] = g;
    }
    return result;
  }

  /**
   * The graph behind {@code root} in Graphviz DOT: one box per op (its backward name) and per leaf,
   * with shapes, edges from inputs to the ops that use them.
   */
  public static String toDot(Tensor root) {
    StringBuilder sb =
        new StringBuilder("digraph jgrad {\n  node [shape=box, fontname=monospace];\n");
    Map<Tensor, Integer> ids = new IdentityHashMap<>();
    List<Tensor> order = Engine.topologicalOrder(new Tensor[] {root});
    if (order.isEmpty()) {
      order = List.of(root);
    }
    for (Tensor t : order) {
      int id = ids.size();
      ids.put(t, id);
      String label =
          (t.gradFn() != null ? t.gradFn().name() : "leaf")
              + "\\n"
              + java.util.Arrays.toString(t.shape())
              + " "
              + t.dtype();
      sb.append(
          String.format(
              "  t%d [label=\"%s\"%s];%n", id, label, t.isLeaf() ? ", style=rounded" : ""));
    }
    for (Tensor t : order) {
      if (t.gradFn() == null) {
        continue;
      }
      for (Tensor input : t.gradFn().inputs()) {
        Integer from = ids.get(input);
        if (from != null) {
          sb.append(String.format("  t%d -> t%d;%n", from, ids.get(t)));
        }
      }
    }
    return sb.append("}\n").toString();
  }
}
