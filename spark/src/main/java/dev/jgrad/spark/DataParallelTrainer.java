package dev.jgrad.spark;

import dev.jgrad.nn.Module;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Trains any jgrad {@link Module} on a Spark RDD or DataFrame by synchronous data-parallel SGD in
 * one barrier stage: each worker (task) holds a replica of the model and a shard of the data; per
 * step each computes the gradient of its part of the global batch, the gradients are summed over
 * the workers in worker order ({@code BarrierTaskContext.allGather} of float32 in Base64), and
 * every replica takes the same optimizer step. Global batches are the ones jgrad's {@code
 * DataLoader(data, batchSize, true, seed, false)} draws over the examples in RDD order, so the
 * result equals one process training on those batches, to float32 rounding.
 *
 * <pre>{@code
 * var trainer = new DataParallelTrainer(
 *     () -> new Sequential(new Linear(784, 128, true, new Generator(1)), new ReLU(),
 *                          new Linear(128, 10, true, new Generator(2))),
 *     params -> new SGD(params, 0.1),
 *     TrainingOptions.forInputs(784).batchSize(64).epochs(5).checkpointDir("/shared/run1"));
 * TrainingResult r = trainer.fit(examples);          // a JavaRDD<Example>, or
 * TrainingResult s = trainer.fit(df, "features", "label");
 * r.model().save(Path.of("model.safetensors"));
 * }</pre>
 *
 * <p>Fault tolerance: with a checkpoint folder, worker 0 writes the model and optimizer after every
 * epoch; when a task fails, Spark reruns the whole barrier stage and every worker resumes from the
 * newest checkpoint. The data must then be deterministic (the same examples in the same order on
 * recomputation), as for any Spark retry; cache it.
 */
public final class DataParallelTrainer {
  private final ModelFactory modelFactory;
  private final OptimizerFactory optimizerFactory;
  private final TrainingOptions options;

  /** A trainer of the models {@code modelFactory} builds. */
  public DataParallelTrainer(
      ModelFactory modelFactory, OptimizerFactory optimizerFactory, TrainingOptions options) {
    if (modelFactory == null || optimizerFactory == null || options == null) {
      throw new IllegalArgumentException("jgrad-spark: the factories and options must not be null");
    }
    this.modelFactory = modelFactory;
    this.optimizerFactory = optimizerFactory;
    this.options = options;
  }

  /**
   * Trains a model built by the factory on the driver (its weights are the start for every
   * replica).
   *
   * @throws IllegalArgumentException for bad data (see {@link #fit(Module, JavaRDD)})
   */
  public TrainingResult fit(JavaRDD<Example> data) {
    return fit(modelFactory.create(), data);
  }

  /**
   * Trains starting from {@code initial}'s weights, which must fit the factory's architecture. The
   * data is checked first, in an ordinary job: a null example, a wrong width or a negative label,
   * no examples, more partitions than examples, an empty partition, or more workers than the
   * cluster's task slots is refused here, before any barrier stage.
   *
   * @throws IllegalArgumentException naming the problem (and the partition and position of a bad
   *     example)
   */
  public TrainingResult fit(Module initial, JavaRDD<Example> data) {
    long start = System.nanoTime();
    InputCheck.Counts counts = InputCheck.check(data, InputCheck.examples(options.width()));
    return train(initial, data, counts, start);
  }

  /**
   * Trains on a DataFrame with a features column (an array of numbers per row) and an integral
   * label column.
   *
   * @throws IllegalArgumentException if a column is missing, or as {@link #fit(Module, JavaRDD)} (a
   *     null label included)
   */
  public TrainingResult fit(Dataset<Row> rows, String featuresColumn, String labelColumn) {
    StructType schema = rows.schema();
    List<String> names = Arrays.asList(schema.fieldNames());
    for (String c : List.of(featuresColumn, labelColumn)) {
      if (!names.contains(c)) {
        throw new IllegalArgumentException(
            "jgrad-spark: the DataFrame has no column '" + c + "' (columns: " + names + ")");
      }
    }
    int f = schema.fieldIndex(featuresColumn);
    int l = schema.fieldIndex(labelColumn);
    JavaRDD<Row> rdd = rows.javaRDD();
    long start = System.nanoTime();
    InputCheck.Counts counts = InputCheck.check(rdd, RowExamples.problems(f, l, options.width()));
    return train(modelFactory.create(), RowExamples.examples(rdd, f, l), counts, start);
  }

  private TrainingResult train(
      Module initial, JavaRDD<Example> data, InputCheck.Counts counts, long start) {
    double checkSeconds = (System.nanoTime() - start) / 1e9;
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(data.context());
    int partitions = counts.perPartition().length;
    int workers = options.workers() == 0 ? partitions : options.workers();
    if (workers > counts.total()) {
      throw new IllegalArgumentException(
          String.format(
              "jgrad-spark: more workers (%d) than examples (%d)", workers, counts.total()));
    }
    int slots = jsc.defaultParallelism();
    if (workers > slots) {
      throw new IllegalArgumentException(
          String.format(
              "jgrad-spark: %d workers, but the cluster runs %d tasks at once; a barrier stage needs"
                  + " every worker running together (use fewer workers or partitions)",
              workers, slots));
    }
    Module probe = modelFactory.create();
    probe.loadStateDict(initial.stateDict(), true); // the architectures must agree
    Replica.parameters(probe);

    JavaRDD<IndexedExample> indexed = IndexedExample.index(data, counts.perPartition());
    if (workers != partitions) {
      // A barrier stage cannot coalesce its input: a shuffle moves the examples to the workers.
      indexed = indexed.repartition(workers);
    }
    Broadcast<byte[]> state = jsc.broadcast(StateBytes.encode(initial.stateDict()));
    try {
      Worker worker =
          new Worker(modelFactory, optimizerFactory, options, state, (int) counts.total());
      ClassTag<WorkerReport> tag = ClassTag$.MODULE$.apply(WorkerReport.class);
      RDD<WorkerReport> reports = indexed.rdd().barrier().mapPartitions(worker, false, tag);
      // Spark reruns a failed barrier stage only when it is a shuffle-map stage (a failed result
      // stage might have committed output): the shuffle into one partition makes it one.
      List<WorkerReport> collected = new ArrayList<>(reports.toJavaRDD().repartition(1).collect());
      collected.sort(java.util.Comparator.comparingInt(WorkerReport::worker));
      WorkerReport r = collected.get(0);
      for (WorkerReport other : collected) {
        if (other.digest() != r.digest()) {
          throw new IllegalStateException(
              String.format(
                  "jgrad-spark: worker %d ended with other parameters than worker 0 (digest %x,"
                      + " not %x): the replicas diverged",
                  other.worker(), other.digest(), r.digest()));
        }
      }
      Module model = modelFactory.create();
      model.loadStateDict(StateBytes.decode(r.modelState()), true);
      return new TrainingResult(
          model,
          StateBytes.decode(r.optimizerState()),
          r.workers(),
          r.resumedAfterEpoch(),
          r.epochLoss(),
          r.epochSeconds(),
          r.steps(),
          r.computeNanos() / 1e9,
          r.exchangeNanos() / 1e9,
          r.bytesSentPerStep(),
          checkSeconds,
          (System.nanoTime() - start) / 1e9);
    } finally {
      state.destroy();
    }
  }
}
