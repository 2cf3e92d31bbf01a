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
record Mlp(int[] sizes, String activation) {
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

  /** Layers Linear, activation, …, Linear (no activation after the last: it gives logits). */
  Sequential build(Generator g) {
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

  /** "784-128-10 relu". */
  String describe() {
    return Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining("-"))
        + " "
        + activation;
  }

  /** The metadata stored beside the weights so that {@code eval} can rebuild the model. */
  Map<String, String> metadata(String dataset) {
    return Map.of(
        "jgrad.sizes",
        Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining(",")),
        "jgrad.activation",
        activation,
        "jgrad.dataset",
        dataset);
  }

  static Mlp fromMetadata(Map<String, String> meta) {
    String sizes = meta.get("jgrad.sizes");
    String activation = meta.get("jgrad.activation");
    if (sizes == null || activation == null) {
      throw new IllegalArgumentException(
          "the model file has no jgrad architecture metadata (was it written by ./jgrad train --save?)");
    }
    return new Mlp(
        Arrays.stream(sizes.split(",")).mapToInt(Integer::parseInt).toArray(), activation);
  }
}
