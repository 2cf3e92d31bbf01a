package dev.jgrad.examples;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./jgrad} command line: {@code train} (the main job), {@code eval} and {@code example}.
 *
 * <pre>{@code
 * ./jgrad train                                   # the bundled digits, no download
 * ./jgrad train --dataset fashion-mnist --epochs 5 --plot curves.png --save model.safetensors
 * ./jgrad eval --model model.safetensors
 * ./jgrad example xor
 * }</pre>
 */
@Command(
    name = "jgrad",
    mixinStandardHelpOptions = true,
    version = "jgrad 0.1.0",
    description = "Train and evaluate neural networks with jgrad, pure Java.",
    subcommands = {
      TrainCommand.class,
      EvalCommand.class,
      ExampleCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @picocli.CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(args, out, err));
  }

  /** Runs the command line, printing to the given writers; returns the exit code (2: bad usage). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cmd = new CommandLine(new Main());
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setParameterExceptionHandler(
        (ex, a) -> {
          String sub = ex.getCommandLine().getCommandName();
          err.println(
              "jgrad: "
                  + ex.getMessage()
                  + " (see ./jgrad "
                  + (sub.equals("jgrad") ? "" : sub + " ")
                  + "--help)");
          err.flush();
          return CommandLine.ExitCode.USAGE;
        });
    cmd.setExecutionExceptionHandler(
        (ex, c, parsed) -> {
          if (ex instanceof Datasets.MissingDataException
              || ex instanceof java.io.IOException
              || ex instanceof IllegalArgumentException) {
            err.println("jgrad: " + ex.getMessage());
            err.flush();
            return 1;
          }
          throw ex;
        });
    return cmd.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
