package dev.jgrad.examples;

import dev.jgrad.nn.Safetensors;
import dev.jgrad.nn.SafetensorsException;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.data.TensorDataset;
import dev.jgrad.tensor.Generator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./jgrad eval --model PATH}: reloads a saved model and prints its test accuracy. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Evaluate a model saved by train --save.")
final class EvalCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "PATH",
      description = "a .safetensors file from train --save")
  Path model;

  @Option(names = "--dataset", description = "the data set (default: the one it was trained on)")
  String dataset;

  @Option(names = "--data", paramLabel = "DIR", description = "a folder in the MNIST IDX format")
  Path data;

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /**
   * Checks, before any allocation, that the metadata's architecture is one the file can hold: its
   * float32 parameters fit in the file's bytes (a header is checked against the file size, so a
   * file cannot claim more data than it has), and the model fits in the heap.
   *
   * @throws IllegalArgumentException if the metadata describes more than the file holds or the heap
   *     can take
   */
  private void checkArchitecture(ModelSpec arch, long fileBytes) {
    long needed = 4 * arch.parameterCount();
    if (arch.parameterCount() > fileBytes / 4) {
      throw new IllegalArgumentException(
          String.format(
              "the model file %s is %,d bytes but its metadata describes %s, %,d parameters"
                  + " (%,d bytes): the metadata does not match the weights",
              model, fileBytes, arch.describe(), arch.parameterCount(), needed));
    }
    String tooBig = arch.doesNotFit(arch.evaluationBytes());
    if (tooBig != null) {
      throw new IllegalArgumentException("the model in " + model + ": " + tooBig);
    }
  }

  @Override
  public Integer call() throws Exception {
    if (dataset != null && !TrainCommand.DATASETS.contains(dataset)) {
      throw usage(
          "unknown --dataset '" + dataset + "' (expected one of " + TrainCommand.DATASETS + ")");
    }
    if (data != null && "digits".equals(dataset)) {
      throw usage("--data applies to fashion-mnist and mnist; the digits are bundled");
    }
    Map<String, String> meta;
    long fileBytes;
    try {
      meta = Safetensors.readMetadata(model);
      fileBytes = Files.size(model);
    } catch (SafetensorsException e) {
      throw e; // its message names the file and the problem
    } catch (IOException e) {
      throw Main.failed("reading the model " + model, e);
    }
    ModelSpec arch = ModelSpec.fromMetadata(meta);
    String name = dataset != null ? dataset : meta.getOrDefault(ModelSpec.DATASET_KEY, "digits");
    if (data != null && name.equals("digits")) {
      throw usage("--data applies to fashion-mnist and mnist; the digits are bundled");
    }
    checkArchitecture(arch, fileBytes);
    Sequential net = arch.build(new Generator(0));
    net.load(model);
    TensorDataset test = arch.inputs(Datasets.load(name, data).test());
    Trainer.Evaluation e = Trainer.evaluate(net, test);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "evaluated %s on %s (%d test examples): test loss %.4f%n",
        arch.describe(), name, test.size(), e.loss());
    out.printf("final test accuracy: %.4f%n", e.accuracy());
    out.flush();
    return 0;
  }
}
