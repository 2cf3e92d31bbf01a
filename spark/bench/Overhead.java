import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.collection.Iterator;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Spark's own overhead on this machine, for BENCHMARKS.md: the latency of an ordinary 2-task job,
 * of a 2-task barrier stage, and of one allGather round inside it. Run from the repository, after
 * {@code mvn -B -DskipTests package -pl examples -am} (compiled first: Spark cannot deserialize
 * classes of java's single-file source mode):
 *
 * <pre>
 * CP="$(cat examples/target/spark.classpath)"
 * javac -d /tmp/overhead -cp "$CP" spark/bench/Overhead.java
 * java --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
 *   --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
 *   --add-opens=java.base/java.lang=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false \
 *   -cp "/tmp/overhead:$CP" Overhead
 * </pre>
 */
public class Overhead {
  /** A barrier task that calls allGather {@code rounds} times. */
  static final class Gather extends AbstractFunction1<Iterator<Integer>, Iterator<Integer>>
      implements Serializable {
    final int rounds;

    Gather(int rounds) {
      this.rounds = rounds;
    }

    @Override
    public Iterator<Integer> apply(Iterator<Integer> it) {
      for (int i = 0; i < rounds; i++) {
        BarrierTaskContext.get().allGather("x");
      }
      return it;
    }
  }

  static double median(double[] v) {
    Arrays.sort(v);
    return v[v.length / 2];
  }

  static double barrierStage(JavaRDD<Integer> two, int rounds) {
    long t = System.nanoTime();
    two.rdd()
        .barrier()
        .mapPartitions(new Gather(rounds), false, ClassTag$.MODULE$.apply(Integer.class))
        .count();
    return (System.nanoTime() - t) / 1e6;
  }

  public static void main(String[] args) {
    SparkConf conf =
        new SparkConf().setMaster("local[2]").setAppName("overhead").set("spark.ui.enabled", "false");
    try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
      jsc.setLogLevel("ERROR");
      JavaRDD<Integer> two = jsc.parallelize(List.of(0, 1), 2);
      double[] job = new double[21];
      for (int i = 0; i < job.length; i++) {
        long t = System.nanoTime();
        two.count();
        job[i] = (System.nanoTime() - t) / 1e6;
      }
      double[] none = new double[5];
      double[] three = new double[5];
      for (int i = 0; i < none.length; i++) {
        none[i] = barrierStage(two, 0);
        three[i] = barrierStage(two, 3);
      }
      System.out.printf("ordinary 2-task job (count): median %.1f ms of %d%n", median(job), job.length);
      System.out.printf("2-task barrier stage: median %.1f ms of %d%n", median(none), none.length);
      System.out.printf(
          "one allGather round: median %.1f ms (3 rounds in a barrier stage, less the stage)%n",
          (median(three) - median(none)) / 3);
    }
  }
}
