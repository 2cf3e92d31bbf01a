package dev.jgrad.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One training example of an RDD: its features, flat, and its class label.
 *
 * <pre>{@code
 * JavaRDD<Example> data = jsc.parallelize(List.of(new Example(new float[] {0.5f, 1f}, 1)), 2);
 * }</pre>
 *
 * @param features the input values, flat (the trainer reshapes them to {@link
 *     TrainingOptions#inputShape()}); not copied
 * @param label the class index, 0 or more
 */
public record Example(float[] features, int label) implements Serializable {
  private static final long serialVersionUID = 1L;

  @Override
  public boolean equals(Object o) {
    return o instanceof Example e && label == e.label && Arrays.equals(features, e.features);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(features) + label;
  }

  @Override
  public String toString() {
    return "Example[" + features.length + " features, label " + label + "]";
  }
}
