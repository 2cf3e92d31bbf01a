package dev.jgrad.optim;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients. Subclasses implement {@link #update} for one parameter;
 * the base class runs it under noGrad, keeps per-parameter state, and saves and restores everything
 * so that training resumes exactly.
 *
 * <pre>{@code
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * Map<String, NDArray> saved = opt.stateDict();   // later: opt.loadStateDict(saved)
 * }</pre>
 */
public abstract class Optimizer {
  private final List<ParamGroup> groups;
  private final Map<Tensor, Map<String, NDArray>> state = new IdentityHashMap<>();

  /** One group of parameters with the given defaults. */
  protected Optimizer(Iterable<Tensor> params, Map<String, Double> defaults) {
    this(List.of(new ParamGroup(params)), defaults);
  }

  /** Several groups; each takes the defaults it does not set. */
  protected Optimizer(List<ParamGroup> groups, Map<String, Double> defaults) {
    this.groups = List.copyOf(groups);
    for (ParamGroup g : this.groups) {
      defaults.forEach(g::putDefault);
      for (Tensor p : g.params()) {
        if (!p.isLeaf() || !p.requiresGrad()) {
          throw new IllegalArgumentException(
              getClass().getSimpleName() + ": parameters must be leaf tensors that require grad");
        }
      }
    }
    for (Map.Entry<String, Double> e : defaults.entrySet()) {
      if (e.getValue() < 0 || Double.isNaN(e.getValue())) {
        throw new IllegalArgumentException(
            getClass().getSimpleName() + ": invalid " + e.getKey() + " " + e.getValue());
      }
    }
  }

  /** The parameter groups (schedulers change their {@code lr}). */
  public List<ParamGroup> paramGroups() {
    return groups;
  }

  /** Clears every parameter's gradient. */
  public void zeroGrad() {
    for (ParamGroup g : groups) {
      for (Tensor p : g.params()) {
        p.zeroGrad();
      }
    }
  }

  /** Updates every parameter that has a gradient, in place and without recording a graph. */
  public void step() {
    try (GradMode.Scope scope = Tensor.noGrad()) {
      for (ParamGroup g : groups) {
        for (Tensor p : g.params()) {
          if (p.grad() != null) {
            Map<String, NDArray> s = state.computeIfAbsent(p, k -> new HashMap<>());
            update(p, p.grad().data(), g, s);
            p.markChangedInPlace();
          }
        }
      }
    }
  }

  /**
   * Updates {@code p.data()} in place from its gradient with the group's options; {@code state}
   * holds this parameter's buffers between steps (scalars as 0-d FLOAT64 arrays).
   */
  protected abstract void update(
      Tensor p, NDArray grad, ParamGroup group, Map<String, NDArray> state);

  /** The step counter kept in a parameter's state, incremented. */
  protected static long nextStep(Map<String, NDArray> state) {
    NDArray s = state.computeIfAbsent("step", k -> NDArray.scalar(DType.FLOAT64, 0));
    s.addInPlace(1);
    return (long) s.item();
  }

  /** A zero buffer shaped like the parameter, created on first use. */
  protected static NDArray buffer(Map<String, NDArray> state, String name, Tensor p) {
    return state.computeIfAbsent(name, k -> NDArray.zerosLike(p.data()).contiguous());
  }

  /**
   * Everything needed to resume: each group's options ({@code group.0.lr}) and each parameter's
   * buffers by position ({@code state.3.exp_avg}). Values are copies.
   */
  public Map<String, NDArray> stateDict() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    int index = 0;
    for (int gi = 0; gi < groups.size(); gi++) {
      for (Map.Entry<String, Double> o : groups.get(gi).options().entrySet()) {
        out.put("group." + gi + "." + o.getKey(), NDArray.scalar(DType.FLOAT64, o.getValue()));
      }
      for (Tensor p : groups.get(gi).params()) {
        Map<String, NDArray> s = state.get(p);
        if (s != null) {
          for (Map.Entry<String, NDArray> e : s.entrySet()) {
            out.put("state." + index + "." + e.getKey(), e.getValue().clone());
          }
        }
        index++;
      }
    }
    return out;
  }

  /** Restores a {@link #stateDict()}, checking every buffer's shape before changing anything. */
  public void loadStateDict(Map<String, NDArray> saved) {
    List<Tensor> params = new ArrayList<>();
    groups.forEach(g -> params.addAll(g.params()));
    Map<Tensor, Map<String, NDArray>> restored = new IdentityHashMap<>();
    for (Map.Entry<String, NDArray> e : saved.entrySet()) {
      String[] parts = e.getKey().split("\\.", 3);
      if (parts.length != 3) {
        throw new IllegalArgumentException("loadStateDict: unexpected key '" + e.getKey() + "'");
      }
      int i = Integer.parseInt(parts[1]);
      if (parts[0].equals("group")) {
        if (i >= groups.size()) {
          throw new IllegalArgumentException("loadStateDict: no parameter group " + i);
        }
      } else if (parts[0].equals("state")) {
        if (i >= params.size()) {
          throw new IllegalArgumentException("loadStateDict: no parameter " + i);
        }
        NDArray v = e.getValue();
        boolean scalar = v.rank() == 0;
        if (!scalar && !java.util.Arrays.equals(v.shape(), params.get(i).shape())) {
          throw new IllegalArgumentException(
              "loadStateDict: state of parameter "
                  + i
                  + " has shape "
                  + java.util.Arrays.toString(v.shape())
                  + ", the parameter "
                  + java.util.Arrays.toString(params.get(i).shape()));
        }
        restored.computeIfAbsent(params.get(i), k -> new HashMap<>()).put(parts[2], v.clone());
      } else {
        throw new IllegalArgumentException("loadStateDict: unexpected key '" + e.getKey() + "'");
      }
    }
    for (Map.Entry<String, NDArray> e : saved.entrySet()) {
      String[] parts = e.getKey().split("\\.", 3);
      if (parts[0].equals("group")) {
        groups.get(Integer.parseInt(parts[1])).set(parts[2], e.getValue().item());
      }
    }
    state.clear();
    state.putAll(restored);
  }
}
