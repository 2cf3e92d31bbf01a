package dev.jgrad.nn;

/**
 * Batch normalisation of an (N, C) or (N, C, L) input: each of the C features is normalised over N
 * (and L), then scaled by a learnt weight and shifted by a learnt bias (PyTorch's {@code
 * BatchNorm1d}). In training mode it uses the batch's mean and biased variance and updates the
 * buffers {@code running_mean} and {@code running_var} (with the unbiased variance): running ← (1 −
 * momentum)·running + momentum·batch, and counts batches in {@code num_batches_tracked}; in
 * evaluation mode it uses the running statistics. Without {@code trackRunningStats} there are no
 * buffers and the batch statistics are always used. The buffers are part of {@link #stateDict()},
 * under PyTorch's names.
 *
 * <pre>{@code
 * var bn = new BatchNorm1d(128);
 * Tensor y = bn.forward(x);   // x: [64, 128]
 * bn.eval();                  // now normalises with the running statistics
 * }</pre>
 */
public final class BatchNorm1d extends BatchNormBase {
  /**
   * Batch normalisation of {@code numFeatures} channels with PyTorch's defaults: eps 1e-5, momentum
   * 0.1, a learnt weight (ones) and bias (zeros), and running statistics.
   *
   * @throws IllegalArgumentException if numFeatures is not positive
   */
  public BatchNorm1d(int numFeatures) {
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
  public BatchNorm1d(
      int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
    super("BatchNorm1d", numFeatures, eps, momentum, affine, trackRunningStats);
  }

  @Override
  boolean acceptsRank(int rank) {
    return rank == 2 || rank == 3;
  }

  @Override
  String expectedShape() {
    return "a 2-D (N, C) or 3-D (N, C, L)";
  }
}
