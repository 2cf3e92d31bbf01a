package dev.jgrad.examples;

import java.io.PrintWriter;

/** A one-line progress bar redrawn with carriage returns: batches done, samples/s, running loss. */
final class ProgressBar {
  private static final int WIDTH = 30;
  private final PrintWriter out;
  private final String label;
  private final int total;
  private final long start = System.nanoTime();

  ProgressBar(PrintWriter out, String label, int total) {
    this.out = out;
    this.label = label;
    this.total = total;
  }

  void update(int done, long samples, double runningLoss) {
    int filled = (int) ((long) WIDTH * done / Math.max(1, total));
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(
        "\r%s [%s%s] %3d%%  %,8.0f samples/s  loss %.4f",
        label,
        "=".repeat(filled),
        " ".repeat(WIDTH - filled),
        100L * done / Math.max(1, total),
        samples / Math.max(seconds, 1e-9),
        runningLoss);
    out.flush();
  }

  void finish() {
    out.print("\r" + " ".repeat(label.length() + WIDTH + 60) + "\r");
    out.flush();
  }
}
