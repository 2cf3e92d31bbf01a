package dev.jgrad.spark;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;

/**
 * Rows of a DataFrame as {@link Example}s: a features column of numbers (array&lt;float&gt; or
 * array&lt;double&gt;, say) and an integral label column (int, long, or a double holding a whole
 * number).
 */
final class RowExamples {
  private RowExamples() {}

  /** The check of {@link #problem} for the given columns and width. */
  static Function<Row, String> problems(int features, int label, int width) {
    return r -> problem(r, features, label, width);
  }

  /** The rows as examples (once {@link #problems} found none). */
  static JavaRDD<Example> examples(JavaRDD<Row> rows, int features, int label) {
    return rows.map(r -> toExample(r, features, label));
  }

  /** What is wrong with a row, or null. */
  static String problem(Row row, int features, int label, int width) {
    if (row == null) {
      return "is a null row";
    }
    if (row.isNullAt(label)) {
      return "has a null label";
    }
    if (labelOf(row.get(label)) == null) {
      return "has the label " + row.get(label) + ", not a class index (a whole number >= 0)";
    }
    if (row.isNullAt(features)) {
      return "has null features";
    }
    Object v = row.get(features);
    if (!(v instanceof scala.collection.Seq<?>)) {
      return "has features of type " + v.getClass().getSimpleName() + ", not an array of numbers";
    }
    List<Object> values = row.getList(features);
    if (values.size() != width) {
      return "has " + values.size() + " features, expected " + width;
    }
    for (int i = 0; i < values.size(); i++) {
      if (!(values.get(i) instanceof Number)) {
        return "has a feature " + i + " that is " + values.get(i) + ", not a number";
      }
    }
    return null;
  }

  /** The example of a row that {@link #problem} accepted. */
  static Example toExample(Row row, int features, int label) {
    List<Object> values = row.getList(features);
    float[] x = new float[values.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = ((Number) values.get(i)).floatValue();
    }
    return new Example(x, labelOf(row.get(label)));
  }

  /** A label as a class index, or null if it is not a whole number in [0, 2³¹). */
  private static Integer labelOf(Object v) {
    if (!(v instanceof Number n)) {
      return null;
    }
    double d = n.doubleValue();
    if (!(d >= 0 && d <= Integer.MAX_VALUE) || d != Math.rint(d)) {
      return null;
    }
    return (int) d;
  }
}
