package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;

/**
 * Root-mean-square normalisation over the trailing {@code normalizedShape} dims (PyTorch 2.4's
 * {@code nn.RMSNorm}): {@code y = x / sqrt(mean(x²) + eps) · weight}, the weight starting at 1; a
 * null eps is the machine epsilon of the input's dtype.
 *
 * <pre>{@code
 * RMSNorm norm = new RMSNorm(new int[] {768}, null, true);
 * Tensor y = norm.forward(x); // [B, T, 768] -> [B, T, 768]
 * }</pre>
 */
public final class RMSNorm extends Module {
  private final int[] normalizedShape;
  private final Double eps;
  private final Tensor weight;

  /**
   * A layer with the default eps (machine epsilon) and a learnable weight.
   *
   * @throws IllegalArgumentException if no size is given or a size is not positive
   */
  public RMSNorm(int... normalizedShape) {
    this(normalizedShape, null, true);
  }

  /**
   * A layer with the given eps (null: the machine epsilon of the input's dtype), with a learnable
   * weight when {@code elementwiseAffine}.
   *
   * @throws IllegalArgumentException if no size is given, a size is not positive, or eps is
   *     negative
   */
  public RMSNorm(int[] normalizedShape, Double eps, boolean elementwiseAffine) {
    this.normalizedShape = LayerNorm.Normalizations.checkShape("RMSNorm", normalizedShape, eps);
    this.eps = eps;
    this.weight =
        elementwiseAffine
            ? registerParameter("weight", allocate("RMSNorm", () -> Tensor.ones(normalizedShape)))
            : null;
  }

  /** The weight (normalized shape), or null. */
  public Tensor weight() {
    return weight;
  }

  /**
   * The input normalised over its trailing dims.
   *
   * @throws IllegalArgumentException if the input's trailing dims are not the normalized shape
   */
  @Override
  public Tensor forward(Tensor input) {
    checkInput(input);
    return F.rmsNorm(input, normalizedShape, weight, eps);
  }

  @Override
  protected String extraRepr() {
    return LayerNorm.Normalizations.tuple(normalizedShape)
        + ", eps="
        + (eps == null ? "None" : eps.toString())
        + ", elementwise_affine="
        + (weight != null ? "True" : "False");
  }
}
