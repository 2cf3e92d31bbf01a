package dev.jgrad.optim;

import dev.jgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters that share options, like one of PyTorch's {@code param_groups}. An option is a number
 * ({@code lr}, {@code momentum}, {@code weight_decay}, …, kept as a double) or a flag ({@code
 * nesterov}, {@code amsgrad}, {@code centered}, a boolean); options missing here are taken from the
 * optimizer's defaults when the optimizer is built. Reading or writing an option with the wrong
 * type is refused, so a flag can never be mistaken for a number.
 *
 * <pre>{@code
 * var groups = List.of(
 *     new ParamGroup(backbone.parameters(), Map.of("lr", 1e-4)),
 *     new ParamGroup(head.parameters(), Map.of("nesterov", true)));
 * var opt = new SGD(groups, 0.1, 0.9);
 * double lr = opt.paramGroups().get(0).getDouble("lr");     // 1e-4
 * opt.paramGroups().get(1).set("lr", 0.05);                 // what schedulers do
 * }</pre>
 */
public final class ParamGroup {
  private final List<Tensor> params;
  private final Map<String, Object> options; // each value a Double or a Boolean

  /** A group that takes every option from the optimizer's defaults. */
  public ParamGroup(Iterable<Tensor> params) {
    this(params, Map.of());
  }

  /**
   * A group with its own options: numbers (any {@link Number}, kept as a double) and booleans.
   *
   * @throws IllegalArgumentException if a value is neither a number nor a boolean
   */
  public ParamGroup(Iterable<Tensor> params, Map<String, ?> options) {
    List<Tensor> list = new ArrayList<>();
    params.forEach(list::add);
    this.params = List.copyOf(list);
    this.options = new LinkedHashMap<>();
    options.forEach((k, v) -> this.options.put(k, typed("ParamGroup", k, v)));
  }

  /**
   * An option value as stored: a Double for a number, a Boolean for a flag.
   *
   * @throws IllegalArgumentException if {@code value} is neither
   */
  static Object typed(String who, String key, Object value) {
    if (value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number) {
      return ((Number) value).doubleValue();
    }
    throw new IllegalArgumentException(
        who
            + ": option '"
            + key
            + "' must be a number or a boolean, got "
            + (value == null ? "null" : value.getClass().getSimpleName() + " " + value));
  }

  /** "a number" or "a boolean": the kind of an option value, for messages. */
  static String kind(Object value) {
    return value instanceof Boolean ? "a boolean" : "a number";
  }

  /** The parameters. */
  public List<Tensor> params() {
    return params;
  }

  /**
   * An option's value, like {@code group["lr"]}: a Double for a number, a Boolean for a flag.
   *
   * @throws IllegalArgumentException if the group has no such option
   */
  public Object get(String key) {
    Object v = options.get(key);
    if (v == null) {
      throw new IllegalArgumentException(
          "ParamGroup: no option '" + key + "' (options: " + options.keySet() + ")");
    }
    return v;
  }

  /**
   * A numeric option ({@code lr}, {@code momentum}, …).
   *
   * @throws IllegalArgumentException if the group has no such option or it is a boolean
   */
  public double getDouble(String key) {
    Object v = get(key);
    if (!(v instanceof Double)) {
      throw new IllegalArgumentException(
          "ParamGroup: option '" + key + "' is a boolean (" + v + "), not a number");
    }
    return (Double) v;
  }

  /**
   * A flag ({@code nesterov}, {@code amsgrad}, {@code centered}).
   *
   * @throws IllegalArgumentException if the group has no such option or it is a number
   */
  public boolean getBoolean(String key) {
    Object v = get(key);
    if (!(v instanceof Boolean)) {
      throw new IllegalArgumentException(
          "ParamGroup: option '" + key + "' is a number (" + v + "), not a boolean");
    }
    return (Boolean) v;
  }

  /**
   * Sets a numeric option; schedulers set {@code lr} this way.
   *
   * @throws IllegalArgumentException if the option holds a boolean
   */
  public void set(String key, double value) {
    put(key, value);
  }

  /**
   * Sets a flag.
   *
   * @throws IllegalArgumentException if the option holds a number
   */
  public void set(String key, boolean value) {
    put(key, value);
  }

  private void put(String key, Object value) {
    Object old = options.get(key);
    if (old != null && old.getClass() != value.getClass()) {
      throw new IllegalArgumentException(
          String.format(
              "ParamGroup: option '%s' is %s (%s), cannot set it to %s (%s)",
              key, kind(old), old, kind(value), value));
    }
    options.put(key, value);
  }

  /** The options by name, each a Double or a Boolean (read-only, reflecting later changes). */
  public Map<String, Object> options() {
    return Collections.unmodifiableMap(options);
  }

  /** Adds a default the group does not set; the optimizer has checked its type. */
  void putDefault(String key, Object value) {
    options.putIfAbsent(key, value);
  }

  /** {@code ParamGroup(2 params, lr=0.1, momentum=0.9, nesterov=false)}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ParamGroup(").append(params.size()).append(" params");
    options.forEach((k, v) -> sb.append(", ").append(k).append('=').append(v));
    return sb.append(')').toString();
  }
}
