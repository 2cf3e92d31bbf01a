package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
 * {@code Pooling} against PyTorch 1.13: the values, indices and adjoints (x.grad of the pooling
 * applied to a gradient g) that {@code pytorch_pooling.py} recorded in {@code pytorch-pooling.txt}
 * for 90 random geometries (kernels, strides, paddings, dilations, ceil mode, count_include_pad,
 * adaptive output sizes), on inputs of multiples of 1/8 so that windows often tie. The adjoint of
 * max pooling is the scatter-add of g at the indices.
 */
class PoolingPyTorchTest {

  record Case(
      String line,
      String kind,
      int[] v,
      double[] x,
      double[] y,
      int[] idx,
      double[] g,
      double[] grad) {}

  static double[] numbers(String s) {
    String t = s.trim();
    return t.isEmpty()
        ? new double[0]
        : Arrays.stream(t.split(" ")).mapToDouble(Double::parseDouble).toArray();
  }

  static List<Case> cases() throws IOException {
    List<Case> out = new ArrayList<>();
    InputStream in = PoolingPyTorchTest.class.getResourceAsStream("pytorch-pooling.txt");
    assertNotNull(in, "pytorch-pooling.txt");
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] parts = line.split("\\|", -1);
        String[] head = parts[0].trim().split(" ");
        int[] v = Arrays.stream(head).skip(1).mapToInt(Integer::parseInt).toArray();
        int[] idx = Arrays.stream(numbers(parts[3])).mapToInt(d -> (int) d).toArray();
        out.add(
            new Case(
                parts[0],
                head[0],
                v,
                numbers(parts[1]),
                numbers(parts[2]),
                idx,
                numbers(parts[4]),
                numbers(parts[5])));
      }
    }
    return out;
  }

  @Test
  void poolingsAndTheirAdjointsMatchPyTorch() throws IOException {
    List<Case> all = cases();
    assertEquals(90, all.size());
    for (Case c : all) {
      int[] v = c.v();
      int n = v[0], ch = v[1], h = v[2], w = v[3];
      int[] k = {v[4], v[5]};
      int[] s = {v[6], v[7]};
      int[] p = {v[8], v[9]};
      int[] d = {v[10], v[11]};
      boolean ceil = v[12] == 1;
      boolean countIncludePad = v[13] == 1;
      NDArray x = NDArray.fromArray(c.x(), n, ch, h, w);
      NDArray y;
      NDArray grad;
      switch (c.kind()) {
        case "max":
          {
            ValuesAndIndices r = x.maxPool2d(k, s, p, d, ceil);
            y = r.values();
            assertArrayEquals(c.idx(), r.indices().toIntArray(), c.line());
            ValuesAndIndices f = x.to(DType.FLOAT32).maxPool2d(k, s, p, d, ceil); // exact: k/8
            assertArrayEquals(c.y(), f.values().toDoubleArray(), 0, c.line());
            assertArrayEquals(c.idx(), f.indices().toIntArray(), c.line());
            int[] planes = {n, ch, h * w};
            int m = y.shape()[2] * y.shape()[3];
            NDArray g = NDArray.fromArray(c.g(), n, ch, m);
            grad =
                NDArray.zeros(DType.FLOAT64, planes)
                    .scatterAdd(2, r.indices().reshape(n, ch, m), g);
            break;
          }
        case "avg":
          y = x.avgPool2d(k, s, p, ceil, countIncludePad);
          grad =
              NDArray.fromArray(c.g(), y.shape())
                  .avgPool2dAdjoint(h, w, k, s, p, ceil, countIncludePad);
          break;
        default:
          y = x.adaptiveAvgPool2d(k[0], k[1]);
          grad = NDArray.fromArray(c.g(), y.shape()).adaptiveAvgPool2dAdjoint(h, w);
          break;
      }
      assertArrayEquals(c.y(), y.toDoubleArray(), 1e-12, c.line());
      assertArrayEquals(c.grad(), grad.toDoubleArray(), 1e-12, c.line());
    }
  }
}
