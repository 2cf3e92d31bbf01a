package dev.jgrad.examples;

import dev.jgrad.nn.Safetensors;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.data.TensorDataset;
import dev.jgrad.tensor.Generator;
import java.io.PrintWriter;
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

  @Override
  public Integer call() throws Exception {
    Map<String, String> meta = Safetensors.readMetadata(model);
    ModelSpec arch = ModelSpec.fromMetadata(meta);
    String name = dataset != null ? dataset : meta.getOrDefault(ModelSpec.DATASET_KEY, "digits");
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
