package dev.jgrad.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@link CsvDataset}'s refusals name the line and the 1-based column of the bad value (issue #14,
 * mutation testing): a non-number among the features and as the label, a non-finite value, a value
 * beyond float range after scaling; and the largest label, {@code Integer.MAX_VALUE}, is accepted.
 */
class CsvDatasetMessagesTest {

  static TensorDataset read(String csv) throws IOException {
    return CsvDataset.read(
        new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "t.csv", false, 1);
  }

  static String refused(String csv) {
    return assertThrows(DatasetFormatException.class, () -> read(csv)).getMessage();
  }

  @Test
  void badValuesAreNamedByLineAndColumn() {
    String m = refused("1,2,0\n3,x,1\n");
    assertTrue(m.contains("line 2 has a value that is not a number: 'x' in column 2"), m);
    m = refused("1,2,0\n3,4,y\n");
    assertTrue(m.contains("line 2 has a value that is not a number: 'y' in column 3"), m);
    m = refused("NaN,2,0\n");
    assertTrue(m.contains("line 1 has value NaN in column 1, expected a finite number"), m);
    m = refused("1,Infinity,0\n");
    assertTrue(m.contains("value Infinity in column 2, expected a finite number"), m);
    m = refused("1,1e39,0\n");
    assertTrue(m.contains("line 1 has value 1e39 in column 2, beyond float range"), m);
  }

  @Test
  void theLargestIntLabelIsAClassIndex() throws IOException {
    TensorDataset d = read("0.5,2147483647\n1.5,0\n");
    assertArrayEquals(new int[] {Integer.MAX_VALUE, 0}, d.targets().toIntArray());
    String m = refused("0.5,2147483648\n");
    assertTrue(m.contains("has label 2147483648, expected a class index"), m);
  }
}
