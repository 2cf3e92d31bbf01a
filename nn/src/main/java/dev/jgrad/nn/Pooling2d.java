package dev.jgrad.nn;

import java.util.Arrays;

/** What the pooling modules share: defensive copies of their size arguments and their repr. */
final class Pooling2d {
  private Pooling2d() {}

  /** A copy, or null (the pooling names a null argument when it sees one). */
  static int[] copy(int[] v) {
    return v == null ? null : v.clone();
  }

  /** PyTorch's repr of a size argument: {@code 2} for one value, {@code (2, 3)} for two. */
  static String repr(int[] v) {
    if (v != null && v.length == 1) {
      return Integer.toString(v[0]);
    }
    return v == null ? "None" : Arrays.toString(v).replace('[', '(').replace(']', ')');
  }
}
