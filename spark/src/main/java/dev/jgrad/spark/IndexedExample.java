package dev.jgrad.spark;

import java.io.Serializable;

/** An example and its position in the whole data set (its global index). */
record IndexedExample(long index, Example example) implements Serializable {
  private static final long serialVersionUID = 1L;
}
