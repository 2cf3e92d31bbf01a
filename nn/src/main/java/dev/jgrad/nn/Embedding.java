package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;

/**
 * A table of {@code numEmbeddings} vectors of {@code embeddingDim}, looked up by INT32 ids
 * (PyTorch's {@code nn.Embedding}). The weight [V, E] starts N(0, 1); the optional padding row
 * starts at 0 and receives no gradient. The lookup's gradient is an index-add into a zero [V, E]
 * array.
 *
 * <pre>{@code
 * Embedding tokens = new Embedding(50257, 768);
 * Tensor x = tokens.forward(ids); // [B, T] INT32 -> [B, T, 768]
 * }</pre>
 */
public final class Embedding extends Module {
  private final int numEmbeddings;
  private final int embeddingDim;
  private final Integer paddingIdx;
  private final Tensor weight;

  /**
   * A table without padding, initialised from {@link Tensor#generator()}.
   *
   * @throws IllegalArgumentException if a size is not positive
   */
  public Embedding(int numEmbeddings, int embeddingDim) {
    this(numEmbeddings, embeddingDim, null, Tensor.generator());
  }

  /**
   * A table initialised from {@code g}, with row {@code paddingIdx} (negative counts from the end)
   * zeroed and kept out of the gradient, or no padding row when it is null.
   *
   * @throws IllegalArgumentException if a size is not positive or paddingIdx is not a row
   */
  public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Generator g) {
    if (numEmbeddings < 1 || embeddingDim < 1) {
      throw new IllegalArgumentException(
          String.format(
              "Embedding: sizes must be positive, got numEmbeddings=%d, embeddingDim=%d",
              numEmbeddings, embeddingDim));
    }
    if (paddingIdx != null && (paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings)) {
      throw new IllegalArgumentException(
          String.format(
              "Embedding: paddingIdx %d is not a row of a table of %d", paddingIdx, numEmbeddings));
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx =
        paddingIdx == null || paddingIdx >= 0
            ? paddingIdx
            : Integer.valueOf(paddingIdx + numEmbeddings);
    this.weight =
        registerParameter(
            "weight", allocate("Embedding", () -> Tensor.zeros(numEmbeddings, embeddingDim)));
    Init.normal(weight, 0, 1, g);
    if (this.paddingIdx != null) {
      weight.data().select(0, this.paddingIdx).fill(0);
    }
  }

  /** The table, [numEmbeddings, embeddingDim]. */
  public Tensor weight() {
    return weight;
  }

  /** The padding row (non-negative), or null. */
  public Integer paddingIdx() {
    return paddingIdx;
  }

  /**
   * The rows of the ids: shape ids.shape + [embeddingDim].
   *
   * @throws IllegalArgumentException if the ids are not INT32
   * @throws IndexOutOfBoundsException if an id is negative or not below numEmbeddings
   */
  @Override
  public Tensor forward(Tensor ids) {
    checkInput(ids);
    return paddingIdx == null ? F.embedding(ids, weight) : F.embedding(ids, weight, paddingIdx);
  }

  @Override
  protected String extraRepr() {
    return numEmbeddings
        + ", "
        + embeddingDim
        + (paddingIdx == null ? "" : ", padding_idx=" + paddingIdx);
  }
}
