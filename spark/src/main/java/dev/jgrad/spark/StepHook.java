package dev.jgrad.spark;

import java.io.Serializable;

/**
 * Called in every task before each training step: for progress reports, and for tests that make a
 * task fail on purpose (an exception thrown here fails the task, and Spark retries the stage).
 *
 * <pre>{@code
 * StepHook log = (worker, epoch, step) -> { if (worker == 0 && step == 0) System.err.println(epoch); };
 * }</pre>
 */
@FunctionalInterface
public interface StepHook extends Serializable {
  /** Before step {@code step} (from 0) of epoch {@code epoch} (from 1) in worker {@code worker}. */
  void beforeStep(int worker, int epoch, int step);
}
