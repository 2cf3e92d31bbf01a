package dev.jgrad.examples;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.nn.BatchNorm2d;
import dev.jgrad.nn.Conv2d;
import dev.jgrad.nn.Dropout;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Flatten;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.MaxPool2d;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.data.Batch;
import dev.jgrad.nn.data.DataLoader;
import dev.jgrad.nn.data.TensorDataset;
import dev.jgrad.optim.SGD;
import dev.jgrad.tensor.Generator;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * A convolutional network, written as one would in PyTorch, trained briefly on the bundled 8×8
 * digits. Each convolution slides 3×3 filters over the image (padding 1 keeps its size), batch
 * normalisation rescales each channel to zero mean and unit variance over the batch, and a 2×2 max
 * pooling halves the size: 8×8 → 4×4 → 2×2, so 64 channels of 2×2 reach the linear layers. {@code
 * ./jgrad train --model cnn} trains the same architecture on any of the data sets.
 */
final class CnnExample {
  private CnnExample() {}

  /** Prints the model, trains it for {@code epochs}; returns the test accuracy. */
  static double run(PrintWriter out, long seed, int epochs) throws IOException {
    Datasets.Splits digits = Datasets.digits();
    // Images as [N, 1, 8, 8]: batch, channels, height, width (NCHW, like PyTorch).
    TensorDataset train = images(digits.train());
    TensorDataset test = images(digits.test());

    Generator g = new Generator(seed);
    Sequential model =
        new Sequential(
            new Conv2d(1, 32, 3, 1, 1, g), // [N, 32, 8, 8]
            new BatchNorm2d(32),
            new ReLU(),
            new MaxPool2d(2), // [N, 32, 4, 4]
            new Conv2d(32, 64, 3, 1, 1, g), // [N, 64, 4, 4]
            new BatchNorm2d(64),
            new ReLU(),
            new MaxPool2d(2), // [N, 64, 2, 2]
            new Flatten(), // [N, 256]
            new Dropout(0.25, g),
            new Linear(64 * 2 * 2, 128, true, g),
            new ReLU(),
            new Linear(128, 10, true, g)); // logits
    out.println(model); // the same tree as PyTorch's print(model)
    out.printf("%d parameters%n", model.parameterCount());

    SGD opt = new SGD(model.parameters(), 0.05, 0.9);
    DataLoader loader = new DataLoader(train, 32, true, seed, false);
    for (int epoch = 1; epoch <= epochs; epoch++) {
      model.train(); // batch statistics, dropout on
      double lossSum = 0;
      for (Batch b : loader) {
        opt.zeroGrad();
        Tensor loss = F.crossEntropy(model.forward(b.inputs()), b.targets());
        loss.backward();
        opt.step();
        lossSum += loss.item() * b.size();
      }
      // eval(): running statistics, dropout off
      double accuracy = Trainer.evaluate(model, test).accuracy();
      out.printf(
          "epoch %d  train loss %.4f  test accuracy %.4f%n",
          epoch, lossSum / train.size(), accuracy);
    }
    double accuracy = Trainer.evaluate(model, test).accuracy();
    out.printf("final test accuracy: %.4f%n", accuracy);
    out.flush();
    return accuracy;
  }

  private static TensorDataset images(TensorDataset flat) {
    return new TensorDataset(flat.inputs().reshape(flat.size(), 1, 8, 8), flat.targets());
  }
}
