package dev.jgrad.examples;

import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Sigmoid;
import dev.jgrad.nn.Tanh;
import dev.jgrad.tensor.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A multilayer perceptron described by its layer sizes and activation, e.g. 784-128-10 relu. */
record Mlp(int[] sizes, String activation) implements ModelSpec {
  static final List<String> ACTIVATIONS = List.of("relu", "tanh", "sigmoid");

  Mlp {
    if (sizes.length < 2) {
      throw new IllegalArgumentException("an MLP needs at least an input and an output size");
    }
    if (!ACTIVATIONS.contains(activation)) {
      throw new IllegalArgumentException(
          "unknown activation '" + activation + "' (expected one of " + ACTIVATIONS + ")");
    }
  }

  /** features-hidden…-classes for flat examples of {@code features} values. */
  static Mlp forShape(int[] hidden, String activation, int features, int classes) {
    int[] sizes = new int[hidden.length + 2];
    sizes[0] = features;
    System.arraycopy(hidden, 0, sizes, 1, hidden.length);
    sizes[sizes.length - 1] = classes;
    return new Mlp(sizes, activation);
  }

  @Override
  public String name() {
    return "mlp";
  }

  /** [features]: flat examples. */
  @Override
  public int[] inputShape() {
    return new int[] {sizes[0]};
  }

  @Override
  public int classes() {
    return sizes[sizes.length - 1];
  }

  /** Layers Linear, activation, …, Linear (no activation after the last: it gives logits). */
  @Override
  public Sequential build(Generator g) {
    List<Module> layers = new ArrayList<>();
    for (int i = 0; i + 1 < sizes.length; i++) {
      layers.add(new Linear(sizes[i], sizes[i + 1], true, g));
      if (i + 2 < sizes.length) {
        layers.add(activationModule());
      }
    }
    return new Sequential(layers.toArray(new Module[0]));
  }

  private Module activationModule() {
    switch (activation) {
      case "tanh":
        return new Tanh();
      case "sigmoid":
        return new Sigmoid();
      default:
        return new ReLU();
    }
  }

  /** Σ (inᵢ·outᵢ + outᵢ) over the linear layers. */
  @Override
  public long parameterCount() {
    long n = 0;
    for (int i = 0; i + 1 < sizes.length; i++) {
      n += (long) sizes[i] * sizes[i + 1] + sizes[i + 1];
    }
    return n;
  }

  @Override
  public long largestWeight() {
    long max = 0;
    for (int i = 0; i + 1 < sizes.length; i++) {
      max = Math.max(max, (long) sizes[i] * sizes[i + 1]);
    }
    return max;
  }

  /** Each hidden layer's output and activation, and the logits. */
  @Override
  public long activationsPerExample() {
    long n = sizes[sizes.length - 1];
    for (int i = 1; i + 1 < sizes.length; i++) {
      n += 2L * sizes[i];
    }
    return n;
  }

  /** "784-128-10 relu". */
  @Override
  public String describe() {
    return Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining("-"))
        + " "
        + activation;
  }

  /** {@code jgrad.sizes} ("784,128,10") and {@code jgrad.activation}. */
  @Override
  public Map<String, String> architecture() {
    return Map.of("jgrad.sizes", ModelSpec.join(sizes), "jgrad.activation", activation);
  }

  /**
   * The MLP of {@link #architecture()}.
   *
   * @throws IllegalArgumentException if the metadata lacks it or describes no valid MLP
   */
  static Mlp fromMetadata(Map<String, String> meta) {
    int[] sizes = ModelSpec.ints(meta, "jgrad.sizes");
    String activation = meta.get("jgrad.activation");
    if (activation == null) {
      throw new IllegalArgumentException(
          "the model file has no jgrad.activation metadata (was it written by ./jgrad train --save?)");
    }
    return new Mlp(sizes, activation);
  }
}
