package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import java.util.Arrays;
import java.util.List;

/**
 * Multi-head attention as PyTorch's {@code nn.MultiheadAttention}: q, k and v are projected by one
 * [3E, E] matrix ({@code in_proj_weight}, with {@code in_proj_bias}), split into {@code numHeads}
 * heads of E/numHeads each, attended by {@link F#scaledDotProductAttention} and joined by {@code
 * out_proj} (a {@link Linear}). The state dict has PyTorch's names, so weights move 1:1: {@code
 * in_proj_weight} [3E, E], {@code in_proj_bias} [3E], {@code out_proj.weight} [E, E], {@code
 * out_proj.bias} [E]. Initialised as PyTorch: Xavier-uniform {@code in_proj_weight}, zero biases,
 * {@code out_proj.weight} as a Linear's.
 *
 * <p>Inputs are [N, L, E] (batchFirst, this class's default) or [L, N, E], or unbatched [L, E]. The
 * masks follow {@code nn.MultiheadAttention}, not {@link F#scaledDotProductAttention}: in an INT32
 * mask a non-zero <em>hides</em> a position (PyTorch's {@code True}); a float mask is added to the
 * scores. {@code keyPaddingMask} is [N, S] (hiding padded keys), {@code attnMask} [L, S] or
 * [N·numHeads, L, S].
 *
 * <pre>{@code
 * var mha = new MultiheadAttention(64, 8);
 * Tensor y = mha.forward(x);                                   // self-attention, [N, L, 64]
 * Tensor z = mha.forward(x, x, x, padding, false, null, true).output(); // causal, padding hidden
 * }</pre>
 */
public final class MultiheadAttention extends Module {
  private final int embedDim;
  private final int numHeads;
  private final double dropout;
  private final boolean batchFirst;
  private final Generator generator;
  private final Tensor inProjWeight;
  private final Tensor inProjBias;
  private final Linear outProj;

  /** The attended values and, when asked for, the attention weights averaged over the heads. */
  public record Output(Tensor output, Tensor weights) {}

  /**
   * No dropout, with biases, batch first, initialised from {@link Tensor#generator()}.
   *
   * @throws IllegalArgumentException if numHeads does not divide embedDim or a size is not positive
   */
  public MultiheadAttention(int embedDim, int numHeads) {
    this(embedDim, numHeads, 0, true, true, Tensor.generator());
  }

  /**
   * A layer with dropout {@code dropout} on the attention probabilities in training mode,
   * initialised from (and drawing dropout masks from) {@code g}.
   *
   * @throws IllegalArgumentException if numHeads does not divide embedDim, a size is not positive
   *     or dropout is not in [0, 1]
   */
  public MultiheadAttention(
      int embedDim, int numHeads, double dropout, boolean bias, boolean batchFirst, Generator g) {
    if (embedDim < 1 || numHeads < 1) {
      throw new IllegalArgumentException(
          "MultiheadAttention: sizes must be positive, got embedDim="
              + embedDim
              + ", numHeads="
              + numHeads);
    }
    if (embedDim > Integer.MAX_VALUE / 3) { // in_proj_weight is [3·embedDim, embedDim]
      throw new IllegalArgumentException(
          "MultiheadAttention: embedDim="
              + embedDim
              + " is too large (in_proj has 3·embedDim rows)");
    }
    if (embedDim % numHeads != 0) {
      throw new IllegalArgumentException(
          "MultiheadAttention: numHeads="
              + numHeads
              + " does not divide embedDim="
              + embedDim
              + " (embedDim must be divisible by numHeads)");
    }
    if (!(dropout >= 0 && dropout <= 1)) {
      throw new IllegalArgumentException(
          "MultiheadAttention: dropout must be in [0, 1], got " + dropout);
    }
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    this.dropout = dropout;
    this.batchFirst = batchFirst;
    this.generator = g;
    this.inProjWeight =
        registerParameter(
            "in_proj_weight",
            allocate("MultiheadAttention", () -> Tensor.zeros(3 * embedDim, embedDim)));
    Init.xavierUniform(inProjWeight, 1, g);
    this.inProjBias =
        bias
            ? registerParameter(
                "in_proj_bias", allocate("MultiheadAttention", () -> Tensor.zeros(3 * embedDim)))
            : null;
    this.outProj = registerModule("out_proj", new Linear(embedDim, embedDim, bias, g));
    if (bias) {
      Init.constant(outProj.bias(), 0);
    }
  }

