package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;
import java.util.Arrays;

/**
 * Splits one dim into several (PyTorch's {@code Unflatten}), the inverse of {@link Flatten}; one
 * size may be −1, inferred from the others.
 *
 * <pre>{@code
 * new Unflatten(1, 1, 28, 28).forward(pixels);   // [64, 784] -> [64, 1, 28, 28]
 * }</pre>
 */
public final class Unflatten extends Module {
  private final int dim;
  private final int[] sizes;

  /**
   * Splits {@code dim} (negative counts from the end) into {@code sizes}.
   *
   * @throws IllegalArgumentException if no size is given, a size is below −1, or −1 appears twice
   */
  public Unflatten(int dim, int... sizes) {
    int inferred = 0;
    for (int s : sizes) {
      if (s < -1) {
        throw new IllegalArgumentException(
            "Unflatten: sizes must be non-negative or -1, got " + Arrays.toString(sizes));
      }
      inferred += s == -1 ? 1 : 0;
    }
    if (sizes.length == 0 || inferred > 1) {
      throw new IllegalArgumentException(
          "Unflatten: need at least one size and at most one -1, got " + Arrays.toString(sizes));
    }
    this.dim = dim;
    this.sizes = sizes.clone();
  }

  /**
   * The input with {@code dim} split (a view when the layout allows).
   *
   * @throws IndexOutOfBoundsException if dim is out of range for the input
   * @throws IllegalArgumentException if the sizes do not multiply to the size of dim
   */
  @Override
  public Tensor forward(Tensor input) {
    int[] shape = input.shape();
    int rank = Math.max(shape.length, 1);
    if (dim < -rank || dim >= rank || shape.length == 0) {
      throw new IndexOutOfBoundsException(
          String.format(
              "Unflatten: dim %d out of range for the input of shape %s",
              dim, Arrays.toString(shape)));
    }
    int d = dim < 0 ? dim + shape.length : dim;
    long known = 1;
    boolean infer = false;
    for (int s : sizes) {
      if (s == -1) {
        infer = true;
      } else {
        known *= s;
      }
    }
    boolean fits = infer ? known != 0 && shape[d] % known == 0 : known == shape[d];
    if (!fits) {
      throw new IllegalArgumentException(
          String.format(
              "Unflatten: sizes %s do not multiply to %d, the size of dim %d of the input of"
                  + " shape %s",
              Arrays.toString(sizes), shape[d], d, Arrays.toString(shape)));
    }
    int[] out = new int[shape.length - 1 + sizes.length];
    System.arraycopy(shape, 0, out, 0, d);
    System.arraycopy(sizes, 0, out, d, sizes.length);
    System.arraycopy(shape, d + 1, out, d + sizes.length, shape.length - d - 1);
    return input.reshape(out);
  }

  @Override
  protected String extraRepr() {
    String tuple = Arrays.toString(sizes).replace('[', '(').replace(']', ')');
    return "dim="
        + dim
        + ", unflattened_size="
        + (sizes.length == 1 ? tuple.replace(")", ",)") : tuple);
  }
}
