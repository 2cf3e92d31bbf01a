package dev.jgrad.optim;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

  /**
   * One group of parameters with the given defaults: numbers (kept as doubles) and booleans.
   *
   * @throws IllegalArgumentException if a parameter is not a leaf that requires grad, or an option
   *     is not a number or a boolean, or a number is negative or NaN
   */
  protected Optimizer(Iterable<Tensor> params, Map<String, ?> defaults) {
    this(List.of(new ParamGroup(params)), defaults);
  }

  /**
   * Several groups; each takes the defaults it does not set, and may set only options that the
   * defaults name, with the same type.
   *
   * @throws IllegalArgumentException if a parameter is not a leaf that requires grad, a group sets
   *     an option the optimizer does not have or gives it the other type (a number for a flag or a
   *     flag for a number), or a number is negative or NaN
   */
  protected Optimizer(List<ParamGroup> groups, Map<String, ?> defaults) {
    String name = getClass().getSimpleName();
    Map<String, Object> typedDefaults = new TreeMap<>();
    defaults.forEach((k, v) -> typedDefaults.put(k, ParamGroup.typed(name, k, v)));
    this.groups = List.copyOf(groups);
    for (int gi = 0; gi < this.groups.size(); gi++) {
      ParamGroup g = this.groups.get(gi);
      for (Map.Entry<String, Object> o : g.options().entrySet()) {
        Object d = typedDefaults.get(o.getKey());
        if (d == null) {
          throw new IllegalArgumentException(
              String.format(
                  "%s: parameter group %d sets option '%s', which %s does not have (options: %s)",
                  name, gi, o.getKey(), name, typedDefaults.keySet()));
        }
        if (d.getClass() != o.getValue().getClass()) {
          throw new IllegalArgumentException(
              String.format(
                  "%s: option '%s' of parameter group %d must be %s, got %s",
                  name, o.getKey(), gi, ParamGroup.kind(d), o.getValue()));
        }
      }
      typedDefaults.forEach(g::putDefault);
      for (Map.Entry<String, Object> o : g.options().entrySet()) {
        if (o.getValue() instanceof Double) {
          double v = (Double) o.getValue();
          if (v < 0 || Double.isNaN(v)) {
            throw new IllegalArgumentException(
                String.format(
                    "%s: invalid %s %s in parameter group %d (must be >= 0)",
                    name, o.getKey(), v, gi));
          }
        }
      }
      for (Tensor p : g.params()) {
        if (!p.isLeaf() || !p.requiresGrad()) {
          throw new IllegalArgumentException(
              name + ": parameters must be leaf tensors that require grad");
        }
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
   * Everything needed to resume: each group's options ({@code group.0.lr}: a FLOAT64 scalar for a
   * number, an INT32 scalar 0 or 1 for a flag such as {@code group.0.nesterov}) and each
   * parameter's buffers by position ({@code state.3.exp_avg}). Values are copies.
   *
   * <pre>{@code
   * Safetensors.write(Path.of("opt.safetensors"), opt.stateDict());
   * }</pre>
   */
  public Map<String, NDArray> stateDict() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    int index = 0;
    for (int gi = 0; gi < groups.size(); gi++) {
      for (Map.Entry<String, Object> o : groups.get(gi).options().entrySet()) {
        Object v = o.getValue();
        NDArray saved =
            v instanceof Boolean
                ? NDArray.scalar(DType.INT32, (Boolean) v ? 1 : 0)
                : NDArray.scalar(DType.FLOAT64, (Double) v);
        out.put("group." + gi + "." + o.getKey(), saved);
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

  /**
   * Restores a {@link #stateDict()}. Every entry is checked before anything changes: the group and
   * parameter exist, a group option is one this optimizer has, saved as a scalar of its type (a
   * floating-point scalar for a number, an INT32 0 or 1 for a flag), and a buffer has its
   * parameter's shape.
   *
   * @throws IllegalArgumentException for an unexpected key, a missing group, option or parameter,
   *     an option of the other type, or a buffer of the wrong shape
   */
  public void loadStateDict(Map<String, NDArray> saved) {
    List<Tensor> params = new ArrayList<>();
    groups.forEach(g -> params.addAll(g.params()));
    Map<Tensor, Map<String, NDArray>> restored = new IdentityHashMap<>();
    List<Runnable> optionWrites = new ArrayList<>();
    for (Map.Entry<String, NDArray> e : saved.entrySet()) {
      String[] parts = e.getKey().split("\\.", 3);
      if (parts.length != 3 || !parts[1].matches("\\d{1,9}")) {
        throw new IllegalArgumentException("loadStateDict: unexpected key '" + e.getKey() + "'");
      }
      int i = Integer.parseInt(parts[1]);
      NDArray v = e.getValue();
      if (parts[0].equals("group")) {
        if (i >= groups.size()) {
          throw new IllegalArgumentException("loadStateDict: no parameter group " + i);
        }
        optionWrites.add(savedOption(groups.get(i), i, parts[2], v));
      } else if (parts[0].equals("state")) {
        if (i >= params.size()) {
          throw new IllegalArgumentException("loadStateDict: no parameter " + i);
        }
        boolean scalar = v.rank() == 0;
        if (!scalar && !Arrays.equals(v.shape(), params.get(i).shape())) {
          throw new IllegalArgumentException(
              "loadStateDict: state of parameter "
                  + i
                  + " has shape "
                  + Arrays.toString(v.shape())
                  + ", the parameter "
                  + Arrays.toString(params.get(i).shape()));
        }
        restored.computeIfAbsent(params.get(i), k -> new HashMap<>()).put(parts[2], v.clone());
      } else {
        throw new IllegalArgumentException("loadStateDict: unexpected key '" + e.getKey() + "'");
      }
    }
    optionWrites.forEach(Runnable::run);
    state.clear();
    state.putAll(restored);
  }

  /** Checks a saved option against the group's and returns the write that restores it. */
  private static Runnable savedOption(ParamGroup group, int gi, String key, NDArray v) {
    if (!group.options().containsKey(key)) {
      throw new IllegalArgumentException(
          "loadStateDict: parameter group " + gi + " has no option '" + key + "'");
    }
    if (v.rank() != 0) {
      throw new IllegalArgumentException(
          String.format(
              "loadStateDict: option '%s' of group %d must be a scalar, got shape %s",
              key, gi, Arrays.toString(v.shape())));
    }
    boolean flag = group.get(key) instanceof Boolean;
    double x = v.item();
    if (flag && (v.dtype() != DType.INT32 || (x != 0 && x != 1))) {
      throw new IllegalArgumentException(
          String.format(
              "loadStateDict: option '%s' of group %d is a boolean, saved as an INT32 0 or 1;"
                  + " got %s %s",
              key, gi, v.dtype(), x));
    }
    if (!flag && !v.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(
          String.format(
              "loadStateDict: option '%s' of group %d is a number, saved as a floating-point"
                  + " scalar; got %s %s (INT32 is how flags are saved)",
              key, gi, v.dtype(), x));
    }
    return flag ? () -> group.set(key, x == 1) : () -> group.set(key, x);
  }
}
