package dev.jgrad.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class CsvDatasetTest {

  @Test
  void csvReadsLabelsFromTheLastColumnAndRejectsRaggedLines() throws IOException {
    String csv = "0,16,8,3\n16,0,4,7\n";
    TensorDataset d = CsvDataset.read(new ByteArrayInputStream(csv.getBytes()), "t.csv", false, 16);
    assertArrayEquals(new float[] {0, 1, 0.5f, 1, 0, 0.25f}, d.inputs().toFloatArray());
    assertArrayEquals(new int[] {3, 7}, d.targets().toIntArray());
    DatasetFormatException e =
        assertThrows(
            DatasetFormatException.class,
            () ->
                CsvDataset.read(
                    new ByteArrayInputStream("1,2,3\n1,2\n".getBytes()), "r.csv", false, 1));
    assertTrue(
        e.getMessage().contains("r.csv") && e.getMessage().contains("line 2"), e.getMessage());
  }

  static TensorDataset read(String text, boolean gzip, double scale) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (gzip) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(bytes);
      }
      bytes = out.toByteArray();
    }
    return CsvDataset.read(new ByteArrayInputStream(bytes), "d.csv", gzip, scale);
  }

  @Test
  void gzippedDataBlankLinesAndSpacesAreRead() throws IOException {
    TensorDataset d = read(" 2, 4 ,1\n\n6,8, 0 \n", true, 2);
    assertArrayEquals(new int[] {2, 2}, d.inputs().shape());
    assertArrayEquals(new float[] {1, 2, 3, 4}, d.inputs().toFloatArray());
    assertArrayEquals(new int[] {1, 0}, d.targets().toIntArray());
  }

  static void assertRefused(String text, boolean gzip, String why) {
    DatasetFormatException e =
        assertThrows(DatasetFormatException.class, () -> readMaybeCut(text, gzip));
    assertTrue(
        e.getMessage().startsWith("d.csv: ") && e.getMessage().contains(why), e.getMessage());
  }

  static TensorDataset readMaybeCut(String text, boolean gzip) throws IOException {
    if (!gzip) {
      return read(text, false, 1);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    byte[] all = out.toByteArray();
    byte[] cut = java.util.Arrays.copyOf(all, all.length / 2);
    return CsvDataset.read(new ByteArrayInputStream(cut), "d.csv", true, 1);
  }

  @Test
  void malformedDataIsRefusedNamingTheProblem() {
    assertRefused("1,2\n3,x\n", false, "line 2 has a value that is not a number");
    assertRefused("\n\n", false, "no data");
    assertRefused("7\n", false, "line 1 has 1 values");
    assertRefused("1,2,3\n".repeat(500), true, "corrupt or truncated gzip");
  }

  @Test
  void labelsMustBeNonNegativeIntegersAndValuesFinite() {
    // 3.7 became 3, NaN 0 and 1e10 Integer.MAX_VALUE: each is refused naming the line and value.
    for (String label : new String[] {"3.7", "NaN", "1e10", "-1", "Infinity", "2147483648"}) {
      assertRefused("1,2,3\n4,5," + label + "\n", false, "line 2 has label " + label);
    }
    assertRefused("1,NaN,3\n", false, "line 1 has value NaN in column 2");
    assertRefused("1,2,3\n-Infinity,5,6\n", false, "line 2 has value -Infinity in column 1");
    TensorDataset fine = null;
    try {
      fine = read("1,2,3.0\n4,5,1e1\n", false, 1); // integral values in any notation
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertArrayEquals(new int[] {3, 10}, fine.targets().toIntArray());
  }

  /** Found by DataFileFuzzProperties (issue #14). */
  @Test
  void aBadGzipHeaderABadScaleAndAnOverflowingValueAreRefusedNamingTheFile() {
    // the gzip header was read outside the try: a ZipException escaped
    DatasetFormatException e =
        assertThrows(
            DatasetFormatException.class,
            () ->
                CsvDataset.read(
                    new ByteArrayInputStream("1,2\n".getBytes()), "plain.csv", true, 1));
    assertTrue(e.getMessage().startsWith("plain.csv: corrupt"), e.getMessage());
    // scale 0 or NaN made every value infinite or NaN, silently
    for (double scale : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException bad =
          assertThrows(IllegalArgumentException.class, () -> read("1,2\n", false, scale));
      assertTrue(bad.getMessage().contains("scale") && bad.getMessage().contains("d.csv"));
    }
    // 1e300 / 1e-10 is finite in double and infinite in float
    DatasetFormatException big =
        assertThrows(DatasetFormatException.class, () -> read("1,2\n1e300,3\n", false, 1e-10));
    assertTrue(
        big.getMessage().contains("line 2") && big.getMessage().contains("1e300"),
        big.getMessage());
  }
}