  /** {@code in_proj_weight}, [3E, E]: the rows of q, then k, then v. */
  public Tensor inProjWeight() {
    return inProjWeight;
  }

  /** {@code in_proj_bias}, [3E], or null. */
  public Tensor inProjBias() {
    return inProjBias;
  }

  /** {@code out_proj}. */
  public Linear outProj() {
    return outProj;
  }

  /**
   * Self-attention of {@code input} without masks.
   *
   * @throws IllegalArgumentException if the input is not [N, L, E] (or [L, N, E], or [L, E])
   */
  @Override
  public Tensor forward(Tensor input) {
    checkInput(input);
    return forward(input, input, input, null, false, null, false).output();
  }

  /**
   * Attention of {@code query} [N, L, E] over {@code key} and {@code value} [N, S, E] (or their
   * sequence-first or unbatched forms). {@code keyPaddingMask} [N, S] and {@code attnMask} [L, S]
   * or [N·numHeads, L, S] may be null; in INT32 masks non-zero hides, float masks are added. {@code
   * isCausal} without attnMask hides the keys after each query (where PyTorch wants the mask as
   * well); with attnMask it is only a hint and the mask is used, as PyTorch. With {@code
   * needWeights} the output also carries the attention probabilities averaged over the heads, [N,
   * L, S] (after dropout, as PyTorch).
   *
   * @throws IllegalArgumentException if an input is null, the shapes are not as above, or a mask
   *     has another shape
   */
  public Output forward(
      Tensor query,
      Tensor key,
      Tensor value,
      Tensor keyPaddingMask,
      boolean needWeights,
      Tensor attnMask,
      boolean isCausal) {
    checkInput(query);
    checkInput(key);
    checkInput(value);
    boolean batched = query.dim() == 3;
    if (!(query.dim() == 2 || batched) || key.dim() != query.dim() || value.dim() != query.dim()) {
      throw error(
          "query, key and value must all be 3-D (batched) or 2-D (unbatched)", query, key, value);
    }
    if (query.shape(-1) != embedDim || key.shape(-1) != embedDim || value.shape(-1) != embedDim) {
      throw error(
          "query, key and value must have embedDim=" + embedDim + " features", query, key, value);
    }
    Tensor q = query;
    Tensor k = key;
    Tensor v = value;
    Tensor padding = keyPaddingMask;
    if (!batched) {
      q = q.unsqueeze(0);
      k = k.unsqueeze(0);
      v = v.unsqueeze(0);
      padding = padding == null ? null : padding.unsqueeze(0);
    } else if (!batchFirst) {
      q = q.transpose(0, 1);
      k = k.transpose(0, 1);
      v = v.transpose(0, 1);
    }
    int n = q.shape(0);
    int l = q.shape(1);
    int s = k.shape(1);
    if (k.shape(0) != n || v.shape(0) != n || v.shape(1) != s) {
      throw error(
          "key and value must have the query's batch size and one length S", query, key, value);
    }
    // project: one product for self-attention, three row blocks of in_proj_weight otherwise
    Tensor qp;
    Tensor kp;
    Tensor vp;
    if (query == key && key == value) {
      List<Tensor> qkv = F.linear(q, inProjWeight, inProjBias).chunk(3, -1);
      qp = qkv.get(0);
      kp = qkv.get(1);
      vp = qkv.get(2);
    } else {
      List<Tensor> w = inProjWeight.chunk(3, 0);
      List<Tensor> b = inProjBias == null ? null : inProjBias.chunk(3, 0);
      qp = F.linear(q, w.get(0), b == null ? null : b.get(0));
      kp = F.linear(k, w.get(1), b == null ? null : b.get(1));
      vp = F.linear(v, w.get(2), b == null ? null : b.get(2));
    }
    int d = embedDim / numHeads;
    // heads as views: [N, L, E] -> [N, H, L, D]
    qp = qp.reshape(n, l, numHeads, d).transpose(1, 2);
    kp = kp.reshape(n, s, numHeads, d).transpose(1, 2);
    vp = vp.reshape(n, s, numHeads, d).transpose(1, 2);
    // causal alone needs no mask array: the kernel computes only each row's visible columns
    boolean causalOnly = isCausal && attnMask == null && padding == null;
    Tensor bias = causalOnly ? null : scoreBias(attnMask, isCausal, padding, n, l, s, q.dtype());
    double p = isTraining() ? dropout : 0;
    Tensor attended;
    Tensor weights = null;
    if (needWeights || p > 0 || (bias != null && bias.requiresGrad())) {
      Attention.Result r =
          Attention.attend("MultiheadAttention", qp, kp, vp, bias, p, causalOnly, null, generator);
      attended = r.output();
      weights = needWeights ? r.probabilities().mean(1, false) : null;
    } else {
      attended = Tensor.scaledDotProductAttention(qp, kp, vp, bias, causalOnly, 1 / Math.sqrt(d));
    }
    Tensor out = outProj.forward(attended.transpose(1, 2).reshape(n, l, embedDim));
    if (!batched) {
      out = out.squeeze(0);
      weights = weights == null ? null : weights.squeeze(0);
    } else if (!batchFirst) {
      out = out.transpose(0, 1);
    }
    return new Output(out, weights);
  }

