package dev.jgrad.spark;

import dev.jgrad.nn.Module;
import dev.jgrad.tensor.NDArray;
import java.util.Map;

/**
 * What {@link DataParallelTrainer#fit} produced.
 *
 * @param model the trained model, on the driver
 * @param optimizerState the optimizer's final state dict (to resume elsewhere)
 * @param workers the number of workers (barrier tasks) that trained
 * @param resumedAfterEpoch the epochs already done by the checkpoint the last attempt resumed from
 *     (0 when it started afresh)
 * @param epochLoss each epoch's mean training loss over all examples (NaN for epochs done before
 *     the resumed checkpoint)
 * @param epochSeconds each epoch's wall time in worker 0 (NaN likewise)
 * @param steps the steps worker 0 took in its last attempt
 * @param computeSeconds worker 0's time in forward, backward and optimizer steps
 * @param exchangeSeconds worker 0's time in the gradient exchange (encode, allGather, sum)
 * @param bytesSentPerStep the bytes of one worker's message per step (Base64 text)
 */
public record TrainingResult(
    Module model,
    Map<String, NDArray> optimizerState,
    int workers,
    int resumedAfterEpoch,
    double[] epochLoss,
    double[] epochSeconds,
    long steps,
    double computeSeconds,
    double exchangeSeconds,
    long bytesSentPerStep) {

  /** The last epoch's mean training loss. */
  public double finalLoss() {
    return epochLoss[epochLoss.length - 1];
  }

  /** Mean seconds per step in worker 0 (compute and exchange). */
  public double secondsPerStep() {
    return steps == 0 ? Double.NaN : (computeSeconds + exchangeSeconds) / steps;
  }
}
