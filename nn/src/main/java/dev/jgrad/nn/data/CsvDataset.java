package dev.jgrad.nn.data;

import dev.jgrad.tensor.NDArray;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads numeric CSV with the class label in the last column, like the bundled UCI digits (64 pixel
 * values 0..16, then the digit). Inputs are divided by {@code scale}.
 *
 * <pre>{@code
 * TensorDataset digits = CsvDataset.read(stream, "digits.csv.gz", true, 16);
 * }</pre>
 */
public final class CsvDataset {
  private CsvDataset() {}

  /**
   * Reads every line (blank lines are skipped); {@code name} is used in error messages.
   *
   * @throws DatasetFormatException if a line has another number of values than the first, fewer
   *     than 2, a value that is not a finite number, or a label that is not an integer from 0 to
   *     2³¹ − 1 (3.7, NaN, 1e10, −1); if there is no data; or if gzipped data is corrupt or
   *     truncated, or a value divided by {@code scale} is beyond float range. Every line is checked
   *     on reading.
   * @throws IllegalArgumentException if {@code scale} is not a positive finite number
   */
  public static TensorDataset read(InputStream in, String name, boolean gzipped, double scale)
      throws IOException {
    if (!(scale > 0 && Double.isFinite(scale))) {
      throw new IllegalArgumentException(
          name + ": scale must be a positive finite number, got " + scale);
    }
    List<float[]> rows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    int width = -1;
    // GZIPInputStream reads the gzip header as it is made: inside the try, a bad one is refused too
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                gzipped ? new GZIPInputStream(in) : in, StandardCharsets.UTF_8))) {
      String line;
      int lineNo = 0;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",");
        if (width < 0) {
          width = cells.length;
        }
        if (cells.length != width || width < 2) {
          throw new DatasetFormatException(
              name + ": line " + lineNo + " has " + cells.length + " values, expected " + width);
        }
        float[] row = new float[width - 1];
        for (int i = 0; i < width - 1; i++) {
          double v = number(cells[i], name, lineNo, i);
          if (!Double.isFinite(v)) {
            throw new DatasetFormatException(
                String.format(
                    "%s: line %d has value %s in column %d, expected a finite number",
                    name, lineNo, cells[i].trim(), i + 1));
          }
          row[i] = (float) (v / scale);
          if (!Float.isFinite(row[i])) {
            throw new DatasetFormatException(
                String.format(
                    "%s: line %d has value %s in column %d, beyond float range once divided by"
                        + " the scale %s",
                    name, lineNo, cells[i].trim(), i + 1, scale));
          }
        }
        String cell = cells[width - 1].trim();
        double label = number(cell, name, lineNo, width - 1);
        if (!(label >= 0 && label <= Integer.MAX_VALUE && label == Math.rint(label))) {
          throw new DatasetFormatException(
              String.format(
                  "%s: line %d has label %s, expected a class index (an integer from 0 to %d)",
                  name, lineNo, cell, Integer.MAX_VALUE));
        }
        labels.add((int) label);
        rows.add(row);
      }
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new DatasetFormatException(name + ": corrupt or truncated gzip data");
    }
    if (rows.isEmpty()) {
      throw new DatasetFormatException(name + ": no data");
    }
    int features = width - 1;
    float[] x = new float[rows.size() * features];
    int[] y = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, x, i * features, features);
      y[i] = labels.get(i);
    }
    return new TensorDataset(
        NDArray.fromArray(x, rows.size(), features), NDArray.fromArray(y, y.length));
  }

  private static double number(String cell, String name, int lineNo, int column)
      throws DatasetFormatException {
    try {
      return Double.parseDouble(cell.trim());
    } catch (NumberFormatException e) {
      throw new DatasetFormatException(
          String.format(
              "%s: line %d has a value that is not a number: '%s' in column %d",
              name, lineNo, cell.trim(), column + 1));
    }
  }
}
