package dev.jgrad.examples;

import dev.jgrad.nn.Safetensors;
import dev.jgrad.tensor.Parallel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jgrad train}: trains a classifier (an MLP, or with {@code --model cnn} a convolutional
 * network) and prints per-epoch and final numbers.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a classifier with cross-entropy: a multilayer perceptron or a convolutional network.",
      "With no options: the bundled UCI digits (64-128-10, ReLU, SGD), no download needed."
    })
class TrainCommand implements Callable<Integer> {
  static final List<String> DATASETS = List.of("digits", "fashion-mnist", "mnist");
  static final List<String> SCHEDULES = List.of("constant", "cosine");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--dataset",
      defaultValue = "digits",
      description = "digits, fashion-mnist or mnist (default: ${DEFAULT-VALUE})")
  String dataset;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "a folder in the MNIST IDX format (default for fashion-mnist: /usr/share/datasets/fashion-mnist)")
  Path data;

  @Option(
      names = "--model",
      defaultValue = "mlp",
      description =
          "mlp, or cnn: conv(32) batchnorm relu maxpool, conv(64) batchnorm relu maxpool,"
              + " dropout 0.25, 128 relu, classes (default: ${DEFAULT-VALUE})")
  String model;

  @Option(
      names = "--hidden",
      split = ",",
      paramLabel = "SIZE",
      description = "mlp: hidden layer sizes, repeatable or a comma list (default: 128)")
  int[] hidden;

  @Option(names = "--activation", description = "mlp: relu, tanh or sigmoid (default: relu)")
  String activation;

  @Option(
      names = "--optimizer",
      defaultValue = "sgd",
      description = "sgd or adam (default: ${DEFAULT-VALUE})")
  String optimizer;

  @Option(
      names = "--lr",
      description = "learning rate (default: sgd 0.1 for mlp, 0.05 for cnn; adam 0.001)")
  Double lr;

  @Option(
      names = "--schedule",
      description =
          "learning rate schedule: constant, or cosine (annealed to 0 over the run)"
              + " (default: cosine for cnn, constant for mlp)")
  String schedule;

  @Option(
      names = "--momentum",
      description = "SGD momentum (default: 0.9 for cnn and for digits, 0 otherwise)")
  Double momentum;

  @Option(
      names = "--batch-size",
      description = "examples per step (default: 32 for digits, 64 otherwise)")
  Integer batchSize;

  @Option(
      names = "--epochs",
      description = "passes over the training data (default: 20 for digits, 5 otherwise)")
  Integer epochs;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "seed for initialisation and shuffling (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--threads", description = "kernel threads (default: the processor count)")
  Integer threads;

  @Option(
      names = "--warm-up",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "while the data loads, run training steps of a throw-away copy of the model on a second"
              + " thread, so the real ones start compiled; results are the same either way"
              + " (default: on)")
  boolean warmUp;

  @Option(
      names = "--save",
      paramLabel = "PATH",
      description = "write the trained model as safetensors")
  Path save;

  @Option(
      names = "--plot",
      paramLabel = "PATH",
      description = "write a PNG of loss and accuracy per epoch")
  Path plot;

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  Trainer.Config config() {
    if (!DATASETS.contains(dataset)) {
      throw usage("unknown --dataset '" + dataset + "' (expected one of " + DATASETS + ")");
    }
    if (!ModelSpec.NAMES.contains(model)) {
      throw usage("unknown --model '" + model + "' (expected one of " + ModelSpec.NAMES + ")");
    }
    boolean mlp = model.equals("mlp");
    if (!mlp && (hidden != null || activation != null)) {
      throw usage(
          "--hidden and --activation apply to --model mlp only (the " + model + " is fixed)");
    }
    int[] hidden = this.hidden != null ? this.hidden : new int[] {128};
    String activation = this.activation != null ? this.activation : "relu";
    if (!Mlp.ACTIVATIONS.contains(activation)) {
      throw usage(
          "unknown --activation '" + activation + "' (expected one of " + Mlp.ACTIVATIONS + ")");
    }
    if (!optimizer.equals("sgd") && !optimizer.equals("adam")) {
      throw usage("unknown --optimizer '" + optimizer + "' (expected sgd or adam)");
    }
    for (int h : hidden) {
      if (h < 1) {
        throw usage("--hidden sizes must be positive, got " + h);
      }
    }
    String lrSchedule = schedule != null ? schedule : mlp ? "constant" : "cosine";
    if (!SCHEDULES.contains(lrSchedule)) {
      throw usage("unknown --schedule '" + lrSchedule + "' (expected one of " + SCHEDULES + ")");
    }
    boolean digits = dataset.equals("digits");
    boolean sgd = optimizer.equals("sgd");
    double rate = lr != null ? lr : !sgd ? 1e-3 : mlp ? 0.1 : 0.05;
    int batch = batchSize != null ? batchSize : digits ? 32 : 64;
    int passes = epochs != null ? epochs : digits ? 20 : 5;
    double mom = momentum != null ? momentum : sgd && (digits || !mlp) ? 0.9 : 0;
    if (!(rate > 0 && rate < Double.POSITIVE_INFINITY)) {
      throw usage("--lr must be a positive finite number, got " + given("--lr", rate));
    }
    if (!(mom >= 0 && mom < Double.POSITIVE_INFINITY)) {
      throw usage(
          "--momentum must be a non-negative finite number, got " + given("--momentum", mom));
    }
    if (batch < 1) {
      throw usage("--batch-size must be positive, got " + batch);
    }
    if (passes < 1) {
      throw usage("--epochs must be positive, got " + passes);
    }
    if (threads != null && threads < 1) {
      throw usage("--threads must be at least 1, got " + threads);
    }
    if (data != null && digits) {
      throw usage("--data applies to fashion-mnist and mnist; the digits are bundled");
    }
    checkOutput("--save", save);
    checkOutput("--plot", plot);
    return new Trainer.Config(
        model, hidden, activation, optimizer, rate, lrSchedule, mom, batch, passes, seed);
  }

  /** The option's text as typed ("1e400", not its parsed Infinity), else the value. */
  private String given(String option, double value) {
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    if (parsed != null && parsed.hasMatchedOption(option)) {
      List<String> typed = parsed.matchedOption(option).stringValues();
      if (!typed.isEmpty()) {
        return typed.get(typed.size() - 1);
      }
    }
    return Double.toString(value);
  }

  /**
   * Refuses, before any training, an output path that could not be written: a directory, or one
   * whose parent is missing, not a directory or not writable.
   */
  private void checkOutput(String option, Path file) {
    if (file == null) {
      return;
    }
    Path parent = file.toAbsolutePath().getParent();
    if (Files.isDirectory(file) || parent == null) {
      throw usage(option + " " + file + " is a directory; give a file name");
    }
    if (!Files.exists(parent)) {
      throw usage(option + " " + file + ": the folder " + parent + " does not exist");
    }
    if (!Files.isDirectory(parent)) {
      throw usage(option + " " + file + ": " + parent + " is not a folder");
    }
    if (!Files.isWritable(parent)) {
      throw usage(option + " " + file + ": the folder " + parent + " is not writable");
    }
  }

  /**
   * The warm-up of the model the options name, sized to the data set's expected image shape ({@link
   * Datasets#expectedSide}: a folder of other sizes only warms up other shapes); null, no warm-up,
   * for a model that would not fit into 1/{@link #WARM_UP_HEAP_SHARE} of the heap, whose memory the
   * data set being read needs more (and whose steps are too slow for a warm-up to pay).
   */
  static WarmUp warmUp(Trainer.Config c, String dataset) {
    int side = Datasets.expectedSide(dataset);
    ModelSpec spec =
        ModelSpec.forShape(c.model(), c.hidden(), c.activation(), side, side, Datasets.CLASSES);
    long bytes = spec.trainingBytes(c.batchSize(), 0, optimizerStates(c));
    long asIfShared = Math.min(bytes, Long.MAX_VALUE / WARM_UP_HEAP_SHARE) * WARM_UP_HEAP_SHARE;
    return spec.doesNotFit(asIfShared) == null ? WarmUp.start(spec, c) : null;
  }

  /** The warm-up runs only for a model whose training needs at most 1/8 of the heap. */
  static final int WARM_UP_HEAP_SHARE = 8;

  /** Buffers per parameter the optimizer keeps: 2 for Adam, 1 for SGD with momentum. */
  private static int optimizerStates(Trainer.Config c) {
    return c.optimizer().equals("adam") ? 2 : c.momentum() > 0 ? 1 : 0;
  }

  @Override
  public Integer call() throws Exception {
    Trainer.Config c = config();
    if (threads != null) {
      Parallel.setThreads(threads);
    }
    PrintWriter out = spec.commandLine().getOut();
    Datasets.Splits splits;
    try (WarmUp w = warmUp ? warmUp(c, dataset) : null) {
      splits = Datasets.load(dataset, data);
    }
    ModelSpec planned = ModelSpec.forData(c.model(), c.hidden(), c.activation(), splits);
    String tooBig =
        planned.doesNotFit(
            planned.trainingBytes(
                c.batchSize(),
                Math.min(ModelSpec.EVAL_BATCH, splits.test().size()),
                optimizerStates(c)));
    if (tooBig != null) {
      throw usage(tooBig);
    }
    Trainer.Result r = Trainer.train(c, splits, out, System.console() != null);
    if (save != null) {
      try {
        Safetensors.write(save, r.model().stateDict(), r.spec().metadata(dataset));
      } catch (IOException e) {
        throw Main.failed("writing the model to " + save, e);
      }
      out.println("saved the model to " + save);
    }
    if (plot != null) {
      try {
        Charts.trainingCurves(plot, r.spec().describe() + " on " + dataset, r.epochs());
      } catch (IOException e) {
        throw Main.failed("writing the training curves to " + plot, e);
      }
      out.println("wrote the training curves to " + plot);
    }
    out.printf("final test accuracy: %.4f%n", r.finalAccuracy());
    out.printf("train seconds per epoch: %.4f%n", r.medianEpochSeconds());
    out.flush();
    return 0;
  }
}
