package dev.jgrad.nn;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.NDArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A layer or a model: holds parameters (leaf tensors that require grad), buffers and child modules,
 * and maps an input to an output in {@link #forward}.
 *
 * <pre>{@code
 * class TwoLayers extends Module {
 *   final Linear hidden = registerModule("hidden", new Linear(2, 5));
 *   final Linear out = registerModule("out", new Linear(5, 1));
 *   public Tensor forward(Tensor x) { return out.forward(hidden.forward(x).sigmoid()).sigmoid(); }
 * }
 * }</pre>
 */
public abstract class Module {
  /** For subclasses: a module with no parameters, buffers or children yet. */
  protected Module() {}

  private final Map<String, Tensor> parameters = new LinkedHashMap<>();
  private final Map<String, Tensor> buffers = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private boolean training = true;

  /**
   * Computes the module's output.
   *
   * @throws IllegalArgumentException if {@code input} is null (implementations check with {@link
   *     #checkInput}), or its shape or dtype does not suit the module
   */
  public abstract Tensor forward(Tensor input);

  /**
   * The input of {@link #forward}, checked not to be null; every module's forward starts with it,
   * so that a missing input is named rather than surfacing as a NullPointerException.
   *
   * <pre>{@code
   * public Tensor forward(Tensor input) {
   *   return checkInput(input).relu();
   * }
   * }</pre>
   *
   * @throws IllegalArgumentException naming the module if {@code input} is null
   */
  protected final Tensor checkInput(Tensor input) {
    if (input == null) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + ".forward: the input is null");
    }
    return input;
  }

  /**
   * Registers a parameter under {@code name}; it is made to require grad.
   *
   * @throws IllegalArgumentException if the tensor is not a leaf or not floating-point, or the name
   *     is empty, contains a dot or is registered already
   */
  /**
   * A module's new parameter or buffer data from {@code data} (a factory call); a shape no array
   * can hold is refused naming the module as well as the factory, before anything is registered.
   */
  static Tensor allocate(String module, java.util.function.Supplier<Tensor> data) {
    try {
      return data.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(module + ": " + e.getMessage(), e);
    }
  }

  protected Tensor registerParameter(String name, Tensor parameter) {
    checkName(name);
    if (!parameter.isLeaf()) {
      throw new IllegalArgumentException(
          "registerParameter: '" + name + "' must be a leaf tensor (use detach())");
    }
    parameter.requiresGrad(true);
    parameters.put(name, parameter);
    return parameter;
  }

  /**
   * Registers a buffer: a tensor that is part of the model's state (in {@link #stateDict()}, saved
   * and loaded) but not a parameter, so optimizers do not train it (e.g. running statistics).
   *
   * <pre>{@code
   * Tensor runningMean = registerBuffer("running_mean", Tensor.zeros(features));
   * }</pre>
   *
   * @throws IllegalArgumentException if the name is empty, contains a dot or is registered already
   */
  protected Tensor registerBuffer(String name, Tensor buffer) {
    checkName(name);
    buffers.put(name, buffer);
    return buffer;
  }

  /**
   * Registers a child module under {@code name}; its parameters and buffers are named {@code
   * name.…}.
   *
   * @throws IllegalArgumentException if the name is empty, contains a dot or is registered already
   */
  protected <M extends Module> M registerModule(String name, M module) {
    checkName(name);
    children.put(name, module);
    return module;
  }

  private void checkName(String name) {
    if (name.isEmpty() || name.contains(".")) {
      throw new IllegalArgumentException("invalid name '" + name + "': non-empty, without dots");
    }
    if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
      throw new IllegalArgumentException("the name '" + name + "' is already registered");
    }
  }

  /** All parameters of this module and its descendants, in registration order. */
  public List<Tensor> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /** Parameters by dotted name, e.g. {@code 0.weight}. */
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    collect("", out, true);
    return out;
  }

  /** Buffers by dotted name, e.g. {@code 1.running_mean}; never among {@link #parameters()}. */
  public Map<String, Tensor> namedBuffers() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    collect("", out, false);
    return out;
  }

  private void collect(String prefix, Map<String, Tensor> out, boolean params) {
    for (Map.Entry<String, Tensor> e : (params ? parameters : buffers).entrySet()) {
      out.put(prefix + e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Module> e : children.entrySet()) {
      e.getValue().collect(prefix + e.getKey() + ".", out, params);
    }
  }

  /** The direct children by name. */
  public Map<String, Module> children() {
    return Collections.unmodifiableMap(children);
  }

  /** The total number of parameter elements. */
  public long parameterCount() {
    long n = 0;
    for (Tensor p : parameters()) {
      n += p.numel();
    }
    return n;
  }

  /** Switches this module and its descendants to training mode (dropout active). Returns this. */
  public Module train() {
    return train(true);
  }

  /** Sets training mode on this module and its descendants. Returns this. */
  public Module train(boolean mode) {
    apply(m -> m.training = mode);
    return this;
  }

  /** Switches to evaluation mode. Returns this. */
  public Module eval() {
    return train(false);
  }

  /** True in training mode (the default). */
  public boolean isTraining() {
    return training;
  }

  /** Clears the gradients of all parameters. */
  public void zeroGrad() {
    for (Tensor p : parameters()) {
      p.zeroGrad();
    }
  }

  /** Calls {@code fn} on every descendant, children first, then on this module. Returns this. */
  public Module apply(Consumer<Module> fn) {
    for (Module child : children.values()) {
      child.apply(fn);
    }
    fn.accept(this);
    return this;
  }

  /** Parameters and buffers by dotted name: the values (shared, not copied). */
  public Map<String, NDArray> stateDict() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    namedParameters().forEach((k, v) -> out.put(k, v.data()));
    namedBuffers().forEach((k, v) -> out.put(k, v.data()));
    return out;
  }

  /**
   * Copies values into the parameters and buffers. Every name, value, shape and dtype is checked
   * before anything is written, so a bad state leaves the model untouched. A floating value of
   * another width is converted (FLOAT64 into FLOAT32, as PyTorch's {@code copy_}); an integer value
   * for a floating tensor, or the reverse, is refused. With {@code strict}, missing and unexpected
   * names are errors; otherwise they are skipped.
   *
   * <pre>{@code
   * model.loadStateDict(Safetensors.read(Path.of("model.safetensors")), true);
   * }</pre>
   *
   * @throws IllegalArgumentException naming the entry if a value is null or its shape differs or
   *     its dtype is of the other kind, or, with {@code strict}, a name is missing or unexpected
   */
  public void loadStateDict(Map<String, NDArray> state, boolean strict) {
    Map<String, Tensor> targets = new LinkedHashMap<>(namedParameters());
    targets.putAll(namedBuffers());
    if (strict) {
      TreeSet<String> missing = new TreeSet<>(targets.keySet());
      missing.removeAll(state.keySet());
      TreeSet<String> unexpected = new TreeSet<>(state.keySet());
      unexpected.removeAll(targets.keySet());
      if (!missing.isEmpty() || !unexpected.isEmpty()) {
        throw new IllegalArgumentException(
            "loadStateDict: missing keys " + missing + ", unexpected keys " + unexpected);
      }
    }
    for (Map.Entry<String, Tensor> e : targets.entrySet()) {
      if (!state.containsKey(e.getKey())) {
        continue;
      }
      NDArray v = state.get(e.getKey());
      Tensor t = e.getValue();
      if (v == null) {
        throw new IllegalArgumentException(
            String.format("loadStateDict: '%s' is null in the state", e.getKey()));
      }
      if (!Arrays.equals(v.shape(), t.shape())) {
        throw new IllegalArgumentException(
            String.format(
                "loadStateDict: '%s' has shape %s in the state but %s in the model",
                e.getKey(), Arrays.toString(v.shape()), Arrays.toString(t.shape())));
      }
      if (v.dtype().isFloatingPoint() != t.dtype().isFloatingPoint()) {
        throw new IllegalArgumentException(
            String.format(
                "loadStateDict: '%s' has dtype %s in the state but %s in the model",
                e.getKey(), v.dtype(), t.dtype()));
      }
    }
    try (GradMode.Scope g = Tensor.noGrad()) {
      for (Map.Entry<String, Tensor> e : targets.entrySet()) {
        NDArray v = state.get(e.getKey());
        if (v != null) {
          e.getValue().copyFrom(new Tensor(v));
        }
      }
    }
  }

  /** Writes the state dict as safetensors (atomically: a crash never leaves a half file). */
  public void save(Path path) throws IOException {
    Safetensors.write(path, stateDict());
  }

  /**
   * Loads a safetensors file written by {@link #save} (or by PyTorch's safetensors): the file is
   * read and checked completely, then names, shapes and dtypes against the model, before any value
   * changes.
   *
   * @throws SafetensorsException for a malformed file
   * @throws IllegalArgumentException for names or shapes that do not fit this model
   */
  public void load(Path path) throws IOException {
    loadStateDict(Safetensors.read(path), true);
  }

  /** Text shown inside the parentheses, e.g. {@code in_features=784, out_features=128}. */
  protected String extraRepr() {
    return "";
  }

  /** A tree like PyTorch's {@code print(model)}. */
  @Override
  public String toString() {
    String name = getClass().getSimpleName();
    if (children.isEmpty()) {
      return name + "(" + extraRepr() + ")";
    }
    StringBuilder sb = new StringBuilder(name).append("(");
    if (!extraRepr().isEmpty()) {
      sb.append("\n  ").append(extraRepr());
    }
    for (Map.Entry<String, Module> e : children.entrySet()) {
      String child = e.getValue().toString().replace("\n", "\n  ");
      sb.append("\n  (").append(e.getKey()).append("): ").append(child);
    }
    return sb.append("\n)").toString();
  }
}
