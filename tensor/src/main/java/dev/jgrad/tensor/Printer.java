package dev.jgrad.tensor;

import dev.jgrad.tensor.kernel.Shapes;
import java.util.Locale;

/** Formats arrays the way PyTorch prints tensors, with the shape and dtype appended. */
final class Printer {
  /** Arrays with more elements than this are summarised with "...". */
  static final int THRESHOLD = 1000;

  /** Items shown at each end of a summarised dim. */
  static final int EDGE = 3;

  private Printer() {}

  static String format(NDArray a) {
    boolean summarise = a.numel() > THRESHOLD;
    String body = formatBody(a, summarise, "tensor(".length());
    return "tensor(" + body + ", shape=" + Shapes.toString(a.shape) + ", dtype=" + a.dtype + ")";
  }

  /** The values alone, as nested brackets, indented by {@code indent} after line breaks. */
  static String formatBody(NDArray a, boolean summarise, int indent) {
    ValueFormat f = ValueFormat.of(a);
    StringBuilder sb = new StringBuilder();
    append(sb, a, 0, new int[a.rank()], summarise, indent, f);
    return sb.toString();
  }

  private static void append(
      StringBuilder sb,
      NDArray a,
      int dim,
      int[] index,
      boolean summarise,
      int indent,
      ValueFormat f) {
    if (dim == a.rank()) {
      sb.append(f.format(a.getDouble(index)));
      return;
    }
    sb.append('[');
    int n = a.shape[dim];
    boolean elide = summarise && n > 2 * EDGE;
    for (int i = 0; i < n; i++) {
      if (elide && i == EDGE) {
        sb.append("...");
        i = n - EDGE - 1;
        separator(sb, a, dim, indent);
        continue;
      }
      index[dim] = i;
      append(sb, a, dim + 1, index, summarise, indent, f);
      if (i < n - 1) {
        separator(sb, a, dim, indent);
      }
    }
    sb.append(']');
  }

  private static void separator(StringBuilder sb, NDArray a, int dim, int indent) {
    sb.append(',');
    if (dim == a.rank() - 1) {
      sb.append(' ');
      return;
    }
    sb.append("\n".repeat(a.rank() - dim - 1));
    sb.append(" ".repeat(indent + dim + 1));
  }

  /** One number style for a whole array: integers, fixed 4 decimals or scientific. */
  private static final class ValueFormat {
    private final boolean integer;
    private final boolean scientific;

    private ValueFormat(boolean integer, boolean scientific) {
      this.integer = integer;
      this.scientific = scientific;
    }

    static ValueFormat of(NDArray a) {
      if (a.dtype == DType.INT32) {
        return new ValueFormat(true, false);
      }
      double maxAbs = 0;
      double minAbs = Double.POSITIVE_INFINITY;
      double[] v =
          a.numel() <= 100_000
              ? a.toDoubleArray()
              : a.flatten().slice(0, 0, 100_000).toDoubleArray();
      for (double x : v) {
        if (Double.isFinite(x) && x != 0) {
          maxAbs = Math.max(maxAbs, Math.abs(x));
          minAbs = Math.min(minAbs, Math.abs(x));
        }
      }
      boolean sci =
          maxAbs >= 1e8 || (minAbs < 1e-4 && maxAbs > 0) || maxAbs / minAbs > 1e3 && minAbs < 1e-2;
      return new ValueFormat(false, sci);
    }

    String format(double x) {
      if (integer) {
        return Long.toString((long) x);
      }
      if (Double.isNaN(x)) {
        return "nan";
      }
      if (Double.isInfinite(x)) {
        return x > 0 ? "inf" : "-inf";
      }
      return String.format(Locale.ROOT, scientific ? "%.4e" : "%.4f", x);
    }
  }
}
