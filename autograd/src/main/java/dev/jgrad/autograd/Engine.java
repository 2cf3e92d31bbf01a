package dev.jgrad.autograd;

import dev.jgrad.tensor.NDArray;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation: a topological sort of the recorded graph and one reverse pass, both
 * iterative, so a chain of any length backpropagates without recursion.
 */
final class Engine {
  private Engine() {}

  static void backward(Tensor root, Tensor gradient, boolean retainGraph, boolean createGraph) {
    if (!root.requiresGrad()) {
      throw new IllegalStateException(
          "backward: the tensor does not require grad and has no gradFn; call requiresGrad(true)"
              + " on the leaves you want gradients for before computing it");
    }
    Tensor seed = seedGradient(root, gradient);
    run(new Tensor[] {root}, new Tensor[] {seed}, retainGraph, createGraph, null);
  }

  static Tensor seedGradient(Tensor root, Tensor gradient) {
    if (gradient == null) {
      if (root.numel() != 1) {
        throw new IllegalStateException(
            "backward: a gradient can be implied only for one-element outputs, got shape "
                + Arrays.toString(root.shape())
                + "; pass backward(gradient) with a tensor of that shape (e.g. ones)");
      }
      return new Tensor(NDArray.onesLike(root.data()));
    }
    if (!Arrays.equals(gradient.shape(), root.shape())) {
      throw new IllegalArgumentException(
          "backward: gradient of shape "
              + Arrays.toString(gradient.shape())
              + " does not match the output's shape "
              + Arrays.toString(root.shape()));
    }
    return gradient;
  }

  /**
   * Propagates {@code rootGrads} from {@code roots} back through the graph. With {@code wanted}
   * null, gradients accumulate into the leaves' (and retained non-leaves') {@code grad}; otherwise
   * the gradients of the wanted tensors are returned and no {@code grad} is touched.
   */
  static Map<Tensor, Tensor> run(
      Tensor[] roots,
      Tensor[] rootGrads,
      boolean retainGraph,
      boolean createGraph,
      Set<Tensor> wanted) {
    List<Tensor> order = topologicalOrder(roots);
    Map<Tensor, Tensor> pending = new IdentityHashMap<>();
    for (int i = 0; i < roots.length; i++) {
      pending.merge(roots[i], rootGrads[i], Tensor::add);
    }
    // Pending gradients whose storage nothing else refers to: a leaf may adopt them without a copy.
    Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
    Map<Tensor, Tensor> found = new IdentityHashMap<>();
    boolean anomaly = Autograd.isAnomalyEnabled();
    try (GradMode.Scope scope = GradMode.set(createGraph)) {
      for (int t = order.size() - 1; t >= 0; t--) {
        Tensor tensor = order.get(t);
        Tensor g = pending.remove(tensor);
        if (g == null) {
          continue;
        }
        boolean adoptable = owned.remove(g);
        g = tensor.applyHooks(g);
        if (wanted != null) {
          if (wanted.contains(tensor)) {
            found.merge(tensor, g, Tensor::add);
          }
        } else if (tensor.retainsGrad()) {
          tensor.accumulateGrad(g, createGraph, adoptable && tensor.node() == null);
        }
        Node node = tensor.node();
        if (node == null) {
          continue;
        }
        if (node.isFreed()) {
          throw new IllegalStateException(
              "Trying to backward through the graph a second time (or to read saved tensors after"
                  + " they were freed): "
                  + node.name()
                  + " was already used by an earlier backward. Specify retainGraph=true on the"
                  + " first backward if you need to backward through the graph again.");
        }
        node.checkVersions(tensor);
        Tensor[] given = new Tensor[node.inputs.length];
        for (int i = 0; i < node.inputs.length; i++) {
          Tensor input = node.inputs[i];
          if (!input.requiresGrad()) {
            continue;
          }
          Tensor gi = node.formula(i).apply(g, tensor);
          if (gi == null) {
            continue;
          }
          if (!Arrays.equals(gi.shape(), input.shape())) {
            gi = sumTo(node, i, gi, input.shape()); // undo broadcasting
          }
          if (gi.dtype() != input.dtype()) {
            gi = gi.to(input.dtype());
          }
          if (anomaly) {
            checkFinite(node, i, gi);
          }
          boolean fresh = isFresh(node, gi, g, tensor, input);
          for (int j = 0; j < i; j++) {
            if (given[j] != null && given[j].data().sharesStorage(gi.data())) {
              fresh = false; // one array handed to two inputs
              owned.remove(given[j]);
            }
          }
          given[i] = gi;
          Tensor before = pending.get(input);
          if (before == null) {
            pending.put(input, gi);
            if (fresh) {
              owned.add(gi);
            }
          } else {
            owned.remove(before);
            Tensor sum = before.add(gi);
            pending.put(input, sum);
            owned.add(sum); // a new array from the add
          }
        }
        if (!retainGraph) {
          node.free();
        }
      }
    }
    return found;
  }

