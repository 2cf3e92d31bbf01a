package dev.jgrad.examples;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.nn.Embedding;
import dev.jgrad.nn.F;
import dev.jgrad.nn.LayerNorm;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.TransformerEncoderLayer;
import dev.jgrad.optim.AdamW;
import dev.jgrad.optim.ParamGroup;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A decoder-only transformer language model in the manner of GPT-2 / nanoGPT: token and learned
 * position embeddings, {@code nLayer} pre-norm blocks of causal self-attention and a 4× GELU MLP, a
 * final layer norm and a linear head to the vocabulary.
 *
 * <pre>
 * x = tok_emb(ids) + pos_emb(0..T-1)                               [B, T, E]
 * x = x + attn(ln1(x));  x = x + mlp(ln2(x))     (each block)      [B, T, E]
 * logits = head(ln_f(x))                                           [B, T, V]
 * </pre>
 *
 * <p>Each block is a {@link TransformerEncoderLayer} with {@code normFirst}, GELU, feed-forward 4·E
 * and no dropout, called causally, so parameter names are PyTorch's ({@code
 * blocks.0.self_attn.in_proj_weight}, {@code blocks.0.linear1.weight}, …, {@code ln_f.weight},
 * {@code head.weight}) and a checkpoint loads into the same model built from {@code
 * nn.TransformerEncoderLayer(E, H, 4*E, 0, "gelu", batch_first=True, norm_first=True)}.
 *
 * <pre>{@code
 * Gpt gpt = new Gpt(new Gpt.Config(65, 64, 4, 4, 128), new Generator(0));
 * Tensor logits = gpt.forward(ids);          // ids [B, T] INT32, T <= 64
 * Tensor loss = gpt.loss(ids, targets);      // mean cross-entropy over B·T positions
 * }</pre>
 */
public final class Gpt extends Module {
  /**
   * The model's sizes.
   *
   * @param vocabSize number of distinct tokens V
   * @param blockSize longest context T (rows of the position table)
   * @param nLayer number of transformer blocks
   * @param nHead attention heads per block (must divide nEmbd)
   * @param nEmbd embedding width E
   */
  public record Config(int vocabSize, int blockSize, int nLayer, int nHead, int nEmbd) {
    /**
     * Checks the sizes.
     *
     * @throws IllegalArgumentException if a size is not positive or nHead does not divide nEmbd
     */
    public Config {
      if (vocabSize < 1 || blockSize < 1 || nLayer < 1 || nHead < 1 || nEmbd < 1) {
        throw new IllegalArgumentException(
            String.format(
                "Gpt: sizes must be positive, got vocabSize=%d blockSize=%d nLayer=%d nHead=%d"
                    + " nEmbd=%d",
                vocabSize, blockSize, nLayer, nHead, nEmbd));
      }
      if (nEmbd % nHead != 0) {
        throw new IllegalArgumentException(
            String.format("Gpt: nHead=%d does not divide nEmbd=%d", nHead, nEmbd));
      }
    }
  }

  private final Config config;
  private final Embedding tokEmb;
  private final Embedding posEmb;
  private final Sequential blocks;
  private final LayerNorm lnF;
  private final Linear head;

  /**
   * A model with weights drawn from {@code g}.
   *
   * @throws IllegalArgumentException if the config is invalid
   */
  public Gpt(Config config, Generator g) {
    this.config = config;
    int e = config.nEmbd();
    this.tokEmb = registerModule("tok_emb", new Embedding(config.vocabSize(), e, null, g));
    this.posEmb = registerModule("pos_emb", new Embedding(config.blockSize(), e, null, g));
    TransformerEncoderLayer[] layers = new TransformerEncoderLayer[config.nLayer()];
    for (int i = 0; i < layers.length; i++) {
      layers[i] =
          new TransformerEncoderLayer(e, config.nHead(), 4 * e, 0.0, "gelu", 1e-5, true, true, g);
    }
    this.blocks = registerModule("blocks", new Sequential(layers));
    this.lnF = registerModule("ln_f", new LayerNorm(e));
    this.head = registerModule("head", new Linear(e, config.vocabSize(), false, g));
  }

  /**
   * AdamW as nanoGPT configures it (betas 0.9, 0.99): weight decay 0.1 on parameters of two or more
   * dims (the matrices and embeddings), none on biases and norms.
   *
   * <pre>{@code
   * AdamW opt = gpt.optimizer(1e-3);
   * }</pre>
   */
  public AdamW optimizer(double lr) {
    List<Tensor> decay = new ArrayList<>();
    List<Tensor> noDecay = new ArrayList<>();
    for (Tensor p : parameters()) {
      (p.shape().length >= 2 ? decay : noDecay).add(p);
    }
    return new AdamW(
        List.of(
            new ParamGroup(decay, Map.of("weight_decay", 0.1, "beta2", 0.99)),
            new ParamGroup(noDecay, Map.of("weight_decay", 0.0, "beta2", 0.99))),
        lr);
  }

