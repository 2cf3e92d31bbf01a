// Spark's own overhead per job and per barrier stage on this machine, for BENCHMARKS.md.
// Run (after mvn -B -DskipTests package -pl examples -am):
//   jshell -R--add-opens=java.base/sun.nio.ch=ALL-UNNAMED -R--add-opens=java.base/java.nio=ALL-UNNAMED \
//     -R--add-opens=java.base/java.lang.invoke=ALL-UNNAMED -R--add-opens=java.base/java.util=ALL-UNNAMED \
//     -R-Djdk.reflect.useDirectMethodHandle=false \
//     --class-path "$(cat examples/target/spark.classpath)" spark/bench/overhead.jsh
import org.apache.spark.*;
import org.apache.spark.api.java.*;
import java.util.*;

var jsc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("overhead").set("spark.ui.enabled", "false"));
jsc.setLogLevel("ERROR");
var two = jsc.parallelize(List.of(0, 1), 2);
double median(double[] v) { Arrays.sort(v); return v[v.length / 2]; }
double[] job = new double[21];
for (int i = 0; i < job.length; i++) { long t = System.nanoTime(); two.count(); job[i] = (System.nanoTime() - t) / 1e6; }
// A barrier stage whose tasks only meet once at barrier(): its launch, and one barrier round.
double[] barrier = new double[5];
for (int i = 0; i < barrier.length; i++) {
  long t = System.nanoTime();
  two.rdd().barrier().mapPartitions(
      new scala.runtime.AbstractFunction1<scala.collection.Iterator<Integer>, scala.collection.Iterator<Integer>>() {
        public scala.collection.Iterator<Integer> apply(scala.collection.Iterator<Integer> it) {
          BarrierTaskContext.get().barrier();
          return it;
        }
      }, false, scala.reflect.ClassTag$.MODULE$.apply(Integer.class)).count();
  barrier[i] = (System.nanoTime() - t) / 1e6;
}
System.out.printf("ordinary 2-task job (count): median %.1f ms of %d%n", median(job), job.length);
System.out.printf("2-task barrier stage with one barrier(): median %.1f ms of %d%n", median(barrier), barrier.length);
jsc.close();
/exit
