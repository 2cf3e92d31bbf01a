package dev.jgrad.nn;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import java.util.Arrays;

/**
 * The state and forward of {@link BatchNorm1d} and {@link BatchNorm2d}, which differ only in the
 * input ranks they accept (PyTorch's {@code _BatchNorm}).
 */
abstract class BatchNormBase extends Module {
  final int numFeatures;
  final double eps;
  final double momentum;
  final boolean affine;
  final boolean trackRunningStats;
  final Tensor weight;
  final Tensor bias;
  final Tensor runningMean;
  final Tensor runningVar;
  final Tensor numBatchesTracked;

  BatchNormBase(
      String name,
      int numFeatures,
      double eps,
      double momentum,
      boolean affine,
      boolean trackRunningStats) {
    if (numFeatures < 1) {
      throw new IllegalArgumentException(
          name + ": num_features must be positive, got " + numFeatures);
    }
    if (!(eps > 0)) {
      throw new IllegalArgumentException(name + ": eps must be positive, got " + eps);
    }
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException(name + ": momentum must be in [0, 1], got " + momentum);
    }
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    weight =
        affine ? registerParameter("weight", allocate(name, () -> Tensor.ones(numFeatures))) : null;
    bias =
        affine ? registerParameter("bias", allocate(name, () -> Tensor.zeros(numFeatures))) : null;
    if (trackRunningStats) {
      runningMean = registerBuffer("running_mean", allocate(name, () -> Tensor.zeros(numFeatures)));
      runningVar = registerBuffer("running_var", allocate(name, () -> Tensor.ones(numFeatures)));
      numBatchesTracked =
          registerBuffer("num_batches_tracked", allocate(name, () -> Tensor.zeros(DType.INT32)));
    } else {
      runningMean = null;
      runningVar = null;
      numBatchesTracked = null;
    }
  }

  /** Whether this module takes inputs of the given rank. */
  abstract boolean acceptsRank(int rank);

  /** The accepted shapes, for the error message: "a 4-D (N, C, H, W)". */
  abstract String expectedShape();

  /**
   * Normalises with the batch's statistics in training mode (updating the running ones, and
   * counting the batch in {@code num_batches_tracked}) or without running statistics, and with the
   * running statistics in evaluation mode.
   *
   * @throws IllegalArgumentException if the input's rank or channel count is wrong, or a batch in
   *     training mode has only one value per channel
   */
  @Override
  public Tensor forward(Tensor input) {
    checkInput(input);
    String name = getClass().getSimpleName();
    int[] shape = input.shape();
    if (!acceptsRank(shape.length)) {
      throw new IllegalArgumentException(
          name + ": expected " + expectedShape() + " input, got shape " + Arrays.toString(shape));
    }
    if (shape[1] != numFeatures) {
      throw new IllegalArgumentException(
          String.format(
              "%s: expected %d channels (num_features), got input of shape %s",
              name, numFeatures, Arrays.toString(shape)));
    }
    boolean batchStatistics = isTraining() || !trackRunningStats;
    boolean update = isTraining() && trackRunningStats;
    Tensor y =
        Normalization.batchNorm(
            name,
            input,
            update || !batchStatistics ? runningMean : null,
            update || !batchStatistics ? runningVar : null,
            weight,
            bias,
            batchStatistics,
            momentum,
            eps);
    if (update) {
      try (GradMode.Scope off = Tensor.noGrad()) {
        numBatchesTracked.addInPlace(Tensor.ofInts(1).reshape());
      }
    }
    return y;
  }

  @Override
  protected String extraRepr() {
    return String.format(
        "%d, eps=%s, momentum=%s, affine=%s, track_running_stats=%s",
        numFeatures,
        eps,
        momentum,
        affine ? "True" : "False",
        trackRunningStats ? "True" : "False");
  }
}
