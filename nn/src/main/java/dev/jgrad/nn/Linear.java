package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;

/**
 * y = x·Wᵀ + b, with W of shape [out, in] as in PyTorch (so weights move between the two as they
 * are). Initialised like PyTorch: W ~ kaiming-uniform with a = √5, i.e. U(−1/√in, 1/√in), and b ~
 * U(−1/√in, 1/√in).
 *
 * <pre>{@code
 * Linear layer = new Linear(784, 128);
 * Tensor h = layer.forward(x);        // [batch, 784] -> [batch, 128]
 * }</pre>
 */
public final class Linear extends Module {
  private final int inFeatures;
  private final int outFeatures;
  private final Tensor weight;
  private final Tensor bias;

  /**
   * A layer with bias, initialised from {@link Tensor#generator()}.
   *
   * @throws IllegalArgumentException if a size is not positive
   */
  public Linear(int inFeatures, int outFeatures) {
    this(inFeatures, outFeatures, true, Tensor.generator());
  }

  /**
   * A layer initialised from {@link Tensor#generator()}.
   *
   * @throws IllegalArgumentException if a size is not positive
   */
  public Linear(int inFeatures, int outFeatures, boolean bias) {
    this(inFeatures, outFeatures, bias, Tensor.generator());
  }

  /**
   * A layer initialised from the given generator.
   *
   * @throws IllegalArgumentException if a size is not positive
   */
  public Linear(int inFeatures, int outFeatures, boolean bias, Generator g) {
    if (inFeatures < 1 || outFeatures < 1) {
      throw new IllegalArgumentException(
          "Linear: sizes must be positive, got in=" + inFeatures + ", out=" + outFeatures);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight =
        registerParameter(
            "weight", allocate("Linear", () -> Tensor.zeros(outFeatures, inFeatures)));
    Init.kaimingUniform(weight, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", g);
    if (bias) {
      double bound = 1 / Math.sqrt(inFeatures);
      this.bias = registerParameter("bias", allocate("Linear", () -> Tensor.zeros(outFeatures)));
      Init.uniform(this.bias, -bound, bound, g);
    } else {
      this.bias = null;
    }
  }

  /** The weight, [out, in]. */
  public Tensor weight() {
    return weight;
  }

  /** The bias, [out], or null. */
  public Tensor bias() {
    return bias;
  }

  /**
   * x·Wᵀ + b over the last dim of {@code input}.
   *
   * @throws IllegalArgumentException if the last dim of {@code input} is not {@code in_features}
   */
  @Override
  public Tensor forward(Tensor input) {
    checkInput(input);
    if (input.dim() == 0 || input.shape(-1) != inFeatures) {
      throw new IllegalArgumentException(
          String.format(
              "Linear: expected input with %d features in the last dim, got shape %s",
              inFeatures, java.util.Arrays.toString(input.shape())));
    }
    return F.linear(input, weight, bias);
  }

  @Override
  protected String extraRepr() {
    return String.format(
        "in_features=%d, out_features=%d, bias=%s",
        inFeatures, outFeatures, bias != null ? "True" : "False");
  }
}
