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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
   * @throws IllegalArgumentException if there are no parameters or one is not a leaf that requires
   *     grad, or an option is not a number or a boolean, or a number is negative, NaN or infinite
   */
  protected Optimizer(Iterable<Tensor> params, Map<String, ?> defaults) {
    this(List.of(new ParamGroup(params)), defaults);
  }

  /**
   * Several groups; each takes the defaults it does not set, and may set only options that the
   * defaults name, with the same type.
   *
   * @throws IllegalArgumentException if the groups hold no parameter, a parameter is in two groups
   *     (as PyTorch refuses both) or is not a leaf that requires grad, a group sets an option the
   *     optimizer does not have or gives it the other type (a number for a flag or a flag for a
   *     number), or a number is negative, NaN or infinite
   */
  protected Optimizer(List<ParamGroup> groups, Map<String, ?> defaults) {
    String name = getClass().getSimpleName();
    Map<String, Object> typedDefaults = new TreeMap<>();
    defaults.forEach((k, v) -> typedDefaults.put(k, ParamGroup.typed(name, k, v)));
    this.groups = List.copyOf(groups);
    if (this.groups.stream().allMatch(g -> g.params().isEmpty())) {
      throw new IllegalArgumentException(name + ": got an empty parameter list");
    }
    Map<Tensor, Integer> groupOf = new IdentityHashMap<>();
    for (int gi = 0; gi < this.groups.size(); gi++) {
      for (Tensor p : this.groups.get(gi).params()) {
        Integer before = groupOf.putIfAbsent(p, gi);
        if (before != null && before != gi) {
          throw new IllegalArgumentException(
              String.format(
                  "%s: a parameter appears in more than one parameter group (groups %d and %d)",
                  name, before, gi));
        }
      }
    }
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
          checkNumber(name, o.getKey(), (Double) o.getValue(), gi);
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

  /** A numeric option is finite and not negative, like every hyperparameter of PyTorch's. */
  private static void checkNumber(String who, String key, double v, int gi) {
    if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          String.format(
              "%s: invalid %s %s in parameter group %d (must be finite and >= 0)",
              who, key, v, gi));
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

  /**
   * The names of the buffers shaped like the parameter that {@link #update} may keep in a
   * parameter's state ({@code exp_avg}, {@code momentum_buffer}, …). {@link #loadStateDict} refuses
   * state of any name not here or in {@link #scalarNames()}.
   */
  protected abstract Set<String> bufferNames();

  /**
   * The names of the scalars (0-d FLOAT64 arrays) that {@link #update} may keep in a parameter's
   * state: {@code step} for an optimizer that calls {@link #nextStep}, else none.
   */
  protected abstract Set<String> scalarNames();

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
   * floating-point scalar, finite and not negative, for a number; an INT32 0 or 1 for a flag), and
   * a parameter's state is one this optimizer keeps: a buffer of the parameter's shape or a scalar
   * ({@code step}) as a 0-d array.
   *
   * <pre>{@code
   * opt.loadStateDict(Safetensors.read(Path.of("opt.safetensors")));
   * }</pre>
   *
   * @throws IllegalArgumentException for an unexpected key, a missing group, option or parameter,
   *     an option of the other type or out of range, state this optimizer does not keep, or state
   *     of the wrong shape
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
        checkState(i, parts[2], v, params.get(i).shape());
        restored.computeIfAbsent(params.get(i), k -> new HashMap<>()).put(parts[2], v.clone());
      } else {
        throw new IllegalArgumentException("loadStateDict: unexpected key '" + e.getKey() + "'");
      }
    }
    optionWrites.forEach(Runnable::run);
    state.clear();
    state.putAll(restored);
  }

  /** Checks saved state of parameter {@code i}: a name this optimizer keeps, of its kind. */
  private void checkState(int i, String key, NDArray v, int[] paramShape) {
    String name = getClass().getSimpleName();
    boolean scalar = scalarNames().contains(key);
    if (!scalar && !bufferNames().contains(key)) {
      throw new IllegalArgumentException(
          String.format(
              "loadStateDict: %s keeps no state '%s' (state.%d.%s); it keeps %s",
              name, key, i, key, new TreeSet<>(union(scalarNames(), bufferNames()))));
    }
    int[] want = scalar ? new int[0] : paramShape;
    if (!Arrays.equals(v.shape(), want)) {
      throw new IllegalArgumentException(
          String.format(
              "loadStateDict: state '%s' of parameter %d has shape %s, expected %s (%s)",
              key,
              i,
              Arrays.toString(v.shape()),
              Arrays.toString(want),
              scalar ? "a scalar" : "the parameter's shape"));
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return all;
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
    if (!flag) {
      checkNumber("loadStateDict", key, x, gi);
    }
    return flag ? () -> group.set(key, x == 1) : () -> group.set(key, x);
  }
}