  /** The sizes. */
  public Config config() {
    return config;
  }

  /**
   * The next-token logits at every position.
   *
   * @param ids [B, T] INT32 token ids in [0, vocabSize), T ≤ blockSize
   * @return [B, T, vocabSize]
   * @throws IllegalArgumentException if ids is not a [B, T] INT32 tensor, T exceeds the block size
   *     or an id is out of range
   */
  @Override
  public Tensor forward(Tensor ids) {
    checkIds(checkInput(ids));
    int t = ids.shape()[1];
    Tensor x = tokEmb.forward(ids).add(posEmb.forward(Tensor.arange(t)));
    for (int i = 0; i < blocks.size(); i++) {
      x = ((TransformerEncoderLayer) blocks.get(i)).forward(x, null, true);
    }
    return head.forward(lnF.forward(x));
  }

  /**
   * Mean cross-entropy of predicting {@code targets} (each id's successor) from {@code ids}.
   *
   * @throws IllegalArgumentException if either is not a valid [B, T] id tensor or their shapes
   *     differ
   */
  public Tensor loss(Tensor ids, Tensor targets) {
    Tensor logits = forward(ids);
    checkIds(targets);
    if (!Arrays.equals(ids.shape(), targets.shape())) {
      throw new IllegalArgumentException(
          String.format(
              "Gpt.loss: targets %s must have the shape of ids %s",
              Arrays.toString(targets.shape()), Arrays.toString(ids.shape())));
    }
    int n = ids.shape()[0] * ids.shape()[1];
    return F.crossEntropy(logits.reshape(n, config.vocabSize()), targets.reshape(n));
  }

  /**
   * Extends {@code prompt} by {@code count} tokens, each drawn from the softmax of the last logits
   * divided by {@code temperature}, kept to the {@code topK} most likely (0: all). The context is
   * cropped to the last blockSize tokens. Runs without recording a graph.
   *
   * <pre>{@code
   * int[] text = gpt.generate(new int[] {0}, 300, 0.8, 10, new Generator(1));
   * }</pre>
   *
   * @return the prompt followed by the new tokens
   * @throws IllegalArgumentException if the prompt is empty or has an id out of range, the
   *     temperature is not positive, or topK is negative
   */
  public int[] generate(int[] prompt, int count, double temperature, int topK, Generator g) {
    if (prompt.length == 0 || !(temperature > 0) || topK < 0 || count < 0) {
      throw new IllegalArgumentException(
          String.format(
              "Gpt.generate: need a non-empty prompt, temperature > 0, topK >= 0, count >= 0; got"
                  + " prompt length %d, temperature %s, topK %d, count %d",
              prompt.length, temperature, topK, count));
    }
    int[] seq = Arrays.copyOf(prompt, prompt.length + count);
    boolean wasTraining = isTraining();
    eval();
    try (var scope = Tensor.noGrad()) {
      for (int n = prompt.length; n < seq.length; n++) {
        int from = Math.max(0, n - config.blockSize());
        int[] context = Arrays.copyOfRange(seq, from, n);
        Tensor logits = forward(Tensor.ofInts(context).view(1, context.length));
        Tensor last = logits.select(1, context.length - 1).div(temperature); // [1, V]
        if (topK > 0 && topK < config.vocabSize()) {
          double kth = last.topk(topK, 1, true, true).values().data().getDouble(0, topK - 1);
          last = last.maskedFill(last.lt(kth), Double.NEGATIVE_INFINITY);
        }
        NDArray probs = last.softmax(1).data();
        seq[n] = probs.multinomial(1, true, g).getInt(0, 0);
      }
    } finally {
      train(wasTraining);
    }
    return seq;
  }

  private void checkIds(Tensor ids) {
    int[] s = ids.shape();
    if (s.length != 2 || ids.data().dtype() != DType.INT32) {
      throw new IllegalArgumentException(
          String.format(
              "Gpt: token ids must be a [B, T] INT32 tensor, got %s %s",
              ids.data().dtype(), Arrays.toString(s)));
    }
    if (s[1] > config.blockSize()) {
      throw new IllegalArgumentException(
          String.format(
              "Gpt: sequence length %d of ids %s exceeds the position table (block size %d)",
              s[1], Arrays.toString(s), config.blockSize()));
    }
    for (int id : ids.data().toIntArray()) {
      if (id < 0 || id >= config.vocabSize()) {
        throw new IllegalArgumentException(
            String.format(
                "Gpt: token id %d of ids %s is outside the vocabulary [0, %d)",
                id, Arrays.toString(s), config.vocabSize()));
      }
    }
  }
}
