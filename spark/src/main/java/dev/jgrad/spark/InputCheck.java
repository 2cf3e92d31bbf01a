package dev.jgrad.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;

/**
 * The driver's look at the data before any barrier stage starts: one ordinary Spark job counts each
 * partition's examples and finds the first bad one. A bad example found inside a barrier stage
 * would fail one task while the others wait at the barrier; found here it is a plain error.
 */
final class InputCheck {
  private InputCheck() {}

  /** One partition's count and its first problem (null when there is none). */
  record Summary(int partition, long count, String problem) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** What the data holds: each partition's example count, in partition order. */
  record Counts(long[] perPartition, long total) {}

  /**
   * Counts the examples and checks each with {@code problemOf} (null when fine).
   *
   * @throws IllegalArgumentException naming the partition and position of the first bad example, or
   *     if the data is empty, has more partitions than examples, or has an empty partition
   */
  static <T> Counts check(JavaRDD<T> data, Function<T, String> problemOf) {
    List<Summary> summaries =
        data.mapPartitionsWithIndex(
                (Integer p, Iterator<T> it) -> {
                  long n = 0;
                  String problem = null;
                  while (it.hasNext()) {
                    T x = it.next();
                    if (problem == null) {
                      String why = problemOf.call(x);
                      if (why != null) {
                        problem = "example " + n + " of partition " + p + " " + why;
                      }
                    }
                    n++;
                  }
                  return List.of(new Summary(p, n, problem)).iterator();
                },
                true)
            .collect();
    List<Summary> sorted = new ArrayList<>(summaries);
    sorted.sort(java.util.Comparator.comparingInt(Summary::partition));
    long[] counts = new long[sorted.size()];
    long total = 0;
    for (Summary s : sorted) {
      if (s.problem() != null) {
        throw new IllegalArgumentException("jgrad-spark: " + s.problem());
      }
      counts[s.partition()] = s.count();
      total += s.count();
    }
    int partitions = counts.length;
    if (total == 0) {
      throw new IllegalArgumentException("jgrad-spark: the data holds no examples");
    }
    if (partitions > total) {
      throw new IllegalArgumentException(
          String.format(
              "jgrad-spark: the data has more partitions (%d) than examples (%d); use fewer"
                  + " partitions, e.g. data.repartition(n)",
              partitions, total));
    }
    for (int p = 0; p < partitions; p++) {
      if (counts[p] == 0) {
        throw new IllegalArgumentException(
            String.format(
                "jgrad-spark: partition %d of %d holds no examples; spread the data over the"
                    + " partitions, e.g. data.repartition(%d)",
                p, partitions, partitions));
      }
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "jgrad-spark: "
              + total
              + " examples are more than one epoch's order can index (2^31 - 9)");
    }
    return new Counts(counts, total);
  }

  /** The check of {@link #exampleProblem} for examples of {@code width} values. */
  static Function<Example, String> examples(int width) {
    return e -> exampleProblem(e, width);
  }

  /** What is wrong with an example of the RDD path, or null. */
  static String exampleProblem(Example e, int width) {
    if (e == null) {
      return "is null";
    }
    if (e.features() == null) {
      return "has null features";
    }
    if (e.features().length != width) {
      return "has " + e.features().length + " features, expected " + width;
    }
    if (e.label() < 0) {
      return "has a negative label " + e.label();
    }
    return null;
  }
}
