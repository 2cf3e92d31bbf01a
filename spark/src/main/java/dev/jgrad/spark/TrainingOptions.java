package dev.jgrad.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * How {@link DataParallelTrainer} trains. Start from {@link #forInputs} and change what differs.
 *
 * <pre>{@code
 * TrainingOptions o = TrainingOptions.forInputs(784).batchSize(64).epochs(5).seed(42)
 *     .checkpointDir("/shared/run1");
 * }</pre>
 *
 * @param inputShape the shape of one example without the batch dim ([784] for a flat MNIST MLP, [1,
 *     28, 28] for a CNN); each example's features are reshaped to it
 * @param batchSize the global batch size: examples per step over all workers together
 * @param epochs passes over the data
 * @param seed drives the order of the examples (as jgrad's DataLoader with this seed)
 * @param workers barrier tasks (replicas); 0 takes the data's partition count. More partitions than
 *     workers are coalesced; a barrier stage needs all its tasks running at once, so workers must
 *     not exceed the cluster's task slots
 * @param loss the loss, summed over a shard
 * @param checkpointDir a folder every executor can write and read, or null for no checkpoints
 * @param stepHook called before every step in every task, or null
 * @param averageEvery 0 (the default) for synchronous SGD, the gradients summed every step; k &gt;
 *     0 for the communication-light mode: each worker steps on its own part of each global batch
 *     (the mean loss over that part) and every k steps, and at each epoch's end, the workers
 *     average their parameters and optimizer buffers (k·less traffic, a different trajectory)
 */
public record TrainingOptions(
    int[] inputShape,
    int batchSize,
    int epochs,
    long seed,
    int workers,
    Loss loss,
    String checkpointDir,
    StepHook stepHook,
    int averageEvery)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Checks the options.
   *
   * @throws IllegalArgumentException naming the option if one is out of range
   */
  public TrainingOptions {
    if (inputShape == null
        || inputShape.length == 0
        || Arrays.stream(inputShape).anyMatch(d -> d < 1)) {
      throw new IllegalArgumentException(
          "jgrad-spark: inputShape must be positive sizes, got " + Arrays.toString(inputShape));
    }
    inputShape = inputShape.clone();
    if (batchSize < 1) {
      throw new IllegalArgumentException(
          "jgrad-spark: batchSize must be positive, got " + batchSize);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("jgrad-spark: epochs must be positive, got " + epochs);
    }
    if (workers < 0) {
      throw new IllegalArgumentException("jgrad-spark: workers must be >= 0, got " + workers);
    }
    if (averageEvery < 0) {
      throw new IllegalArgumentException(
          "jgrad-spark: averageEvery must be >= 0 (0: synchronous SGD), got " + averageEvery);
    }
    if (loss == null) {
      throw new IllegalArgumentException("jgrad-spark: loss must not be null");
    }
  }

  /**
   * Batch 64, 1 epoch, seed 0, a worker per partition, cross-entropy, no checkpoints, synchronous.
   */
  public static TrainingOptions forInputs(int... inputShape) {
    return new TrainingOptions(inputShape, 64, 1, 0, 0, Loss.crossEntropy(), null, null, 0);
  }

  /** The shape (a copy). */
  @Override
  public int[] inputShape() {
    return inputShape.clone();
  }

  /** Values per example: the product of {@link #inputShape()}. */
  public int width() {
    return Arrays.stream(inputShape).reduce(1, Math::multiplyExact);
  }

  public TrainingOptions batchSize(int batchSize) {
    return new TrainingOptions(
        inputShape, batchSize, epochs, seed, workers, loss, checkpointDir, stepHook, averageEvery);
  }

  public TrainingOptions epochs(int epochs) {
    return new TrainingOptions(
        inputShape, batchSize, epochs, seed, workers, loss, checkpointDir, stepHook, averageEvery);
  }

  public TrainingOptions seed(long seed) {
    return new TrainingOptions(
        inputShape, batchSize, epochs, seed, workers, loss, checkpointDir, stepHook, averageEvery);
  }

  public TrainingOptions workers(int workers) {
    return new TrainingOptions(
        inputShape, batchSize, epochs, seed, workers, loss, checkpointDir, stepHook, averageEvery);
  }

  public TrainingOptions loss(Loss loss) {
    return new TrainingOptions(
        inputShape, batchSize, epochs, seed, workers, loss, checkpointDir, stepHook, averageEvery);
  }

  public TrainingOptions checkpointDir(String checkpointDir) {
    return new TrainingOptions(
        inputShape, batchSize, epochs, seed, workers, loss, checkpointDir, stepHook, averageEvery);
  }

  public TrainingOptions stepHook(StepHook stepHook) {
    return new TrainingOptions(
        inputShape, batchSize, epochs, seed, workers, loss, checkpointDir, stepHook, averageEvery);
  }

  public TrainingOptions averageEvery(int averageEvery) {
    return new TrainingOptions(
        inputShape, batchSize, epochs, seed, workers, loss, checkpointDir, stepHook, averageEvery);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingOptions t
        && Arrays.equals(inputShape, t.inputShape)
        && batchSize == t.batchSize
        && epochs == t.epochs
        && seed == t.seed
        && workers == t.workers
        && loss.equals(t.loss)
        && java.util.Objects.equals(checkpointDir, t.checkpointDir)
        && java.util.Objects.equals(stepHook, t.stepHook)
        && averageEvery == t.averageEvery;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        Arrays.hashCode(inputShape), batchSize, epochs, seed, workers, checkpointDir, averageEvery);
  }

  @Override
  public String toString() {
    return String.format(
        "TrainingOptions[inputShape=%s, batchSize=%d, epochs=%d, seed=%d, workers=%d,"
            + " checkpointDir=%s, averageEvery=%d]",
        Arrays.toString(inputShape), batchSize, epochs, seed, workers, checkpointDir, averageEvery);
  }
}
