package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Options of {@link Conv2d}, {@link ConvTranspose2d} and the batch-norm modules that other tests
 * leave at their defaults (issue #14, mutation testing): the repr of named padding, dilation,
 * output padding, groups and no bias; four-sided padding; the refusals of size arrays of the wrong
 * length or below their minimum and of groups that do not divide the channels; and the bounds of
 * eps (positive) and momentum ([0, 1], both ends included, as PyTorch).
 */
class ConvAndBatchNormOptionsTest {

  static String error(Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }

  static final Generator G = new Generator(1);

  @Test
  void conv2dShowsEveryOptionThatIsNotItsDefault() {
    Conv2d same =
        new Conv2d(4, 6, new int[] {3}, new int[] {1}, "same", new int[] {1, 2}, 2, false, G);
    String r = same.toString();
    assertTrue(r.contains("padding=same, dilation=(1, 2), groups=2, bias=False"), r);
    assertArrayEquals(new int[] {1, 6, 5, 7}, same.forward(Tensor.zeros(1, 4, 5, 7)).shape());
    Conv2d dilatedRows =
        new Conv2d(2, 2, new int[] {3}, new int[] {1}, new int[] {0}, new int[] {2, 1}, 1, true, G);
    assertTrue(
        dilatedRows.toString().endsWith("padding=(0, 0), dilation=(2, 1))"),
        dilatedRows.toString());
    // four sides: top 1, bottom 2, left 3, right 4 around a 1x1 kernel
    Conv2d sides =
        new Conv2d(
            1, 1, new int[] {1}, new int[] {1}, new int[] {1, 2, 3, 4}, new int[] {1}, 1, true, G);
    assertTrue(sides.toString().contains("padding=[1, 2, 3, 4])"), sides.toString());
    assertArrayEquals(new int[] {1, 1, 5, 9}, sides.forward(Tensor.zeros(1, 1, 2, 2)).shape());
    // two values: (h, w) = (2, 0)
    Conv2d rows =
        new Conv2d(1, 1, new int[] {1}, new int[] {1}, new int[] {2, 0}, new int[] {1}, 1, true, G);
    assertArrayEquals(new int[] {1, 1, 6, 2}, rows.forward(Tensor.zeros(1, 1, 2, 2)).shape());
  }

  @Test
  void conv2dRefusesSizeArraysOfTheWrongLengthOrSize() {
    int[] one = {1};
    for (int[] padding : new int[][] {{}, {1, 1, 1}, {1, 1, 1, 1, 1}}) {
      String m = error(() -> new Conv2d(1, 1, one, one, padding, one, 1, true, G));
      assertTrue(m.contains("Conv2d: padding must have 1, 2 or 4 values"), m);
    }
    String m = error(() -> new Conv2d(1, 1, one, one, (int[]) null, one, 1, true, G));
    assertTrue(m.contains("padding must have 1, 2 or 4 values, got null"), m);
    m = error(() -> new Conv2d(1, 1, new int[] {1, 1, 1}, one, one, one, 1, true, G));
    assertTrue(m.contains("kernelSize must have 1 or 2 values"), m);
    m = error(() -> new Conv2d(1, 1, new int[0], one, one, one, 1, true, G));
    assertTrue(m.contains("kernelSize must have 1 or 2 values"), m);
    m = error(() -> new Conv2d(1, 1, new int[] {3, 0}, one, one, one, 1, true, G));
    assertTrue(m.contains("kernelSize must be at least 1, got [3, 0]"), m);
    m = error(() -> new Conv2d(1, 1, one, new int[] {0, 1}, one, one, 1, true, G));
    assertTrue(m.contains("stride must be at least 1, got [0, 1]"), m);
  }

  @Test
  void convTranspose2dShowsOutputPaddingAndDilationAndChecksGroups() {
    ConvTranspose2d up =
        new ConvTranspose2d(
            2,
            2,
            new int[] {3},
            new int[] {2},
            new int[] {1},
            new int[] {0, 1},
            1,
            true,
            new int[] {1},
            G);
    String r = up.toString();
    assertTrue(r.contains("output_padding=(0, 1)") && !r.contains("dilation"), r);
    // (4 − 1)·2 − 2 + 3 + 0 = 7 rows and 8 columns
    assertArrayEquals(new int[] {1, 2, 7, 8}, up.forward(Tensor.zeros(1, 2, 4, 4)).shape());
    ConvTranspose2d dilated =
        new ConvTranspose2d(
            2,
            2,
            new int[] {3},
            new int[] {1},
            new int[] {0},
            new int[] {0},
            1,
            true,
            new int[] {1, 2},
            G);
    r = dilated.toString();
    assertTrue(r.contains("dilation=(1, 2)") && !r.contains("output_padding"), r);
    String m =
        error(
            () ->
                new ConvTranspose2d(
                    3,
                    4,
                    new int[] {3},
                    new int[] {1},
                    new int[] {0},
                    new int[] {0},
                    2,
                    true,
                    new int[] {1},
                    G));
    assertTrue(m.startsWith("ConvTranspose2d: channel counts must be positive and divisible"), m);
  }

  @Test
  void batchNormTakesAPositiveEpsAndAMomentumInZeroToOne() {
    new BatchNorm1d(3, 1e-300, 0, true, true);
    new BatchNorm2d(3, 1e-5, 1, true, true);
    for (double eps : new double[] {0, -1e-5, Double.NaN}) {
      String m = error(() -> new BatchNorm1d(3, eps, 0.1, true, true));
      assertTrue(m.startsWith("BatchNorm1d: eps must be positive"), m);
    }
    for (double momentum : new double[] {-0.01, 1.01, Double.NaN}) {
      String m = error(() -> new BatchNorm2d(3, 1e-5, momentum, true, true));
      assertTrue(m.startsWith("BatchNorm2d: momentum must be in [0, 1]"), m);
    }
  }
}