  /** The masks as one additive bias broadcasting to the scores [N, H, L, S], or null. */
  private Tensor scoreBias(
      Tensor attnMask, boolean isCausal, Tensor padding, int n, int l, int s, DType dtype) {
    Tensor bias = null;
    if (attnMask != null) {
      int[] shape = attnMask.shape();
      if (Arrays.equals(shape, new int[] {l, s})) {
        bias = additive(attnMask, dtype);
      } else if (Arrays.equals(shape, new int[] {n * numHeads, l, s})) {
        bias = additive(attnMask, dtype).reshape(n, numHeads, l, s);
      } else {
        throw new IllegalArgumentException(
            String.format(
                "MultiheadAttention: attnMask must be [L, S] = [%d, %d] or [N·numHeads, L, S] = [%d,"
                    + " %d, %d], got %s",
                l, s, n * numHeads, l, s, Arrays.toString(shape)));
      }
    } else if (isCausal) {
      bias = Tensor.zeros(dtype, l, s).maskedFill(Attention.future(l, s), Double.NEGATIVE_INFINITY);
    }
    if (padding != null) {
      if (!Arrays.equals(padding.shape(), new int[] {n, s})) {
        throw new IllegalArgumentException(
            String.format(
                "MultiheadAttention: keyPaddingMask must be [N, S] = [%d, %d], got %s",
                n, s, Arrays.toString(padding.shape())));
      }
      Tensor p = additive(padding, dtype).reshape(n, 1, 1, s);
      bias = bias == null ? p : bias.add(p);
    }
    return bias;
  }

  /** A float mask as it is; an INT32 mask as −∞ where non-zero and 0 elsewhere. */
  private static Tensor additive(Tensor mask, DType dtype) {
    if (mask.dtype().isFloatingPoint()) {
      return mask.to(dtype);
    }
    return Tensor.zeros(dtype, mask.shape()).maskedFill(mask, Double.NEGATIVE_INFINITY);
  }

  private static IllegalArgumentException error(String what, Tensor q, Tensor k, Tensor v) {
    return new IllegalArgumentException(
        String.format(
            "MultiheadAttention: %s, got query %s, key %s, value %s",
            what,
            Arrays.toString(q.shape()),
            Arrays.toString(k.shape()),
            Arrays.toString(v.shape())));
  }

  @Override
  protected String extraRepr() {
    return String.format(
        "embed_dim=%d, num_heads=%d, dropout=%s, batch_first=%s",
        embedDim, numHeads, dropout, batchFirst ? "True" : "False");
  }
}
