package dev.jgrad.optim;

import dev.jgrad.autograd.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters that share options ({@code lr}, {@code momentum}, …), like one of PyTorch's {@code
 * param_groups}. Options missing here are taken from the optimizer's defaults.
 *
 * <pre>{@code
 * var groups = List.of(
 *     new ParamGroup(backbone.parameters(), Map.of("lr", 1e-4)),
 *     new ParamGroup(head.parameters()));
 * var opt = new SGD(groups, 0.1, 0.9);
 * }</pre>
 */
public final class ParamGroup {
  private final List<Tensor> params;
  private final Map<String, Double> options;

  /** A group using the optimizer's defaults. */
  public ParamGroup(Iterable<Tensor> params) {
    this(params, Map.of());
  }

  /** A group with its own options. */
  public ParamGroup(Iterable<Tensor> params, Map<String, Double> options) {
    java.util.ArrayList<Tensor> list = new java.util.ArrayList<>();
    params.forEach(list::add);
    this.params = List.copyOf(list);
    this.options = new LinkedHashMap<>(options);
  }

  /** The parameters. */
  public List<Tensor> params() {
    return params;
  }

  /** An option's value. */
  public double get(String key) {
    Double v = options.get(key);
    if (v == null) {
      throw new IllegalArgumentException("ParamGroup: no option '" + key + "'");
    }
    return v;
  }

  /** Sets an option (schedulers set {@code lr}). */
  public void set(String key, double value) {
    options.put(key, value);
  }

  /** The options (a live view). */
  public Map<String, Double> options() {
    return options;
  }

  void putDefault(String key, double value) {
    options.putIfAbsent(key, value);
  }
}
