package dev.jgrad.testkit;

import dev.jgrad.autograd.GradCheck;
import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Assertions;

/**
 * Assertions about tensors whose failures say what went wrong: which gradient of which input at
 * which element, or which elements differ and by how much. They fail with JUnit's {@code
 * AssertionFailedError}.
 *
 * <pre>{@code
 * import static dev.jgrad.testkit.TensorAssertions.*;
 *
 * Tensor x = Tensor.randn(new Generator(1), DType.FLOAT64, 3, 4).requiresGrad(true);
 * assertGradientsMatch(in -> in[0].tanh().mul(in[0]), x);
 * assertCloseTo(x.sigmoid(), x.neg().exp().add(1).reciprocal(), 1e-12, 1e-12);
 * }</pre>
 */
public final class TensorAssertions {
  /** How many of the elements out of tolerance a closeness failure lists, worst first. */
  public static final int WORST_SHOWN = 5;

  private TensorAssertions() {}

  /**
   * Asserts that autograd's gradients of {@code f} match central finite differences, first and
   * second order ({@link GradCheck}, default step and tolerances: an element passes when |analytic
   * − numeric| ≤ {@value GradCheck#ATOL} + {@value GradCheck#RTOL}·|numeric|). The output is
   * weighted by fixed random numbers and summed first, so every output element counts. A failure
   * names the order, the input, the worst element's index, the analytic and the numeric value.
   *
   * <pre>{@code
   * Tensor w = Tensor.randn(new Generator(2), DType.FLOAT64, 4, 3).requiresGrad(true);
   * assertGradientsMatch(in -> in[0].matmul(in[1]).relu(), x, w);
   * }</pre>
   *
   * @param f the function under test, given the inputs in order
   * @param inputs FLOAT64 leaves that require grad, each with its own storage per element (not an
   *     expanded view: pass {@code contiguous()} of one, as PyTorch's gradcheck asks too)
   * @throws IllegalArgumentException if there is no function or input, an input is not a FLOAT64
   *     leaf requiring grad or is an expanded view, or {@code f} returns null
   */
  public static void assertGradientsMatch(Function<Tensor[], Tensor> f, Tensor... inputs) {
    assertGradientsMatch("", f, GradCheck.RTOL, GradCheck.ATOL, inputs);
  }

  /**
   * {@link #assertGradientsMatch(Function, Tensor...)} with a description that starts the failure
   * message: {@code assertGradientsMatch("mseLoss", in -> F.mseLoss(in[0], in[1]), x, t)}.
   *
   * @throws IllegalArgumentException as {@link #assertGradientsMatch(Function, Tensor...)}
   */
  public static void assertGradientsMatch(
      String what, Function<Tensor[], Tensor> f, Tensor... inputs) {
    assertGradientsMatch(what, f, GradCheck.RTOL, GradCheck.ATOL, inputs);
  }

  /**
   * {@link #assertGradientsMatch(String, Function, Tensor...)} with tolerances of your own: an
   * element passes when |analytic − numeric| ≤ atol + rtol·|numeric|: {@code
   * assertGradientsMatch("softmax", in -> in[0].softmax(1), 1e-4, 1e-6, x)}.
   *
   * @throws IllegalArgumentException as {@link #assertGradientsMatch(Function, Tensor...)}, or if a
   *     tolerance is negative or NaN
   */
  public static void assertGradientsMatch(
      String what, Function<Tensor[], Tensor> f, double rtol, double atol, Tensor... inputs) {
    String op = "assertGradientsMatch";
    checkTolerances(op, rtol, atol);
    if (f == null) {
      throw new IllegalArgumentException(op + ": the function is null");
    }
    if (inputs == null || inputs.length == 0) {
      throw new IllegalArgumentException(op + ": no inputs to differentiate by");
    }
    for (int i = 0; i < inputs.length; i++) {
      checkInput(op, i, inputs[i]);
    }
    Function<Tensor[], Tensor> checked =
        in -> {
          Tensor out = f.apply(in);
          if (out == null) {
            throw new IllegalArgumentException(op + ": the function returned null");
          }
          return out;
        };
    String prefix = what == null || what.isEmpty() ? "" : what + ": ";
    GradCheck.Report first = GradCheck.firstOrder(checked, GradCheck.EPS, atol, rtol, inputs);
    if (!first.passed()) {
      Assertions.fail(prefix + describe(first, "first", inputs, rtol, atol));
    }
    GradCheck.Report second = GradCheck.secondOrder(checked, GradCheck.EPS, atol, rtol, inputs);
    if (!second.passed()) {
      Assertions.fail(prefix + describe(second, "second", inputs, rtol, atol));
    }
  }