  /**
   * True when a built-in formula's result {@code gi} has storage of its own: built-in formulas
   * return the incoming gradient, a view of it, or a newly computed array, so storage that is not
   * the incoming gradient's (nor the op's input's or output's) belongs to nobody else. A dense
   * layout is required too: an expanded view repeats elements and cannot become a gradient.
   */
  private static boolean isFresh(Node node, Tensor gi, Tensor g, Tensor output, Tensor input) {
    NDArray d = gi.data();
    return !node.custom
        && !GradMode.isEnabled() // with createGraph the gradient is a graph node itself
        && d.isContiguous()
        && !d.sharesStorage(g.data())
        && !d.sharesStorage(output.data())
        && !d.sharesStorage(input.data());
  }

  /**
   * A gradient summed back over broadcasting to its input's shape. Only a custom Function can
   * return one that does not reduce to it; that is its error, named as PyTorch names it.
   */
  private static Tensor sumTo(Node node, int input, Tensor gi, int[] shape) {
    try {
      return gi.sumTo(shape);
    } catch (IllegalArgumentException e) {
      if (!node.custom) {
        throw e;
      }
      throw new IllegalStateException(
          String.format(
              "%s returned a gradient of shape %s for input %d of shape %s",
              node.name(), Arrays.toString(gi.shape()), input, Arrays.toString(shape)),
          e);
    }
  }

  private static void checkFinite(Node node, int input, Tensor gi) {
    for (double v : gi.data().toDoubleArray()) {
      if (!Double.isFinite(v)) {
        throw new IllegalStateException(
            String.format(
                "Function '%s' returned %s values in its gradient for input %d (shape %s)",
                node.name(), Double.isNaN(v) ? "nan" : "inf", input, Arrays.toString(gi.shape())),
            node.creation);
      }
    }
  }

  /** Tensors that require grad, reachable from the roots, inputs before the ops that use them. */
  static List<Tensor> topologicalOrder(Tensor[] roots) {
    List<Tensor> order = new ArrayList<>();
    Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Tensor> stack = new ArrayDeque<>();
    ArrayDeque<int[]> next = new ArrayDeque<>();
    for (Tensor root : roots) {
      if (!root.requiresGrad() || !visited.add(root)) {
        continue;
      }
      stack.push(root);
      next.push(new int[1]);
      while (!stack.isEmpty()) {
        Tensor t = stack.peek();
        int[] cursor = next.peek();
        Node node = t.node();
        Tensor child = null;
        while (node != null && cursor[0] < node.inputs.length) {
          Tensor candidate = node.inputs[cursor[0]++];
          if (candidate.requiresGrad() && visited.add(candidate)) {
            child = candidate;
            break;
          }
        }
        if (child != null) {
          stack.push(child);
          next.push(new int[1]);
        } else {
          stack.pop();
          next.pop();
          order.add(t);
        }
      }
    }
    return order;
  }
}
