package dev.jgrad.examples;

import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.data.TensorDataset;
import dev.jgrad.tensor.Generator;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An architecture the trainer can build, describe, and write down beside the weights so that {@code
 * ./jgrad eval} can build it again. Data sets come flat ([N, H·W]); each architecture says what one
 * example should look like ({@link #inputShape()}: [H·W] for an MLP, [1, H, W] for a convolutional
 * network) and {@link #inputs} reshapes a data set accordingly.
 */
sealed interface ModelSpec extends java.io.Serializable permits Mlp, Cnn {
  /** The names of {@code --model}. */
  List<String> NAMES = List.of("mlp", "cnn");

  /** Metadata keys of a saved model. */
  String MODEL_KEY = "jgrad.model";

  String DATASET_KEY = "jgrad.dataset";

  /** The {@code --model} name of this architecture. */
  String name();

  /** The shape of one example, without the batch dim. */
  int[] inputShape();

  /** The values in one example: the product of {@link #inputShape()}. */
  default long valuesPerExample() {
    return Arrays.stream(inputShape()).asLongStream().reduce(1, (a, b) -> a * b);
  }

  /** The number of classes: the logits per example. */
  int classes();

  /** A freshly initialised model, its weights drawn from {@code g}. */
  Sequential build(Generator g);

  /** A one-line description, e.g. "784-128-10 relu". */
  String describe();

  /** The number of weights, biases and buffers the model holds (a long: sizes can overflow int). */
  long parameterCount();

  /** The largest single weight's element count; above 2³¹ − 9 it fits no Java array. */
  long largestWeight();

  /** Values one example's forward pass keeps per layer (outputs of every layer, summed). */
  long activationsPerExample();

  /** Examples per evaluation batch ({@link Trainer#evaluate}). */
  int EVAL_BATCH = 1000;

  /**
   * Bytes of heap that training needs, roughly: parameters, their gradients and {@code
   * optimizerStates} buffers each (1 for SGD with momentum, 2 for Adam), and the larger of a
   * training batch's activations with their gradients and an evaluation batch's activations (of
   * {@code min(EVAL_BATCH, test examples)}), all float32, with half as much again for the
   * evaluation's temporaries. For 64-40000-10 on the digits: 0.21 GB (runs in -Xmx256m, not in
   * -Xmx160m).
   */
  default long trainingBytes(int batchSize, int evalBatch, int optimizerStates) {
    double values =
        (double) parameterCount() * (2 + optimizerStates)
            + Math.max(2.0 * batchSize, 1.5 * evalBatch) * activationsPerExample();
    return (long) Math.min(Long.MAX_VALUE, 4 * values);
  }

  /** Bytes of heap that evaluation needs, roughly: parameters and one batch's activations. */
  default long evaluationBytes() {
    double values = (double) parameterCount() + 1.5 * EVAL_BATCH * activationsPerExample();
    return (long) Math.min(Long.MAX_VALUE, 4 * values);
  }

  /**
   * Refuses a model that cannot be built here: a weight larger than a Java array or an estimate
   * ({@code bytes}) above the heap's maximum ({@link Runtime#maxMemory()}).
   *
   * @return null if it fits, else one line saying why not
   */
  default String doesNotFit(long bytes) {
    if (largestWeight() > Integer.MAX_VALUE - 8) {
      return String.format(
          "%s has a weight of %,d values, more than a Java array holds (2^31 - 9)",
          describe(), largestWeight());
    }
    long max = Runtime.getRuntime().maxMemory();
    if (bytes > max) {
      return String.format(
          "%s needs about %s of memory but the Java heap holds at most %s (raise it with -Xmx)",
          describe(), gigabytes(bytes), gigabytes(max));
    }
    return null;
  }

  /** "1.23 GB". */
  static String gigabytes(long bytes) {
    return String.format("%.2f GB", bytes / 1e9);
  }

  /** What {@link #fromMetadata} needs, beside {@code jgrad.model} and {@code jgrad.dataset}. */
  Map<String, String> architecture();

  /** The metadata stored beside the weights so that {@code eval} can rebuild the model. */
  default Map<String, String> metadata(String dataset) {
    // sorted: architecture() is a Map.of, whose order changes from one JVM to the next, and the
    // same run should write the same file
    Map<String, String> meta =
        new java.util.LinkedHashMap<>(new java.util.TreeMap<>(architecture()));
    meta.put(MODEL_KEY, name());
    meta.put(DATASET_KEY, dataset);
    return meta;
  }

  /**
   * The data set with each example reshaped to {@link #inputShape()}.
   *
   * @throws IllegalArgumentException if an example has a different number of values
   */
  default TensorDataset inputs(TensorDataset data) {
    int[] one = inputShape();
    int[] shape = new int[one.length + 1];
    shape[0] = data.size();
    System.arraycopy(one, 0, shape, 1, one.length);
    long expected = valuesPerExample();
    long values = data.size() == 0 ? expected : data.inputs().numel() / data.size();
    if (values != expected) {
      throw new IllegalArgumentException(
          String.format(
              "%s takes examples of shape %s (%d values) but the data has %s",
              describe(),
              Arrays.toString(one),
              expected,
              Arrays.toString(Arrays.copyOfRange(data.inputs().shape(), 1, data.inputs().rank()))));
    }
    return new TensorDataset(data.inputs().reshape(shape), data.targets());
  }

  /**
   * The architecture {@code --model name} stands for, sized to the data.
   *
   * @param hidden the hidden layer sizes (MLP only)
   * @param activation the activation (MLP only)
   * @throws IllegalArgumentException for an unknown name
   */
  static ModelSpec forData(String name, int[] hidden, String activation, Datasets.Splits data) {
    return forShape(name, hidden, activation, data.height(), data.width(), data.classes());
  }

  /** The same for data of one-channel {@code height×width} images in {@code classes} classes. */
  static ModelSpec forShape(
      String name, int[] hidden, String activation, int height, int width, int classes) {
    switch (name) {
      case "mlp":
        return Mlp.forShape(hidden, activation, height * width, classes);
      case "cnn":
        return new Cnn(height, width, classes);
      default:
        throw new IllegalArgumentException(
            "unknown model '" + name + "' (expected one of " + NAMES + ")");
    }
  }

  /**
   * The architecture written by {@link #metadata}; a file without {@code jgrad.model} (written
   * before there was a choice) holds an MLP.
   *
   * @throws IllegalArgumentException if the metadata does not describe a model
   */
  static ModelSpec fromMetadata(Map<String, String> meta) {
    String name = meta.getOrDefault(MODEL_KEY, "mlp");
    switch (name) {
      case "mlp":
        return Mlp.fromMetadata(meta);
      case "cnn":
        return Cnn.fromMetadata(meta);
      default:
        throw new IllegalArgumentException(
            "the model file holds an unknown architecture '"
                + name
                + "' (expected one of "
                + NAMES
                + ")");
    }
  }

  /** "1,28,28" from {1, 28, 28}. */
  static String join(int[] v) {
    return Arrays.stream(v).mapToObj(Integer::toString).collect(Collectors.joining(","));
  }

  /**
   * {1, 28, 28} from "1,28,28".
   *
   * @throws IllegalArgumentException if {@code value} is missing or not a list of integers
   */
  static int[] ints(Map<String, String> meta, String key) {
    String value = meta.get(key);
    if (value == null) {
      throw new IllegalArgumentException(
          "the model file has no " + key + " metadata (was it written by ./jgrad train --save?)");
    }
    try {
      return Arrays.stream(value.split(",")).mapToInt(s -> Integer.parseInt(s.strip())).toArray();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "the model file's " + key + " metadata '" + value + "' is not a list of integers");
    }
  }
}
