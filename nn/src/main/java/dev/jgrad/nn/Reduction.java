package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;

/** How a loss combines its per-element values: their mean (default), sum, or none. */
public enum Reduction {
  MEAN,
  SUM,
  NONE;

  Tensor apply(Tensor losses) {
    switch (this) {
      case MEAN:
        return losses.mean();
      case SUM:
        return losses.sum();
      default:
        return losses;
    }
  }
}
