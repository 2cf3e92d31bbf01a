package dev.jgrad.examples;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.autograd.Tensor;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.Reduction;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.data.Batch;
import dev.jgrad.nn.data.DataLoader;
import dev.jgrad.nn.data.TensorDataset;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.CosineAnnealingLR;
import dev.jgrad.optim.LRScheduler;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.SGD;
import dev.jgrad.tensor.Generator;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The training loop behind {@code ./jgrad train}: a classifier ({@link ModelSpec}: an MLP or a
 * convolutional network) trained with cross-entropy.
 */
final class Trainer {
  /**
   * What to train and how; {@code hidden} and {@code activation} apply to the MLP only; {@code
   * schedule} is "constant" or "cosine" (the lr annealed to 0 over every step of the run).
   */
  record Config(
      String model,
      int[] hidden,
      String activation,
      String optimizer,
      double lr,
      String schedule,
      double momentum,
      int batchSize,
      int epochs,
      long seed) {}

  /** One epoch's numbers; {@code seconds} is the training loop alone. */
  record EpochStats(
      int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds) {}

  /** Loss and accuracy on a data set. */
  record Evaluation(double loss, double accuracy) {}

  /** Everything a run produced. */
  record Result(ModelSpec spec, Sequential model, List<EpochStats> epochs) {
    double finalAccuracy() {
      return epochs.get(epochs.size() - 1).testAccuracy();
    }

    /** The median of the epochs' training-loop seconds. */
    double medianEpochSeconds() {
      double[] s = epochs.stream().mapToDouble(EpochStats::seconds).sorted().toArray();
      return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
  }

  private Trainer() {}

  static Result train(Config c, Datasets.Splits data, PrintWriter out, boolean terminal) {
    ModelSpec spec = ModelSpec.forData(c.model(), c.hidden(), c.activation(), data);
    TensorDataset train = spec.inputs(data.train());
    TensorDataset test = spec.inputs(data.test());
    Sequential model = spec.build(new Generator(c.seed()));
    Optimizer opt = optimizer(c, model);
    DataLoader loader = new DataLoader(train, c.batchSize(), true, c.seed(), false);
    LRScheduler schedule =
        c.schedule().equals("cosine")
            ? new CosineAnnealingLR(opt, c.epochs() * loader.batches(), 0)
            : null;
    out.printf(
        "training %s on %s (%d train, %d test examples), %s lr %s%s%s, batch %d, %d epochs, seed"
            + " %d%n",
        spec.describe(),
        data.name(),
        train.size(),
        test.size(),
        c.optimizer(),
        c.lr(),
        schedule != null ? " (cosine schedule)" : "",
        c.optimizer().equals("sgd") && c.momentum() > 0 ? " momentum " + c.momentum() : "",
        c.batchSize(),
        c.epochs(),
        c.seed());
    out.flush();
    List<EpochStats> history = new ArrayList<>();
    for (int epoch = 1; epoch <= c.epochs(); epoch++) {
      ProgressBar bar = terminal ? new ProgressBar(out, "epoch " + epoch, loader.batches()) : null;
      model.train();
      double lossSum = 0;
      long samples = 0;
      int done = 0;
      long start = System.nanoTime();
      for (Batch b : loader) {
        double loss = step(model, opt, b);
        if (schedule != null) {
          schedule.step();
        }
        lossSum += loss * b.size();
        samples += b.size();
        done++;
        if (bar != null && (done % 20 == 0 || done == loader.batches())) {
          bar.update(done, samples, lossSum / samples);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (bar != null) {
        bar.finish();
      }
      Evaluation e = evaluate(model, test);
      EpochStats stats = new EpochStats(epoch, lossSum / samples, e.loss(), e.accuracy(), seconds);
      history.add(stats);
      out.printf(
          "epoch %3d/%d  train loss %.4f  test loss %.4f  test accuracy %.4f  %.3f s%n",
          epoch, c.epochs(), stats.trainLoss(), stats.testLoss(), stats.testAccuracy(), seconds);
      out.flush();
    }
    return new Result(spec, model, history);
  }

  /** The optimizer the options name, over the model's parameters. */
  static Optimizer optimizer(Config c, Module model) {
    return c.optimizer().equals("adam")
        ? new Adam(model.parameters(), c.lr())
        : new SGD(model.parameters(), c.lr(), c.momentum());
  }

  /**
   * One training step on a batch: forward, cross-entropy, backward, optimizer step. Returns the
   * batch's mean loss. ({@link WarmUp} runs this same method, so the code it compiles is this.)
   */
  static double step(Module model, Optimizer opt, Batch b) {
    opt.zeroGrad();
    Tensor loss = F.crossEntropy(model.forward(b.inputs()), b.targets());
    loss.backward();
    opt.step();
    return loss.item();
  }

  /** Mean cross-entropy and accuracy over a data set, without recording a graph. */
  static Evaluation evaluate(Module model, TensorDataset data) {
    model.eval();
    double loss = 0;
    long correct = 0;
    try (GradMode.Scope g = Tensor.noGrad()) {
      for (Batch b : new DataLoader(data, 1000)) {
        Tensor logits = model.forward(b.inputs());
        loss +=
            F.crossEntropy(logits, b.targets(), Reduction.SUM, 0, F.DEFAULT_IGNORE_INDEX).item();
        correct += (long) logits.argmax(1, false).eq(b.targets()).data().sum().item();
      }
    }
    model.train();
    return new Evaluation(loss / data.size(), (double) correct / data.size());
  }
}
