package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;
import java.util.Arrays;

/**
 * Layer normalisation over the trailing {@code normalizedShape} dims (PyTorch's {@code
 * nn.LayerNorm}): {@code y = (x − mean) / sqrt(var + eps) · weight + bias}, with each row's biased
 * variance; weight starts at 1 and bias at 0, both of the normalized shape.
 *
 * <pre>{@code
 * LayerNorm norm = new LayerNorm(768);
 * Tensor y = norm.forward(x); // [B, T, 768] -> [B, T, 768]
 * }</pre>
 */
public final class LayerNorm extends Module {
  private final int[] normalizedShape;
  private final double eps;
  private final Tensor weight;
  private final Tensor bias;

  /**
   * eps = 1e-5, with a learnable weight and bias.
   *
   * @throws IllegalArgumentException if no size is given or a size is not positive
   */
  public LayerNorm(int... normalizedShape) {
    this(normalizedShape, 1e-5, true, true);
  }

  /**
   * A layer with the given eps, with or without the elementwise affine weight and bias.
   *
   * @throws IllegalArgumentException if no size is given, a size is not positive, or eps is
   *     negative
   */
  public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
    this(normalizedShape, eps, elementwiseAffine, true);
  }

  /**
   * A layer with the given eps, and a weight when {@code elementwiseAffine}, and a bias as well
   * when {@code bias} too (PyTorch's {@code bias=False} leaves it out).
   *
   * @throws IllegalArgumentException if no size is given, a size is not positive, or eps is
   *     negative
   */
  public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine, boolean bias) {
    this.normalizedShape = Normalizations.checkShape("LayerNorm", normalizedShape, eps);
    this.eps = eps;
    this.weight =
        elementwiseAffine
            ? registerParameter("weight", allocate("LayerNorm", () -> Tensor.ones(normalizedShape)))
            : null;
    this.bias =
        elementwiseAffine && bias
            ? registerParameter("bias", allocate("LayerNorm", () -> Tensor.zeros(normalizedShape)))
            : null;
  }

  /** The weight (normalized shape), or null. */
  public Tensor weight() {
    return weight;
  }

  /** The bias (normalized shape), or null. */
  public Tensor bias() {
    return bias;
  }

  /**
   * The input normalised over its trailing dims.
   *
   * @throws IllegalArgumentException if the input's trailing dims are not the normalized shape
   */
  @Override
  public Tensor forward(Tensor input) {
    checkInput(input);
    return F.layerNorm(input, normalizedShape, weight, bias, eps);
  }

  @Override
  protected String extraRepr() {
    return Normalizations.tuple(normalizedShape)
        + ", eps="
        + eps
        + ", elementwise_affine="
        + (weight != null ? "True" : "False");
  }

  /** Shape checks and printing shared by the normalisation layers. */
  static final class Normalizations {
    private Normalizations() {}

    static int[] checkShape(String op, int[] shape, Double eps) {
      if (shape.length == 0 || Arrays.stream(shape).anyMatch(s -> s < 1)) {
        throw new IllegalArgumentException(
            op + ": normalizedShape must list positive sizes, got " + Arrays.toString(shape));
      }
      if (eps != null && !(eps >= 0)) {
        throw new IllegalArgumentException(op + ": eps must be non-negative, got " + eps);
      }
      return shape.clone();
    }

    /** Python's tuple spelling: (768,) or (4, 5). */
    static String tuple(int[] shape) {
      StringBuilder b = new StringBuilder("(");
      for (int i = 0; i < shape.length; i++) {
        b.append(i == 0 ? "" : ", ").append(shape[i]);
      }
      return b.append(shape.length == 1 ? ",)" : ")").toString();
    }
  }
}