  private static void checkInput(String op, int i, Tensor x) {
    if (x == null) {
      throw new IllegalArgumentException(op + ": input " + i + " is null");
    }
    String shape = Arrays.toString(x.shape());
    if (x.dtype() != DType.FLOAT64) {
      throw new IllegalArgumentException(
          op
              + ": input "
              + i
              + " is "
              + x.dtype()
              + " "
              + shape
              + "; finite differences need FLOAT64 (x.to(DType.FLOAT64))");
    }
    if (!x.isLeaf() || !x.requiresGrad()) {
      throw new IllegalArgumentException(
          op + ": input " + i + " " + shape + " must be a leaf that requires grad");
    }
    int[] strides = x.data().strides();
    for (int d = 0; d < strides.length; d++) {
      if (strides[d] == 0 && x.shape()[d] > 1) {
        throw new IllegalArgumentException(
            op
                + ": input "
                + i
                + " "
                + shape
                + " is an expanded view (strides "
                + Arrays.toString(strides)
                + "): its elements share storage, so one cannot be perturbed alone;"
                + " pass a contiguous() copy");
      }
    }
  }

  private static String describe(
      GradCheck.Report r, String order, Tensor[] inputs, double rtol, double atol) {
    return String.format(
        "%s-order gradient of input %d %s does not match finite differences: worst element at %s:"
            + " analytic %s vs numeric %s (error %.3g, allowed %.3g = atol %.1g + rtol %.1g"
            + "·|numeric|)",
        order,
        r.input(),
        Arrays.toString(inputs[r.input()].shape()),
        Arrays.toString(r.index()),
        r.analytic(),
        r.numeric(),
        r.error(),
        atol + rtol * Math.abs(r.numeric()),
        atol,
        rtol);
  }

  /**
   * Asserts that two arrays have the same shape and that every element is close: |actual −
   * expected| ≤ atol + rtol·|expected|, as {@code torch.testing.assert_close}. NaN matches NaN, an
   * infinity only itself. The dtypes may differ (the values are compared as doubles). A failure
   * states a shape mismatch, or how many elements are out of tolerance and the worst {@value
   * #WORST_SHOWN} of them with their index, expected and actual value, error and allowed error.
   *
   * <pre>{@code
   * assertCloseTo(NDArray.of(1.0, 2.0), NDArray.of(1.0, 2.0000001), 1e-6, 0);
   * }</pre>
   *
   * @throws IllegalArgumentException if an array is null or a tolerance negative or NaN
   */
  public static void assertCloseTo(NDArray expected, NDArray actual, double rtol, double atol) {
    assertCloseTo(expected, actual, rtol, atol, "");
  }

  /**
   * {@link #assertCloseTo(NDArray, NDArray, double, double)} with a description that starts the
   * failure message: {@code assertCloseTo(composed, fused, 1e-5, 1e-5, "d/dx")}.
   *
   * @throws IllegalArgumentException if an array is null or a tolerance negative or NaN
   */
  public static void assertCloseTo(
      NDArray expected, NDArray actual, double rtol, double atol, String message) {
    String op = "assertCloseTo";
    String head = message == null || message.isEmpty() ? op : message;
    checkTolerances(op, rtol, atol);
    if (expected == null || actual == null) {
      throw new IllegalArgumentException(op + ": the expected or actual array is null");
    }
    if (!Arrays.equals(expected.shape(), actual.shape())) {
      Assertions.fail(
          head
              + ": shapes differ: expected "
              + Arrays.toString(expected.shape())
              + " but actual "
              + Arrays.toString(actual.shape()));
    }
    double[] e = expected.toDoubleArray();
    double[] a = actual.toDoubleArray();
    List<Integer> bad = new ArrayList<>();
    for (int i = 0; i < e.length; i++) {
      if (ratio(e[i], a[i], rtol, atol) > 1) {
        bad.add(i);
      }
    }
    if (bad.isEmpty()) {
      return;
    }
    bad.sort(
        (i, j) -> Double.compare(ratio(e[j], a[j], rtol, atol), ratio(e[i], a[i], rtol, atol)));
    StringBuilder diff =
        new StringBuilder(
            String.format(
                "%s: %d of %d elements differ by more than atol %s + rtol %s·|expected| (shape %s,"
                    + " expected %s, actual %s); the worst:",
                head,
                bad.size(),
                e.length,
                atol,
                rtol,
                Arrays.toString(expected.shape()),
                expected.dtype(),
                actual.dtype()));
    for (int k = 0; k < Math.min(WORST_SHOWN, bad.size()); k++) {
      int i = bad.get(k);
      diff.append(
          String.format(
              "%n  at %s: expected %s, actual %s, error %.3g (allowed %.3g)",
              Arrays.toString(unflat(expected.shape(), i)),
              e[i],
              a[i],
              Math.abs(a[i] - e[i]),
              atol + rtol * Math.abs(e[i])));
    }
    if (bad.size() > WORST_SHOWN) {
      diff.append(String.format("%n  and %d more", bad.size() - WORST_SHOWN));
    }
    Assertions.fail(diff.toString());
  }

