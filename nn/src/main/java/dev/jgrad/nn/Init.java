package dev.jgrad.nn;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;

/**
 * Parameter initialisation, in place and without recording a graph, as in {@code torch.nn.init}.
 * Every method takes an explicit {@link Generator}, so the same seed gives the same model.
 *
 * <pre>{@code
 * Init.kaimingUniform(layer.weight(), 0, Init.FanMode.FAN_IN, "relu", new Generator(1));
 * Init.constant(layer.bias(), 0);
 * }</pre>
 */
public final class Init {
  /** Which fan the Kaiming methods preserve the variance of. */
  public enum FanMode {
    FAN_IN,
    FAN_OUT
  }

  private Init() {}

  private static Tensor fill(Tensor t, NDArray values) {
    try (GradMode.Scope g = Tensor.noGrad()) {
      t.copyFrom(new Tensor(values));
    }
    return t;
  }

  /** U(a, b), in place. Returns t. */
  public static Tensor uniform(Tensor t, double a, double b, Generator g) {
    return fill(t, NDArray.rand(g, t.dtype(), t.shape()).mul(b - a).add(a));
  }

  /** N(mean, std²), in place. Returns t. */
  public static Tensor normal(Tensor t, double mean, double std, Generator g) {
    return fill(t, NDArray.randn(g, t.dtype(), t.shape()).mul(std).add(mean));
  }

  /** Every element {@code value}, in place. Returns t. */
  public static Tensor constant(Tensor t, double value) {
    try (GradMode.Scope g = Tensor.noGrad()) {
      return t.fill(value);
    }
  }

  /**
   * The recommended gain for a nonlinearity: 1 for linear/sigmoid, 5/3 for tanh, √2 for relu,
   * √(2/(1 + a²)) for leaky_relu with slope a, 3/4 for selu. {@code param} is used by leaky_relu
   * only.
   *
   * @throws IllegalArgumentException for another nonlinearity
   */
  public static double calculateGain(String nonlinearity, double param) {
    switch (nonlinearity) {
      case "linear":
      case "identity":
      case "sigmoid":
        return 1.0;
      case "tanh":
        return 5.0 / 3.0;
      case "relu":
        return Math.sqrt(2.0);
      case "leaky_relu":
        return Math.sqrt(2.0 / (1 + param * param));
      case "selu":
        return 0.75;
      default:
        throw new IllegalArgumentException(
            "calculateGain: unknown nonlinearity '" + nonlinearity + "'");
    }
  }

  /**
   * {fan_in, fan_out} of a weight: [out, in] for 2-D, times the receptive field (the product of the
   * dims after the first two) for more dims, e.g. a [16, 3, 5, 5] kernel has fan_in 75 and fan_out
   * 400.
   *
   * @throws IllegalArgumentException if the weight has fewer than 2 dims
   */
  public static int[] fans(Tensor t) {
    int[] s = t.shape();
    if (s.length < 2) {
      throw new IllegalArgumentException(
          "fans: need at least 2 dims to compute fan in and fan out, got shape "
              + java.util.Arrays.toString(s));
    }
    int receptive = 1;
    for (int d = 2; d < s.length; d++) {
      receptive *= s[d];
    }
    return new int[] {s[1] * receptive, s[0] * receptive};
  }

  /**
   * Glorot: U(−b, b) with b = gain·√(6/(fan_in + fan_out)), in place. Returns t.
   *
   * @throws IllegalArgumentException if the weight has fewer than 2 dims
   */
  public static Tensor xavierUniform(Tensor t, double gain, Generator g) {
    int[] f = fans(t);
    double bound = gain * Math.sqrt(6.0 / (f[0] + f[1]));
    return uniform(t, -bound, bound, g);
  }

  /**
   * Glorot: N(0, σ²) with σ = gain·√(2/(fan_in + fan_out)), in place. Returns t.
   *
   * @throws IllegalArgumentException if the weight has fewer than 2 dims
   */
  public static Tensor xavierNormal(Tensor t, double gain, Generator g) {
    int[] f = fans(t);
    return normal(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])), g);
  }

  /**
   * He: U(−b, b) with b = gain·√(3/fan), gain from the nonlinearity (with slope a), in place.
   * Returns t.
   *
   * @throws IllegalArgumentException if the weight has fewer than 2 dims or the nonlinearity is
   *     unknown to {@link #calculateGain}
   */
  public static Tensor kaimingUniform(
      Tensor t, double a, FanMode mode, String nonlinearity, Generator g) {
    int[] f = fans(t);
    double std = calculateGain(nonlinearity, a) / Math.sqrt(mode == FanMode.FAN_IN ? f[0] : f[1]);
    double bound = Math.sqrt(3.0) * std;
    return uniform(t, -bound, bound, g);
  }

  /**
   * He: N(0, σ²) with σ = gain/√fan, gain from the nonlinearity (with slope a), in place. Returns
   * t.
   *
   * @throws IllegalArgumentException if the weight has fewer than 2 dims or the nonlinearity is
   *     unknown to {@link #calculateGain}
   */
  public static Tensor kaimingNormal(
      Tensor t, double a, FanMode mode, String nonlinearity, Generator g) {
    int[] f = fans(t);
    return normal(
        t, 0, calculateGain(nonlinearity, a) / Math.sqrt(mode == FanMode.FAN_IN ? f[0] : f[1]), g);
  }
}
