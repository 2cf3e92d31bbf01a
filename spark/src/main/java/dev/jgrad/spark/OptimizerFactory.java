package dev.jgrad.spark;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.optim.Optimizer;
import java.io.Serializable;
import java.util.List;

/**
 * Builds the optimizer over a replica's parameters, the same in every task.
 *
 * <pre>{@code
 * OptimizerFactory sgd = params -> new SGD(params, 0.1, 0.9);
 * }</pre>
 */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
  /** A new optimizer of {@code parameters}. */
  Optimizer create(List<Tensor> parameters);
}
