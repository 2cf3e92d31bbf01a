package dev.jgrad.spark;

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

/** A DataFrame of double features and long labels trains as the same examples in one process. */
class DataFrameTest {
  @Test
  void aDataFrameTrainsAsOneProcess() {
    List<Example> data = Blobs.examples(120, 9);
    List<Row> rows = new ArrayList<>();
    for (Example e : data) {
      double[] x = new double[e.features().length];
      for (int i = 0; i < x.length; i++) {
        x[i] = e.features()[i];
      }
      rows.add(RowFactory.create((long) e.label(), x));
    }
    StructType schema =
        new StructType()
            .add("y", DataTypes.LongType, false)
            .add("x", DataTypes.createArrayType(DataTypes.DoubleType), false);
    JavaRDD<Row> rdd = SharedSpark.context().parallelize(rows, 3);
    Dataset<Row> df = SharedSpark.session().createDataFrame(rdd, schema);
    OptimizerFactory sgd = params -> new SGD(params, 0.1, 0.9);
    TrainingResult r =
        new DataParallelTrainer(Blobs::mlp, sgd, DataParallelTrainerTest.options().epochs(5))
            .fit(df, "x", "y");
    DataParallelTrainerTest.assertSameParameters(
        DataParallelTrainerTest.trainInOneProcess(data, sgd, 5), r.model());
  }
}
