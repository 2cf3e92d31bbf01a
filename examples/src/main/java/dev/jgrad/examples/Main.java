package dev.jgrad.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./jgrad} command line: {@code train} (the main job), {@code spark-train}, {@code eval}
 * and {@code example}.
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
      SparkTrainCommand.class,
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
    cmd.setExecutionStrategy(
        parsed -> {
          checkThreads(parsed);
          return new CommandLine.RunLast().execute(parsed);
        });
    return cmd.execute(args);
  }

  /** {@code --threads} of any subcommand must be at least 1: a usage error, not a failure. */
  private static void checkThreads(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      CommandLine.Model.OptionSpec threads = p.matchedOption("--threads");
      if (threads != null && threads.getValue() instanceof Integer n && n < 1) {
        throw new CommandLine.ParameterException(
            p.commandSpec().commandLine(), "--threads must be at least 1, got " + n);
      }
    }
  }

  /**
   * What went wrong with a file: "no such file", "is a directory", "permission denied" (with the
   * file when {@code doing} does not name it already), or the exception's own message.
   */
  static String reason(String doing, IOException e) {
    if (e instanceof FileSystemException f) {
      String why =
          e instanceof NoSuchFileException
              ? "no such file"
              : e instanceof AccessDeniedException
                  ? "permission denied"
                  : f.getReason() != null ? f.getReason().toLowerCase(Locale.ROOT) : "failed";
      return f.getFile() == null || doing.contains(f.getFile()) ? why : why + ": " + f.getFile();
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  /**
   * {@code e} as "doing: reason", for the one-line error: "reading the model m.safetensors: no such
   * file". A missing data set's message (which says how to get it) is kept as it is.
   */
  static IOException failed(String doing, IOException e) {
    if (e instanceof Datasets.MissingDataException) {
      return e;
    }
    return new IOException(doing + ": " + reason(doing, e), e);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
