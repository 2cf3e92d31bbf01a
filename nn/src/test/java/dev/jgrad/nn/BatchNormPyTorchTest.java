package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link F#batchNorm} and {@link BatchNorm2d} against PyTorch 1.13: three training steps and one
 * evaluation step of a float64 {@code BatchNorm2d(3, eps=1e-3, momentum=0.2)}, outputs and running
 * statistics as {@code pytorch_batchnorm.py} recorded them in {@code pytorch-batchnorm.txt}.
 */
class BatchNormPyTorchTest {

  static double[] numbers(String s) {
    return Arrays.stream(s.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
  }

  static List<String[]> steps() throws IOException {
    InputStream in = BatchNormPyTorchTest.class.getResourceAsStream("pytorch-batchnorm.txt");
    assertNotNull(in, "pytorch-batchnorm.txt");
    List<String[]> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        out.add(line.split("\\|"));
      }
    }
    return out;
  }

  @Test
  void trainingStepsThenEvaluationMatchPyTorch() throws IOException {
    Tensor weight = new Tensor(NDArray.of(1.5, 0.5, -1.0));
    Tensor bias = new Tensor(NDArray.of(0.125, -0.25, 0.375));
    Tensor runningMean = new Tensor(NDArray.zeros(DType.FLOAT64, 3));
    Tensor runningVar = new Tensor(NDArray.ones(DType.FLOAT64, 3));
    BatchNorm2d module = new BatchNorm2d(3, 1e-3, 0.2, true, true);
    try (GradMode.Scope off = Tensor.noGrad()) {
      module.weight.copyFrom(weight);
      module.bias.copyFrom(bias);
    }
    List<String[]> steps = steps();
    assertEquals(4, steps.size());
    for (String[] step : steps) {
      boolean training = step[0].equals("train");
      module.train(training);
      NDArray x = NDArray.fromArray(numbers(step[1]), 4, 3, 5, 6);
      double[] expected = numbers(step[2]);
      Tensor y =
          F.batchNorm(new Tensor(x), runningMean, runningVar, weight, bias, training, 0.2, 1e-3);
      assertArrayEquals(expected, y.data().toDoubleArray(), 1e-12, step[0]);
      assertArrayEquals(numbers(step[3]), runningMean.data().toDoubleArray(), 1e-12);
      assertArrayEquals(numbers(step[4]), runningVar.data().toDoubleArray(), 1e-12);
      // the module keeps FLOAT32 parameters and statistics, as PyTorch's default does
      Tensor ym = module.forward(new Tensor(x.to(DType.FLOAT32)));
      assertArrayEquals(expected, ym.data().toDoubleArray(), 2e-5, step[0]);
      assertArrayEquals(numbers(step[3]), module.runningMean.data().toDoubleArray(), 2e-6);
      assertArrayEquals(numbers(step[4]), module.runningVar.data().toDoubleArray(), 2e-5);
      assertEquals(Integer.parseInt(step[5]), module.numBatchesTracked.data().getInt());
    }
  }
}
