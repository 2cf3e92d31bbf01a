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
 * @param bytesSentPerStep the bytes one worker sends per step in the all-reduce
 * @param checkSeconds the driver's check of the data (one ordinary Spark job)
 * @param fitSeconds the whole of {@code fit} on the driver: the check, the barrier stage (its
 *     launch, the rendezvous, every epoch, any retry) and collecting the result
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
    long bytesSentPerStep,
    double checkSeconds,
    double fitSeconds) {

  /** The last epoch's mean training loss. */
  public double finalLoss() {
    return epochLoss[epochLoss.length - 1];
  }

  /**
   * What Spark adds to a run: {@link #fitSeconds} less the check job and the epochs' own time
   * (stage launch, the once-per-attempt rendezvous, shipping the model and the result).
   */
  public double overheadSeconds() {
    double epochs = 0;
    for (double e : epochSeconds) {
      if (!Double.isNaN(e)) {
        epochs += e;
      }
    }
    return fitSeconds - checkSeconds - epochs;
  }

  /** Mean seconds per step in worker 0 (compute and exchange). */
  public double secondsPerStep() {
    return steps == 0 ? Double.NaN : (computeSeconds + exchangeSeconds) / steps;
  }
}
