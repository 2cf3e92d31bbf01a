package dev.jgrad.examples;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.optim.AdamW;
import dev.jgrad.optim.ClipGrad;
import dev.jgrad.tensor.Generator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * A character-level GPT on tiny Shakespeare, as in nanoGPT's {@code shakespeare_char}: the bundled
 * text's characters are the vocabulary (65), the first 90% is training text and the rest
 * validation. Each step draws {@code batch} random windows of {@code block} characters, predicts
 * each next character, and takes an AdamW step (weight decay 0.1 on the parameters with two or more
 * dims only, as nanoGPT) after clipping the gradient norm to 1. Then it samples from a prompt.
 */
final class GptExample {
  private GptExample() {}

  /** The character vocabulary and the text as ids. */
  record Corpus(char[] chars, int[] ids) {
    int vocabSize() {
      return chars.length;
    }

    int id(char c) {
      int i = Arrays.binarySearch(chars, c);
      if (i < 0) {
        throw new IllegalArgumentException("the character '" + c + "' is not in the vocabulary");
      }
      return i;
    }

    String decode(int[] ids) {
      StringBuilder sb = new StringBuilder(ids.length);
      for (int id : ids) {
        sb.append(chars[id]);
      }
      return sb.toString();
    }

    static Corpus of(String text) {
      TreeSet<Character> set = new TreeSet<>();
      for (int i = 0; i < text.length(); i++) {
        set.add(text.charAt(i));
      }
      char[] chars = new char[set.size()];
      int k = 0;
      for (char c : set) {
        chars[k++] = c;
      }
      Corpus vocab = new Corpus(chars, new int[0]);
      int[] ids = new int[text.length()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = vocab.id(text.charAt(i));
      }
      return new Corpus(chars, ids);
    }
  }

  /** The training options; {@link #DEFAULT} is the model and schedule. */
  record Options(
      Gpt.Config model,
      int batch,
      int steps,
      int evalEvery,
      int evalBatches,
      double lr,
      int sampleLength,
      long seed) {
    /**
     * 4 layers, 4 heads, n_embd 128, block 64, batch 32, lr 1e-3 (the vocabulary is the text's).
     */
    static Options defaults(int steps, int evalEvery) {
      return new Options(new Gpt.Config(65, 64, 4, 4, 128), 32, steps, evalEvery, 20, 1e-3, 300, 0);
    }
  }

  /** The bundled tiny Shakespeare (1,115,394 characters). */
  static String shakespeare() throws IOException {
    try (InputStream raw = GptExample.class.getResourceAsStream("tinyshakespeare.txt.gz")) {
      if (raw == null) {
        throw new IOException("the bundled tinyshakespeare.txt.gz is missing from the jar");
      }
      try (InputStream in = new GZIPInputStream(raw)) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }
  }

  /** {@code batch} random windows of ids[lo, hi): inputs [B, T] and targets shifted by one. */
  static Tensor[] batch(int[] ids, int lo, int hi, int batch, int block, Generator g) {
    int[] x = new int[batch * block];
    int[] y = new int[batch * block];
    int starts = hi - lo - block; // a window and its successor fit in [lo, hi)
    for (int b = 0; b < batch; b++) {
      int s = lo + g.nextInt(starts);
      System.arraycopy(ids, s, x, b * block, block);
      System.arraycopy(ids, s + 1, y, b * block, block);
    }
    return new Tensor[] {Tensor.ofInts(x).view(batch, block), Tensor.ofInts(y).view(batch, block)};
  }

  /** One training step; returns the loss before it. */
  static double step(Gpt model, AdamW opt, Tensor[] xy) {
    opt.zeroGrad();
    Tensor loss = model.loss(xy[0], xy[1]);
    loss.backward();
    ClipGrad.clipGradNorm(model.parameters(), 1.0, 2.0);
    opt.step();
    return loss.item();
  }

  /** Mean loss over {@code batches} random batches of ids[lo, hi), without a graph. */
  static double estimate(Gpt model, int[] ids, int lo, int hi, Options o, Generator g) {
    model.eval();
    double sum = 0;
    try (var scope = Tensor.noGrad()) {
      for (int i = 0; i < o.evalBatches(); i++) {
        Tensor[] xy = batch(ids, lo, hi, o.batch(), o.model().blockSize(), g);
        sum += model.loss(xy[0], xy[1]).item();
      }
    }
    model.train();
    return sum / o.evalBatches();
  }

  /** The result: the last losses and the sample. */
  record Result(double trainLoss, double valLoss, String sample) {}

  /**
   * Trains (or loads, then trains {@code o.steps()} more, possibly 0) and samples.
   *
   * @throws IOException if the checkpoint cannot be read or written
   */
  static Result run(PrintWriter out, String text, Options o, Path load, Path save)
      throws IOException {
    Corpus corpus = Corpus.of(text);
    int n = corpus.ids().length;
    int split = (int) (0.9 * n);
    Gpt.Config cfg =
        new Gpt.Config(
            corpus.vocabSize(),
            o.model().blockSize(),
            o.model().nLayer(),
            o.model().nHead(),
            o.model().nEmbd());
    Options opts =
        new Options(
            cfg,
            o.batch(),
            o.steps(),
            o.evalEvery(),
            o.evalBatches(),
            o.lr(),
            o.sampleLength(),
            o.seed());
    Generator g = new Generator(o.seed());
    Gpt model = new Gpt(cfg, g);
    if (load != null) {
      model.load(load);
      out.printf("loaded %s%n", load);
    }
    out.printf(
        "gpt: %d characters (%d train, %d val), vocabulary %d, %d layers, %d heads, n_embd %d,"
            + " block %d, %d parameters%n",
        n,
        split,
        n - split,
        cfg.vocabSize(),
        cfg.nLayer(),
        cfg.nHead(),
        cfg.nEmbd(),
        cfg.blockSize(),
        model.parameterCount());
    out.flush();
    AdamW optimizer = model.optimizer(o.lr());
    model.train();
    double train = Double.NaN;
    double val = Double.NaN;
    long start = System.nanoTime();
    for (int s = 1; s <= o.steps(); s++) {
      step(model, optimizer, batch(corpus.ids(), 0, split, o.batch(), cfg.blockSize(), g));
      if (s % o.evalEvery() == 0 || s == o.steps()) {
        train = estimate(model, corpus.ids(), 0, split, opts, g);
        val = estimate(model, corpus.ids(), split, n, opts, g);
        out.printf(
            "step %5d  train loss %.4f  val loss %.4f  (%.1f s)%n",
            s, train, val, (System.nanoTime() - start) / 1e9);
        out.flush();
      }
    }
    if (o.steps() == 0) {
      train = estimate(model, corpus.ids(), 0, split, opts, g);
      val = estimate(model, corpus.ids(), split, n, opts, g);
      out.printf("train loss %.4f  val loss %.4f%n", train, val);
    }
    if (save != null) {
      model.save(save);
      out.printf("saved %s%n", save);
    }
    String prompt = "ROMEO:\n";
    int[] ids = new int[prompt.length()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = corpus.id(prompt.charAt(i));
    }
    int[] sampled = model.generate(ids, o.sampleLength(), 0.8, 10, new Generator(o.seed() + 1));
    String sample = corpus.decode(sampled);
    out.println("--- sample (temperature 0.8, top-k 10) ---");
    out.println(sample);
    out.flush();
    return new Result(train, val, sample);
  }
}