  /**
   * {@link #assertCloseTo(NDArray, NDArray, double, double)} on the tensors' data: {@code
   * assertCloseTo(composed, fused, 1e-6, 1e-6)}.
   *
   * @throws IllegalArgumentException if a tensor is null or a tolerance negative or NaN
   */
  public static void assertCloseTo(Tensor expected, Tensor actual, double rtol, double atol) {
    if (expected == null || actual == null) {
      throw new IllegalArgumentException("assertCloseTo: the expected or actual tensor is null");
    }
    assertCloseTo(expected.data(), actual.data(), rtol, atol);
  }

  /**
   * {@link #assertCloseTo(NDArray, NDArray, double, double, String)} on the tensors' data: {@code
   * assertCloseTo(x.grad(), expected, 1e-6, 1e-6, "d/dx")}.
   *
   * @throws IllegalArgumentException if a tensor is null or a tolerance negative or NaN
   */
  public static void assertCloseTo(
      Tensor expected, Tensor actual, double rtol, double atol, String message) {
    if (expected == null || actual == null) {
      throw new IllegalArgumentException("assertCloseTo: the expected or actual tensor is null");
    }
    assertCloseTo(expected.data(), actual.data(), rtol, atol, message);
  }

  /**
   * {@link #assertCloseTo(NDArray, NDArray, double, double)} with the tolerances of {@code
   * torch.testing.assert_close} for the less precise of the two dtypes: FLOAT32 rtol 1.3·10⁻⁶, atol
   * 10⁻⁵; FLOAT64 rtol 10⁻⁷, atol 10⁻⁷; INT32 exact: {@code assertCloseTo(expected, actual)}.
   *
   * @throws IllegalArgumentException if an array is null
   */
  public static void assertCloseTo(NDArray expected, NDArray actual) {
    if (expected == null || actual == null) {
      throw new IllegalArgumentException("assertCloseTo: the expected or actual array is null");
    }
    double[] tolerances = defaultTolerances(expected.dtype(), actual.dtype());
    assertCloseTo(expected, actual, tolerances[0], tolerances[1]);
  }

  /**
   * {@link #assertCloseTo(NDArray, NDArray)} on the tensors' data: {@code assertCloseTo(want,
   * got)}.
   *
   * @throws IllegalArgumentException if a tensor is null
   */
  public static void assertCloseTo(Tensor expected, Tensor actual) {
    if (expected == null || actual == null) {
      throw new IllegalArgumentException("assertCloseTo: the expected or actual tensor is null");
    }
    assertCloseTo(expected.data(), actual.data());
  }

  /** {rtol, atol} of torch.testing.assert_close for the less precise dtype. */
  private static double[] defaultTolerances(DType a, DType b) {
    if (a == DType.FLOAT32 || b == DType.FLOAT32) {
      return new double[] {1.3e-6, 1e-5};
    }
    if (a == DType.FLOAT64 || b == DType.FLOAT64) {
      return new double[] {1e-7, 1e-7};
    }
    return new double[] {0, 0};
  }

  /**
   * The error relative to the allowed error: at most 1 when close, infinite when the values cannot
   * be close (NaN against a number, different infinities).
   */
  private static double ratio(double expected, double actual, double rtol, double atol) {
    if (expected == actual || (Double.isNaN(expected) && Double.isNaN(actual))) {
      return 0;
    }
    double error = Math.abs(actual - expected);
    if (Double.isNaN(error) || Double.isInfinite(error)) {
      return Double.POSITIVE_INFINITY;
    }
    double allowed = atol + rtol * Math.abs(expected);
    return allowed == 0 ? Double.POSITIVE_INFINITY : error / allowed;
  }

  private static int[] unflat(int[] shape, int flat) {
    int[] index = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      index[d] = flat % shape[d];
      flat /= shape[d];
    }
    return index;
  }

  private static void checkTolerances(String op, double rtol, double atol) {
    if (!(rtol >= 0) || !(atol >= 0)) {
      throw new IllegalArgumentException(
          op + ": tolerances must be >= 0, got rtol " + rtol + ", atol " + atol);
    }
  }
}
