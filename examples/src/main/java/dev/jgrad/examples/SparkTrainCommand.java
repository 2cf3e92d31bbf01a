package dev.jgrad.examples;

import dev.jgrad.nn.Safetensors;
import dev.jgrad.nn.data.TensorDataset;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.SGD;
import dev.jgrad.spark.DataParallelTrainer;
import dev.jgrad.spark.Example;
import dev.jgrad.spark.ModelFactory;
import dev.jgrad.spark.OptimizerFactory;
import dev.jgrad.spark.TrainingOptions;
import dev.jgrad.spark.TrainingResult;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.Parallel;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
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
    if (workers < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--workers must be at least 1, got " + workers);
    }
    Trainer.Config c = config();
    if (threads != null) {
      Parallel.setThreads(threads);
    }
    PrintWriter out = spec.commandLine().getOut();
    Datasets.Splits splits = Datasets.load(dataset, data);
    ModelSpec model = ModelSpec.forData(c.model(), c.hidden(), c.activation(), splits);
    SparkConf conf = new SparkConf().setAppName("jgrad spark-train");
    if (master != null) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[2]");
    }
    try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
      jsc.setLogLevel("WARN");
      out.printf(
          "spark-train: %s on %s (%d train examples), %s lr %s, global batch %d, %d epochs, %d"
              + " workers on %s%n",
          model.describe(),
          splits.name(),
          splits.train().size(),
          c.optimizer(),
          c.lr(),
          c.batchSize(),
          c.epochs(),
          workers,
          jsc.master());
      out.flush();
      TrainingResult r =
          new DataParallelTrainer(
                  modelFactory(model, c.seed()),
                  optimizerFactory(c),
                  TrainingOptions.forInputs(model.inputShape())
                      .batchSize(c.batchSize())
                      .epochs(c.epochs())
                      .seed(c.seed())
                      .workers(workers)
                      .checkpointDir(checkpointDir))
              .fit(examples(jsc, dataset, data == null ? null : data.toString(), workers));
      for (int e = 0; e < r.epochLoss().length; e++) {
        if (!Double.isNaN(r.epochLoss()[e])) {
          out.printf(
              "epoch %3d/%d  train loss %.4f  %.3f s%n",
              e + 1, c.epochs(), r.epochLoss()[e], r.epochSeconds()[e]);
        }
      }
      TensorDataset test = model.inputs(splits.test());
      Trainer.Evaluation eval = Trainer.evaluate(r.model(), test);
      if (save != null) {
        try {
          Safetensors.write(save, r.model().stateDict(), model.metadata(dataset));
        } catch (IOException e) {
          throw Main.failed("writing the model to " + save, e);
        }
        out.println("saved the model to " + save);
      }
      double perStep = r.secondsPerStep();
      out.printf(
          "step time: %.2f ms (compute %.2f ms, all-reduce %.2f ms), %.0f samples/s%n",
          1e3 * perStep,
          1e3 * r.computeSeconds() / r.steps(),
          1e3 * r.exchangeSeconds() / r.steps(),
          c.batchSize() / perStep);
      out.printf("bytes sent per worker per step: %,d%n", r.bytesSentPerStep());
      out.printf(
          "spark: %.2f s checking the data, %.2f s other overhead (stage launch, rendezvous,"
              + " result), %.2f s in all%n",
          r.checkSeconds(), r.overheadSeconds(), r.fitSeconds());
      out.printf("final test accuracy: %.4f%n", eval.accuracy());
      out.flush();
    }
    return 0;
  }

  /** Each replica's architecture; the weights come from the driver's model. */
  private static ModelFactory modelFactory(ModelSpec model, long seed) {
    return () -> model.build(new Generator(seed));
  }

  private static OptimizerFactory optimizerFactory(Trainer.Config c) {
    String name = c.optimizer();
    double lr = c.lr();
    double momentum = c.momentum();
    return params -> name.equals("adam") ? new Adam(params, lr) : new SGD(params, lr, momentum);
  }

  /**
   * The training split as {@code partitions} partitions in order, each task reading the data set
   * itself (from the jar or the folder, which must exist on every executor) and keeping its slice:
   * the examples never travel through the driver.
   */
  static JavaRDD<Example> examples(JavaSparkContext jsc, String name, String dir, int partitions) {
    List<Integer> slices = IntStream.range(0, partitions).boxed().toList();
    return jsc.parallelize(slices, partitions)
        .mapPartitions(
            it -> {
              int slice = it.next();
              TensorDataset train =
                  Datasets.load(name, dir == null ? null : java.nio.file.Path.of(dir)).train();
              int n = train.size();
              int from = (int) ((long) n * slice / partitions);
              int to = (int) ((long) n * (slice + 1) / partitions);
              float[] x = train.inputs().toFloatArray();
              int[] y = train.targets().toIntArray();
              int width = x.length / Math.max(1, n);
              List<Example> out = new ArrayList<>(to - from);
              for (int i = from; i < to; i++) {
                out.add(new Example(java.util.Arrays.copyOfRange(x, i * width, (i + 1) * width), y[i]));
              }
              return out.iterator();
            });
  }
}
