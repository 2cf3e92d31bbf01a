package dev.jgrad.examples;

import dev.jgrad.tensor.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jgrad spark-train}: the classifier of {@code train}, trained data-parallel on Apache
 * Spark (jgrad-spark's {@link DataParallelTrainer}). Spark is not inside jgrad.jar: the launcher
 * puts it on the class path for this command, and {@code spark-submit} brings a cluster's own.
 */
@Command(
    name = "spark-train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a classifier data-parallel on Apache Spark: one replica per worker (barrier task),"
          + " gradients summed by a ring all-reduce each step.",
      "Takes train's options (--schedule: constant only) and the ones below."
    })
final class SparkTrainCommand extends TrainCommand {
  @Option(
      names = "--master",
      description =
          "the Spark master, e.g. local[2] or spark://host:7077 (default: spark-submit's, else"
              + " local[2])")
  String master;

  @Option(
      names = "--workers",
      description = "replicas (barrier tasks); each loads its share of the data (default: 2)")
  int workers = 2;

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "DIR",
      description =
          "write a checkpoint after every epoch and resume from the newest one (a folder every"
              + " executor can reach)")
  String checkpointDir;

  @Option(
      names = "--average-every",
      paramLabel = "K",
      description =
          "0: synchronous SGD (gradients summed every step); K > 0: local steps, parameters and"
              + " optimizer state averaged every K steps (default: 0)")
  int averageEvery;

  @Override
  public Integer call() throws Exception {
    if (schedule != null && !schedule.equals("constant")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "spark-train supports --schedule constant only");
    }
    schedule = "constant";
    if (plot != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "spark-train does not draw --plot");
    }
    if (averageEvery < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--average-every must be 0 or more, got " + averageEvery);
    }
    if (workers < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--workers must be at least 1, got " + workers);
    }
    Trainer.Config c = config();
    if (threads != null) {
      Parallel.setThreads(threads);
    }
    Datasets.Splits splits = Datasets.load(dataset, data);
    // Spark's classes load from here on only: picocli inspects this class for every command.
    SparkTraining.run(
        new SparkTraining.Job(
            c,
            splits,
            dataset,
            data == null ? null : data.toString(),
            master,
            workers,
            checkpointDir,
            averageEvery,
            save),
        spec.commandLine().getOut());
    return 0;
  }
}
