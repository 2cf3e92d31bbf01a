package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;

/**
 * One transformer encoder layer as PyTorch's {@code nn.TransformerEncoderLayer}: self-attention
 * then a feed-forward block, each with a residual connection, dropout and layer norm, with
 * PyTorch's submodule names ({@code self_attn}, {@code linear1}, {@code dropout}, {@code linear2},
 * {@code norm1}, {@code norm2}, {@code dropout1}, {@code dropout2}) so state dicts map 1:1.
 *
 * <pre>
 * post-norm (normFirst false):  x = norm1(x + sa(x));        x = norm2(x + ff(x))
 * pre-norm  (normFirst true):   x = x + sa(norm1(x));        x = x + ff(norm2(x))
 * sa(x) = dropout1(self_attn(x, x, x)),  ff(x) = dropout2(linear2(dropout(act(linear1(x)))))
 * </pre>
 *
 * <pre>{@code
 * var layer = new TransformerEncoderLayer(64, 4, 256, 0.1, "gelu", 1e-5, true, true, new Generator(1));
 * Tensor y = layer.forward(x, null, true);   // [N, T, 64], causal
 * }</pre>
 */
public final class TransformerEncoderLayer extends Module {
  private final boolean gelu;
  private final boolean normFirst;
  private final MultiheadAttention selfAttn;
  private final Linear linear1;
  private final Dropout dropout;
  private final Linear linear2;
  private final LayerNorm norm1;
  private final LayerNorm norm2;
  private final Dropout dropout1;
  private final Dropout dropout2;

  /**
   * PyTorch's defaults but batch first: feed-forward 2048, dropout 0.1, ReLU, eps 1e-5, post-norm;
   * initialised from {@link Tensor#generator()}.
   *
   * @throws IllegalArgumentException if nhead does not divide dModel or a size is not positive
   */
  public TransformerEncoderLayer(int dModel, int nhead) {
    this(dModel, nhead, 2048, 0.1, "relu", 1e-5, true, false, Tensor.generator());
  }

  /**
   * A layer with every option; {@code g} initialises the weights and draws the dropout masks.
   *
   * @throws IllegalArgumentException if nhead does not divide dModel, a size is not positive,
   *     dropout is not in [0, 1], the activation is not "relu" or "gelu", or eps is negative
   */
  public TransformerEncoderLayer(
      int dModel,
      int nhead,
      int dimFeedforward,
      double dropout,
      String activation,
      double layerNormEps,
      boolean batchFirst,
      boolean normFirst,
      Generator g) {
    if (!"relu".equals(activation) && !"gelu".equals(activation)) {
      throw new IllegalArgumentException(
          "TransformerEncoderLayer: activation must be \"relu\" or \"gelu\", got " + activation);
    }
    if (dimFeedforward < 1) {
      throw new IllegalArgumentException(
          "TransformerEncoderLayer: dimFeedforward must be positive, got " + dimFeedforward);
    }
    this.gelu = "gelu".equals(activation);
    this.normFirst = normFirst;
    this.selfAttn =
        registerModule(
            "self_attn", new MultiheadAttention(dModel, nhead, dropout, true, batchFirst, g));
    this.linear1 = registerModule("linear1", new Linear(dModel, dimFeedforward, true, g));
    this.dropout = registerModule("dropout", new Dropout(dropout, g));
    this.linear2 = registerModule("linear2", new Linear(dimFeedforward, dModel, true, g));
    this.norm1 = registerModule("norm1", new LayerNorm(new int[] {dModel}, layerNormEps, true));
    this.norm2 = registerModule("norm2", new LayerNorm(new int[] {dModel}, layerNormEps, true));
    this.dropout1 = registerModule("dropout1", new Dropout(dropout, g));
    this.dropout2 = registerModule("dropout2", new Dropout(dropout, g));
  }

  /** {@code self_attn}. */
  public MultiheadAttention selfAttn() {
    return selfAttn;
  }

  /**
   * The layer without masks.
   *
   * @throws IllegalArgumentException if the input is not [N, T, dModel] (or as batchFirst says)
   */
  @Override
  public Tensor forward(Tensor src) {
    checkInput(src);
    return forward(src, null, null, false);
  }

  /**
   * The layer with an attention mask ({@code srcMask} [T, T] or [N·nhead, T, T], INT32 non-zero
   * hiding or float added, or null) or the causal mask.
   *
   * @throws IllegalArgumentException if the shapes do not fit (see {@link
   *     MultiheadAttention#forward(Tensor, Tensor, Tensor, Tensor, boolean, Tensor, boolean)})
   */
  public Tensor forward(Tensor src, Tensor srcMask, boolean isCausal) {
    return forward(src, srcMask, null, isCausal);
  }

  /**
   * The layer with an attention mask and a key padding mask ({@code srcKeyPaddingMask} [N, T],
   * non-zero hiding a padded position), either may be null.
   *
   * @throws IllegalArgumentException if the shapes do not fit (see {@link
   *     MultiheadAttention#forward(Tensor, Tensor, Tensor, Tensor, boolean, Tensor, boolean)})
   */
  public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask, boolean isCausal) {
    Tensor x = checkInput(src);
    if (normFirst) {
      x = x.add(selfAttention(norm1.forward(x), srcMask, srcKeyPaddingMask, isCausal));
      return x.add(feedForward(norm2.forward(x)));
    }
    x = norm1.forward(x.add(selfAttention(x, srcMask, srcKeyPaddingMask, isCausal)));
    return norm2.forward(x.add(feedForward(x)));
  }

  private Tensor selfAttention(Tensor x, Tensor mask, Tensor padding, boolean isCausal) {
    return dropout1.forward(selfAttn.forward(x, x, x, padding, false, mask, isCausal).output());
  }

  private Tensor feedForward(Tensor x) {
    Tensor h = linear1.forward(x);
    h = gelu ? F.gelu(h) : F.relu(h);
    return dropout2.forward(linear2.forward(dropout.forward(h)));
  }

  @Override
  protected String extraRepr() {
    return "activation=" + (gelu ? "gelu" : "relu") + ", norm_first=" + normFirst;
  }
}
