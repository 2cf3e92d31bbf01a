package dev.jgrad.nn;

/**
 * Batch normalisation of an (N, C, H, W) input: each of the C channels is normalised over N, H and
 * W, then scaled by a learnt weight and shifted by a learnt bias (PyTorch's {@code BatchNorm2d}).
 * In training mode it uses the batch's mean and biased variance and updates the buffers {@code
 * running_mean} and {@code running_var} (with the unbiased variance): running ← (1 −
 * momentum)·running + momentum·batch, and counts batches in {@code num_batches_tracked}; in
 * evaluation mode it uses the running statistics. Without {@code trackRunningStats} there are no
 * buffers and the batch statistics are always used. The buffers are part of {@link #stateDict()},
 * under PyTorch's names.
 *
 * <pre>{@code
 * var bn = new BatchNorm2d(16);
 * Tensor y = bn.forward(x);   // x: [64, 16, 28, 28]
 * bn.eval();                  // now normalises with the running statistics
 * }</pre>
 */
public final class BatchNorm2d extends BatchNormBase {
  /**
   * Batch normalisation of {@code numFeatures} channels with PyTorch's defaults: eps 1e-5, momentum
   * 0.1, a learnt weight (ones) and bias (zeros), and running statistics.
   *
   * @throws IllegalArgumentException if numFeatures is not positive
   */
  public BatchNorm2d(int numFeatures) {
    this(numFeatures, 1e-5, 0.1, true, true);
  }

  /**
   * Batch normalisation with every option.
   *
   * @param eps added to the variance before the square root
   * @param momentum the weight of each new batch in the running statistics
   * @param affine whether to learn a weight and a bias
   * @param trackRunningStats whether to keep running statistics (and use them in eval mode)
   * @throws IllegalArgumentException if numFeatures or eps is not positive, or momentum is not in
   *     [0, 1]
   */
  public BatchNorm2d(
      int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
    super("BatchNorm2d", numFeatures, eps, momentum, affine, trackRunningStats);
  }

  @Override
  boolean acceptsRank(int rank) {
    return rank == 4;
  }

  @Override
  String expectedShape() {
    return "a 4-D (N, C, H, W)";
  }
}
