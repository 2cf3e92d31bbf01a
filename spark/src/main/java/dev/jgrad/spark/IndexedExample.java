package dev.jgrad.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/** An example and its position in the whole data set (its global index). */
record IndexedExample(long index, Example example) implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Each example with its global index: its position in the data, partition after partition ({@code
   * counts} holds each partition's size), without the extra job of zipWithIndex.
   */
  static JavaRDD<IndexedExample> index(JavaRDD<Example> data, long[] counts) {
    long[] offsets = new long[counts.length];
    for (int p = 1; p < counts.length; p++) {
      offsets[p] = offsets[p - 1] + counts[p - 1];
    }
    return data.mapPartitionsWithIndex(
        (Integer p, Iterator<Example> it) -> {
          List<IndexedExample> out = new ArrayList<>();
          long i = offsets[p];
          while (it.hasNext()) {
            out.add(new IndexedExample(i++, it.next()));
          }
          return out.iterator();
        },
        true);
  }
}
