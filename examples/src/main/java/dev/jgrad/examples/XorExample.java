package dev.jgrad.examples;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Sigmoid;
import dev.jgrad.optim.SGD;
import dev.jgrad.tensor.Generator;
import java.io.PrintWriter;

/**
 * The first two lessons: one neuron y = σ(w·x + b) learns AND by gradient descent; then a 2-5-1
 * network learns XOR, which no single neuron can, because the hidden layer bends the boundary. The
 * gradients come from autograd: nothing here differentiates by hand.
 */
final class XorExample {
  private XorExample() {}

  static final float[][] INPUTS = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};

  /** Runs both lessons; returns the XOR network's accuracy (1.0 when every point is right). */
  static double run(PrintWriter out, long seed) {
    Tensor x = Tensor.of(INPUTS);

    // One neuron: y = σ(w·x + b), trained on AND with binary cross-entropy.
    Tensor andTargets = Tensor.of(0f, 0f, 0f, 1f).reshape(4, 1);
    Tensor w = Tensor.randn(new Generator(seed), 2, 1).requiresGrad(true);
    Tensor b = Tensor.zeros(1).requiresGrad(true);
    SGD neuronOpt = new SGD(java.util.List.of(w, b), 1.0);
    for (int epoch = 0; epoch < 1000; epoch++) {
      neuronOpt.zeroGrad();
      Tensor y = x.matmul(w).add(b).sigmoid(); // the neuron
      F.binaryCrossEntropy(y, andTargets).backward();
      neuronOpt.step();
    }
    Tensor andOut = x.matmul(w).add(b).sigmoid();
    out.printf("one neuron learns AND: outputs %s%n", andOut.data().reshape(4));

    // The 2-5-1 network on XOR.
    Tensor xorTargets = Tensor.of(0f, 1f, 1f, 0f).reshape(4, 1);
    Generator g = new Generator(seed);
    Sequential net =
        new Sequential(
            new Linear(2, 5, true, g), new Sigmoid(), new Linear(5, 1, true, g), new Sigmoid());
    SGD opt = new SGD(net.parameters(), 2.0);
    for (int epoch = 1; epoch <= 3000; epoch++) {
      opt.zeroGrad();
      Tensor loss = F.binaryCrossEntropy(net.forward(x), xorTargets);
      loss.backward();
      opt.step();
      if (epoch % 100 == 0) {
        out.printf("epoch %4d  loss %.5f%n", epoch, loss.item());
      }
    }
    Tensor predicted = net.forward(x);
    double correct =
        predicted
            .data()
            .gt(0.5)
            .eq(xorTargets.data().to(dev.jgrad.tensor.DType.INT32))
            .sum()
            .item();
    double accuracy = correct / 4;
    out.printf("XOR outputs %s%n", predicted.data().reshape(4));
    out.printf("accuracy (threshold 0.5): %.2f%n", accuracy);
    out.flush();
    return accuracy;
  }
}
