package dev.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Bad data is refused on the driver with a clear message, before any barrier stage starts. */
class BadInputTest {
  static final StructType SCHEMA =
      new StructType()
          .add("features", DataTypes.createArrayType(DataTypes.FloatType), true)
          .add("label", DataTypes.IntegerType, true);

  static DataParallelTrainer trainer() {
    return new DataParallelTrainer(
        Blobs::mlp, params -> new SGD(params, 0.1), TrainingOptions.forInputs(Blobs.FEATURES));
  }

  static String refused(Runnable fit) {
    return assertThrows(IllegalArgumentException.class, fit::run).getMessage();
  }

  static Row row(float[] x, Integer label) {
    return RowFactory.create(x, label);
  }

  static Dataset<Row> frame(List<Row> rows, int partitions) {
    JavaRDD<Row> rdd = SharedSpark.context().parallelize(rows, partitions);
    return SharedSpark.session().createDataFrame(rdd, SCHEMA);
  }

  @Test
  void anExampleOfTheWrongWidthIsNamed() {
    List<Example> data = new ArrayList<>(Blobs.examples(20, 1));
    data.set(13, new Example(new float[Blobs.FEATURES - 1], 0));
    JavaRDD<Example> rdd = SharedSpark.context().parallelize(data, 2);
    assertEquals(
        "jgrad-spark: example 3 of partition 1 has 5 features, expected 6",
        refused(() -> trainer().fit(rdd)));
  }

  @Test
  void aNullLabelIsNamed() {
    List<Row> rows = new ArrayList<>();
    for (Example e : Blobs.examples(8, 2)) {
      rows.add(row(e.features(), e.label()));
    }
    rows.set(2, row(new float[Blobs.FEATURES], null));
    assertEquals(
        "jgrad-spark: example 2 of partition 0 has a null label",
        refused(() -> trainer().fit(frame(rows, 2), "features", "label")));
  }

  @Test
  void aRowOfTheWrongWidthIsNamed() {
    List<Row> rows = new ArrayList<>();
    for (Example e : Blobs.examples(8, 2)) {
      rows.add(row(e.features(), e.label()));
    }
    rows.set(7, row(new float[] {1f}, 1));
    assertEquals(
        "jgrad-spark: example 3 of partition 1 has 1 features, expected 6",
        refused(() -> trainer().fit(frame(rows, 2), "features", "label")));
  }

  @Test
  void aMissingColumnIsNamed() {
    Dataset<Row> df = frame(List.of(row(new float[Blobs.FEATURES], 0)), 1);
    String message = refused(() -> trainer().fit(df, "pixels", "label"));
    assertTrue(message.contains("no column 'pixels'"), message);
  }

  @Test
  void anEmptyPartitionIsRefused() {
    JavaRDD<Example> twoFull = SharedSpark.context().parallelize(Blobs.examples(4, 3), 2);
    JavaRDD<Example> rdd = twoFull.union(SharedSpark.context().parallelize(List.of(), 1));
    assertEquals(
        "jgrad-spark: partition 2 of 3 holds no examples; spread the data over the partitions,"
            + " e.g. data.repartition(3)",
        refused(() -> trainer().fit(rdd)));
  }

  @Test
  void morePartitionsThanExamplesAreRefused() {
    JavaRDD<Example> rdd = SharedSpark.context().parallelize(Blobs.examples(3, 4), 4);
    assertEquals(
        "jgrad-spark: the data has more partitions (4) than examples (3); use fewer partitions,"
            + " e.g. data.repartition(n)",
        refused(() -> trainer().fit(rdd)));
  }

  @Test
  void noExamplesAreRefused() {
    JavaRDD<Example> rdd = SharedSpark.context().parallelize(List.<Example>of(), 2);
    assertEquals("jgrad-spark: the data holds no examples", refused(() -> trainer().fit(rdd)));
  }

  @Test
  void moreWorkersThanTaskSlotsAreRefused() {
    JavaRDD<Example> rdd = SharedSpark.context().parallelize(Blobs.examples(40, 4), 8);
    String message = refused(() -> trainer().fit(rdd));
    assertTrue(message.startsWith("jgrad-spark: 8 workers, but the cluster runs 4 tasks"), message);
  }

  @Test
  void aNegativeLabelIsNamed() {
    JavaRDD<Example> rdd =
        SharedSpark.context().parallelize(List.of(new Example(new float[Blobs.FEATURES], -1)), 1);
    assertEquals(
        "jgrad-spark: example 0 of partition 0 has a negative label -1",
        refused(() -> trainer().fit(rdd)));
  }
}
