package dev.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example programs: {@link XorExample}, {@link CnnExample}, {@link SineExample}, {@link
 * HessianExample} and {@link CustomFunctionExample}.
 */
class ExamplesTest {
  static PrintWriter sink(StringWriter w) {
    return new PrintWriter(w, true);
  }

  @Test
  void theTwoFiveOneNetworkLearnsXor() {
    StringWriter out = new StringWriter();
    assertEquals(1.0, XorExample.run(sink(out), 0), out.toString());
    assertTrue(out.toString().contains("epoch  100  loss"), out.toString());
  }

  @Test
  void theCnnExamplePrintsItsLayersAndLearnsTheDigits() throws Exception {
    StringWriter out = new StringWriter();
    double accuracy = CnnExample.run(sink(out), 0, 2);
    assertTrue(accuracy >= 0.8, out.toString());
    assertTrue(
        out.toString().contains("(0): Conv2d(") && out.toString().contains("BatchNorm2d("),
        out.toString());
    assertTrue(out.toString().contains("epoch 2  train loss"), out.toString());
  }

  @Test
  void aTanhMlpFitsTheSine(@TempDir Path dir) throws Exception {
    Path plot = dir.resolve("sine.png");
    double mse = SineExample.run(sink(new StringWriter()), plot, 0);
    assertTrue(mse < 1e-3, "mse " + mse);
    assertTrue(Files.size(plot) > 1000);
  }

  @Test
  void theHessianVectorProductMatchesTheHandDerivedOne() {
    assertTrue(HessianExample.run(sink(new StringWriter())) < 1e-9);
  }

  @Test
  void theCustomFunctionPassesGradCheck() {
    StringWriter out = new StringWriter();
    assertTrue(CustomFunctionExample.run(sink(out)), out.toString());
  }
}
