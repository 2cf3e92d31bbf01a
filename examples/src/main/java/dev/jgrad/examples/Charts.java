package dev.jgrad.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG charts drawn with JFreeChart (headless). */
final class Charts {
  private Charts() {}

  /** Loss (train and test) above accuracy, per epoch. */
  static void trainingCurves(Path file, String title, List<Trainer.EpochStats> epochs)
      throws IOException {
    XYSeries train = new XYSeries("train loss");
    XYSeries test = new XYSeries("test loss");
    XYSeries accuracy = new XYSeries("test accuracy");
    for (Trainer.EpochStats e : epochs) {
      train.add(e.epoch(), e.trainLoss());
      test.add(e.epoch(), e.testLoss());
      accuracy.add(e.epoch(), e.testAccuracy());
    }
    XYSeriesCollection losses = new XYSeriesCollection();
    losses.addSeries(train);
    losses.addSeries(test);
    XYPlot lossPlot = new XYPlot(losses, null, new NumberAxis("loss"), renderer());
    NumberAxis accAxis = new NumberAxis("accuracy");
    accAxis.setAutoRangeIncludesZero(false);
    XYPlot accPlot = new XYPlot(new XYSeriesCollection(accuracy), null, accAxis, renderer());
    NumberAxis epochAxis = new NumberAxis("epoch");
    epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    epochAxis.setAutoRangeIncludesZero(false);
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
    plot.add(lossPlot, 1);
    plot.add(accPlot, 1);
    save(file, new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true));
  }

  /** Points of a target curve and a fitted curve over x. */
  static void curves(Path file, String title, double[] x, double[] target, double[] fitted)
      throws IOException {
    XYSeries t = new XYSeries("target");
    XYSeries f = new XYSeries("fitted");
    for (int i = 0; i < x.length; i++) {
      t.add(x[i], target[i]);
      f.add(x[i], fitted[i]);
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(t);
    data.addSeries(f);
    XYPlot plot = new XYPlot(data, new NumberAxis("x"), new NumberAxis("y"), renderer());
    save(file, new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true));
  }

  private static XYLineAndShapeRenderer renderer() {
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    r.setSeriesPaint(0, new Color(0x1f77b4));
    r.setSeriesPaint(1, new Color(0xff7f0e));
    r.setSeriesStroke(0, new BasicStroke(2f));
    r.setSeriesStroke(1, new BasicStroke(2f));
    return r;
  }

  private static void save(Path file, JFreeChart chart) throws IOException {
    System.setProperty("java.awt.headless", "true");
    chart.setBackgroundPaint(Color.WHITE);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    writeAtomically(file, out -> ChartUtils.writeChartAsPNG(out, chart, 900, 600));
  }

  /** Writes bytes to a stream. */
  @FunctionalInterface
  interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /**
   * Writes a file as the model checkpoints are written: to a temporary file in the same folder,
   * forced to disk, then renamed over {@code file} atomically, so that a failure (a full disk, say)
   * leaves a previous {@code file} intact; the temporary file is deleted on failure.
   */
  static void writeAtomically(Path file, Writer writer) throws IOException {
    Path target = file.toAbsolutePath();
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch))) {
        writer.write(out);
        out.flush();
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }
}
