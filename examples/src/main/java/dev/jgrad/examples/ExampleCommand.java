package dev.jgrad.examples;

import dev.jgrad.tensor.Parallel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./jgrad example NAME}: the small example programs. */
@Command(
    name = "example",
    mixinStandardHelpOptions = true,
    description = {
      "Run an example program:",
      "  xor      a neuron, then a 2-5-1 network learning XOR",
      "  fashion  the 784-128-10 MLP on Fashion-MNIST (SGD, 5 epochs; --adam: Adam, 20 epochs)",
      "  cnn      a convolutional network (conv, batch norm, max pooling) on the 8x8 digits",
      "  sine     fit sin(x) with a tanh MLP (--plot PATH draws the fit)",
      "  hessian  a Hessian-vector product with higher-order gradients",
      "  custom   a custom autograd function checked with GradCheck",
      "  gpt      a character-level GPT on tiny Shakespeare (--steps, --eval-every, --save, --load)"
    })
final class ExampleCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "NAME",
      description = "xor, fashion, cnn, sine, hessian, custom or gpt")
  String name;

  @Option(names = "--plot", paramLabel = "PATH", description = "sine: where to write the PNG")
  Path plot;

  @Option(names = "--adam", description = "fashion: Adam and 20 epochs instead of SGD and 5")
  boolean adam;

  @Option(names = "--data", paramLabel = "DIR", description = "fashion: the MNIST-format folder")
  Path data;

  @Option(names = "--steps", description = "gpt: training steps (default ${DEFAULT-VALUE})")
  int steps = 2000;

  @Option(
      names = "--eval-every",
      description = "gpt: steps between train/val loss estimates (default ${DEFAULT-VALUE})")
  int evalEvery = 250;

  @Option(
      names = "--save",
      paramLabel = "PATH",
      description = "gpt: write a safetensors checkpoint")
  Path save;

  @Option(names = "--load", paramLabel = "PATH", description = "gpt: start from a checkpoint")
  Path load;

  @Option(names = "--threads", description = "kernel threads")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    if (threads != null) {
      Parallel.setThreads(threads);
    }
    PrintWriter out = spec.commandLine().getOut();
    switch (name) {
      case "xor":
        return XorExample.run(out, 0) == 1.0 ? 0 : 1;
      case "fashion":
        Trainer.Config c =
            adam
                ? new Trainer.Config(
                    "mlp", new int[] {128}, "relu", "adam", 1e-3, "constant", 0, 64, 20, 0)
                : new Trainer.Config(
                    "mlp", new int[] {128}, "relu", "sgd", 0.1, "constant", 0, 64, 5, 0);
        Trainer.Result r =
            Trainer.train(c, Datasets.load("fashion-mnist", data), out, System.console() != null);
        out.printf("final test accuracy: %.4f%n", r.finalAccuracy());
        out.flush();
        return 0;
      case "cnn":
        return CnnExample.run(out, 0, 3) > 0.5 ? 0 : 1;
      case "sine":
        SineExample.run(out, plot, 0);
        return 0;
      case "hessian":
        return HessianExample.run(out) < 1e-9 ? 0 : 1;
      case "custom":
        return CustomFunctionExample.run(out) ? 0 : 1;
      case "gpt":
        if (steps < 0 || evalEvery < 1) {
          throw new CommandLine.ParameterException(
              spec.commandLine(),
              "gpt: --steps must be >= 0 and --eval-every >= 1, got " + steps + ", " + evalEvery);
        }
        String text = GptExample.shakespeare();
        GptExample.run(out, text, GptExample.Options.defaults(steps, evalEvery), load, save);
        return 0;
      default:
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "unknown example '" + name + "' (xor, fashion, cnn, sine, hessian, custom, gpt)");
    }
  }
}
