package dev.jgrad.spark;

import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Tanh;
import dev.jgrad.tensor.Generator;
import java.util.ArrayList;
import java.util.List;

/** A small classification problem for the tests: Gaussian blobs, one per class. */
final class Blobs {
  static final int FEATURES = 6;
  static final int CLASSES = 3;

  private Blobs() {}

  /** {@code n} examples: class c is centred at 2·e_c (plus noise of σ 1). */
  static List<Example> examples(int n, long seed) {
    Generator g = new Generator(seed);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int label = g.nextInt(CLASSES);
      float[] x = new float[FEATURES];
      for (int j = 0; j < FEATURES; j++) {
        x[j] = (float) g.nextGaussian() + (j == label ? 2f : 0f);
      }
      out.add(new Example(x, label));
    }
    return out;
  }

  /** A 6-16-3 tanh MLP with fixed initial weights. */
  static Sequential mlp() {
    Generator g = new Generator(7);
    return new Sequential(
        new Linear(FEATURES, 16, true, g), new Tanh(), new Linear(16, CLASSES, true, g));
  }
}
