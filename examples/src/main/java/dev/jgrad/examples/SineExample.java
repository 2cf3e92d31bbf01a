package dev.jgrad.examples;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.autograd.Tensor;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Tanh;
import dev.jgrad.optim.Adam;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Regression: a small tanh MLP fits sin(x) on [−π, π] by minimising the mean squared error. */
final class SineExample {
  private SineExample() {}

  /** Trains, writes the plot when {@code plot} is not null, returns the final MSE. */
  static double run(PrintWriter out, Path plot, long seed) throws IOException {
    int n = 200;
    NDArray xs = NDArray.linspace(-Math.PI, Math.PI, n).reshape(n, 1);
    Tensor x = new Tensor(xs);
    Tensor y = new Tensor(xs.sin());
    Generator g = new Generator(seed);
    Sequential net =
        new Sequential(
            new Linear(1, 32, true, g),
            new Tanh(),
            new Linear(32, 32, true, g),
            new Tanh(),
            new Linear(32, 1, true, g));
    Adam opt = new Adam(net.parameters(), 0.01);
    double mse = 0;
    for (int step = 1; step <= 1500; step++) {
      opt.zeroGrad();
      Tensor loss = F.mseLoss(net.forward(x), y);
      loss.backward();
      opt.step();
      mse = loss.item();
      if (step % 250 == 0) {
        out.printf("step %4d  mse %.6f%n", step, mse);
      }
    }
    if (plot != null) {
      double[] fitted;
      try (GradMode.Scope s = Tensor.noGrad()) {
        fitted = net.forward(x).data().toDoubleArray();
      }
      Charts.curves(
          plot,
          "sin(x) and a 1-32-32-1 tanh MLP",
          xs.toDoubleArray(),
          y.data().toDoubleArray(),
          fitted);
      out.println("wrote the fitted curve to " + plot);
    }
    out.flush();
    return mse;
  }
}
