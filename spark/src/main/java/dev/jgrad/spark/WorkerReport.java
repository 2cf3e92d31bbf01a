package dev.jgrad.spark;

import java.io.Serializable;

/**
 * What a worker returns to the driver: a digest of its final parameters and buffers (the driver
 * checks that every replica ends with the same bits) and, from worker 0 only, the final model and
 * optimizer states (safetensors bytes; null elsewhere), the per-epoch numbers, and timings.
 */
record WorkerReport(
    int worker,
    long digest,
    byte[] modelState,
    byte[] optimizerState,
    int workers,
    int resumedAfterEpoch,
    double[] epochLoss,
    double[] epochSeconds,
    long steps,
    long computeNanos,
    long exchangeNanos,
    long bytesSentPerStep)
    implements Serializable {
  private static final long serialVersionUID = 1L;
}
