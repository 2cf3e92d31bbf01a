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
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Spark side of {@code ./jgrad spark-train}, apart from the command so that only this command
 * needs Spark on the class path.
 */
final class SparkTraining {
  /** A checked spark-train: train's configuration, the loaded data, and Spark's options. */
  record Job(
      Trainer.Config config,
      Datasets.Splits splits,
      String dataset,
      String dataDir,
      String master,
      int workers,
      String checkpointDir,
      int averageEvery,
      Path save) {}

  private SparkTraining() {}

  /** Trains on Spark, evaluates on the driver, prints the numbers. */
  static void run(Job job, PrintWriter out) throws IOException {
    Trainer.Config c = job.config();
    Datasets.Splits splits = job.splits();
    String dataset = job.dataset();
    Path save = job.save();
    ModelSpec model = ModelSpec.forData(c.model(), c.hidden(), c.activation(), splits);
    SparkConf conf = new SparkConf().setAppName("jgrad spark-train");
    if (job.master() != null) {
      conf.setMaster(job.master());
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[2]");
    }
    try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
      jsc.setLogLevel("WARN");
      out.printf(
          "spark-train: %s on %s (%d train examples), %s lr %s, global batch %d, %d epochs, %d"
              + " workers on %s, %s%n",
          model.describe(),
          splits.name(),
          splits.train().size(),
          c.optimizer(),
          c.lr(),
          c.batchSize(),
          c.epochs(),
          job.workers(),
          jsc.master(),
          job.averageEvery() == 0
              ? "synchronous"
              : "averaging every " + job.averageEvery() + " steps");
      out.flush();
      TrainingResult r =
          new DataParallelTrainer(
                  modelFactory(model, c.seed()),
                  optimizerFactory(c),
                  TrainingOptions.forInputs(model.inputShape())
                      .batchSize(c.batchSize())
                      .epochs(c.epochs())
                      .seed(c.seed())
                      .workers(job.workers())
                      .checkpointDir(job.checkpointDir())
                      .averageEvery(job.averageEvery()))
              .fit(examples(jsc, dataset, job.dataDir(), job.workers()));
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
              TensorDataset train = Datasets.load(name, dir == null ? null : Path.of(dir)).train();
              int n = train.size();
              int from = (int) ((long) n * slice / partitions);
              int to = (int) ((long) n * (slice + 1) / partitions);
              float[] x = train.inputs().toFloatArray();
              int[] y = train.targets().toIntArray();
              int width = x.length / Math.max(1, n);
              List<Example> out = new ArrayList<>(to - from);
              for (int i = from; i < to; i++) {
                out.add(new Example(Arrays.copyOfRange(x, i * width, (i + 1) * width), y[i]));
              }
              return out.iterator();
            });
  }
}
