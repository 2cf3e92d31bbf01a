package dev.jgrad.spark;

import dev.jgrad.nn.Module;
import java.io.Serializable;

/**
 * Builds the model's architecture in every task (a jgrad {@link Module} is not serializable; its
 * weights travel as a state dict). The weights it draws do not matter: every replica loads the
 * driver's initial state before training.
 *
 * <pre>{@code
 * ModelFactory mlp = () -> new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
 * }</pre>
 */
@FunctionalInterface
public interface ModelFactory extends Serializable {
  /** A new model of the architecture. */
  Module create();
}
