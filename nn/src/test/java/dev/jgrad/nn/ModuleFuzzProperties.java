package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.nn.Fuzz.Call;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Bad-input fuzzing of {@link F}'s losses and of the modules (built with drawn sizes, then their
 * forward on drawn inputs) and F's functional forms (issue #14): 10,000 calls per family, each
 * outcome a result or a clear refusal ({@link Fuzz#check}) naming the loss, module or the op it
 * failed in; counts printed once (quoted in the README for seed 14).
 */
class ModuleFuzzProperties {
  static final int TRIES = 10_000;
  static final Fuzz.Tally TALLY = new Fuzz.Tally();

  @AfterContainer
  static void printOutcomes() {
    System.out.println(TALLY.summary("nn fuzzing, calls per family"));
  }

  static void fuzz(String family, List<Call> calls, long seed) {
    TALLY.run(family, calls, seed);
  }

  static Tensor tensor(Fuzz f) {
    return f.tensor(f.array());
  }

  static Tensor tensor(Fuzz f, DType dtype, int... shape) {
    return f.tensor(f.array(dtype, shape));
  }

  static Reduction reduction(Fuzz f) {
    return Reduction.values()[f.pick(3)];
  }

  /** Logits [N, C] (or another shape) and targets [N] (or another), of drawn dtypes and values. */
  static Tensor[] classification(Fuzz f) {
    int n = f.small(0, 4);
    int c = f.small(0, 4);
    Tensor logits = f.chance(0.7) ? tensor(f, f.dtype(), n, c) : tensor(f);
    Tensor targets =
        f.chance(0.7)
            ? new Tensor(f.indices(new int[] {f.chance(0.9) ? n : f.small(0, 4)}, Math.max(c, 1)))
            : tensor(f);
    return new Tensor[] {logits, targets};
  }

  /** Input and target of one shape often (dtypes drawn), of two shapes sometimes. */
  static Tensor[] regression(Fuzz f) {
    NDArray a = f.array();
    NDArray b = f.chance(0.7) ? f.arrayLike(f.dtype(), a.shape()) : f.array();
    return new Tensor[] {f.tensor(a), f.tensor(b)};
  }

  static final List<Call> LOSSES =
      List.of(
          Fuzz.call(
              "crossEntropy",
              f -> {
                Tensor[] p = classification(f);
                return F.crossEntropy(p[0], p[1], reduction(f), f.number(), f.integer());
              }),
          Fuzz.call(
              "nllLoss",
              f -> {
                Tensor[] p = classification(f);
                return F.nllLoss(p[0], p[1], reduction(f), f.integer());
              }),
          Fuzz.call(
              "mseLoss",
              f -> {
                Tensor[] p = regression(f);
                return F.mseLoss(p[0], p[1], reduction(f));
              }),
          Fuzz.call(
              "l1Loss",
              f -> {
                Tensor[] p = regression(f);
                return F.l1Loss(p[0], p[1], reduction(f));
              }),
          Fuzz.call(
              "binaryCrossEntropy",
              f -> {
                Tensor[] p = regression(f);
                return F.binaryCrossEntropy(p[0], p[1], reduction(f));
              }),
          Fuzz.call(
              "binaryCrossEntropyWithLogits",
              f -> {
                Tensor[] p = regression(f);
                return F.binaryCrossEntropyWithLogits(p[0], p[1], reduction(f));
              }),
          Fuzz.call(
              "crossEntropy",
              f -> {
                Tensor[] p = classification(f);
                Tensor loss = F.crossEntropy(p[0], p[1]);
                if (loss.requiresGrad()) {
                  loss.backward();
                }
                return loss;
              }));

  @Property(tries = TRIES, seed = "14", shrinking = ShrinkingMode.OFF)
  void losses(@ForAll long seed) {
    fuzz("losses", LOSSES, seed);
  }

  /**
   * A module size: mostly 1-4, sometimes hostile (0, negative, huge: refused before allocating).
   */
  static int size(Fuzz f) {
    return f.chance(0.8) ? f.small(1, 4) : f.integer();
  }

  /** An input for a module expecting {@code shape}: often of that shape, sometimes of any. */
  static Tensor input(Fuzz f, int... shape) {
    for (int s : shape) {
      if (s < 0 || s > 4) {
        return tensor(f);
      }
    }
    return f.chance(0.7) ? tensor(f, f.chance(0.8) ? DType.FLOAT32 : f.dtype(), shape) : tensor(f);
  }

  static final Generator G = new Generator(5);

  static final List<Call> MODULES =
      List.of(
          Fuzz.call(
              "Linear|linear|matmul",
              f -> {
                int in = size(f);
                return new Linear(in, size(f), f.coin(), G).forward(input(f, f.small(0, 3), in));
              }),
          Fuzz.call(
              "Conv2d|conv2d",
              f -> {
                int c = size(f);
                int k = size(f);
                return new Conv2d(
                        c,
                        size(f),
                        new int[] {k, k},
                        new int[] {size(f), 1},
                        new int[] {f.small(0, 2), 0},
                        new int[] {1, 1},
                        f.chance(0.8) ? 1 : size(f),
                        f.coin(),
                        G)
                    .forward(input(f, f.small(0, 2), c, f.small(0, 5), f.small(0, 5)));
              }),
          Fuzz.call(
              "Conv1d|conv1d",
              f -> {
                int c = size(f);
                return new Conv1d(c, size(f), size(f), G)
                    .forward(input(f, f.small(0, 2), c, f.small(0, 6)));
              }),
          Fuzz.call(
              "ConvTranspose2d|convTranspose2d",
              f -> {
                int c = size(f);
                return new ConvTranspose2d(c, size(f), size(f), G)
                    .forward(input(f, f.small(0, 2), c, f.small(0, 4), f.small(0, 4)));
              }),
          Fuzz.call(
              "Embedding|embedding|indexSelect",
              f -> {
                int n = size(f);
                Tensor ids =
                    f.chance(0.8)
                        ? new Tensor(f.indices(f.smallShape(0, 2), Math.max(n, 1)))
                        : tensor(f);
                return new Embedding(n, size(f), f.chance(0.8) ? null : f.integer(), G)
                    .forward(ids);
              }),
          Fuzz.call(
              "LayerNorm|layerNorm",
              f -> {
                int d = size(f);
                return new LayerNorm(new int[] {d}, f.number(), f.coin())
                    .forward(input(f, f.small(0, 3), d));
              }),
          Fuzz.call(
              "RMSNorm|rmsNorm",
              f -> {
                int d = size(f);
                return new RMSNorm(new int[] {d}, f.coin() ? null : f.number(), f.coin())
                    .forward(input(f, f.small(0, 3), d));
              }),
          Fuzz.call(
              "BatchNorm1d|batchNorm",
              f -> {
                int c = size(f);
                BatchNorm1d bn = new BatchNorm1d(c, f.number(), f.number(), f.coin(), f.coin());
                if (f.coin()) {
                  bn.eval();
                }
                return bn.forward(input(f, f.small(0, 3), c));
              }),
          Fuzz.call(
              "BatchNorm2d|batchNorm",
              f -> {
                int c = size(f);
                BatchNorm2d bn = new BatchNorm2d(c, f.number(), f.number(), f.coin(), f.coin());
                if (f.coin()) {
                  bn.eval();
                }
                return bn.forward(input(f, f.small(0, 3), c, f.small(0, 3), f.small(0, 3)));
              }),
          Fuzz.call(
              "MaxPool2d|maxPool2d",
              f ->
                  new MaxPool2d(
                          f.ints(2), f.coin() ? null : f.ints(2), f.ints(2), f.ints(2), f.coin())
                      .forward(input(f, 1, f.small(0, 2), f.small(0, 5), f.small(0, 5)))),
          Fuzz.call(
              "AvgPool2d|avgPool2d",
              f ->
                  new AvgPool2d(
                          f.ints(2), f.coin() ? null : f.ints(2), f.ints(2), f.coin(), f.coin())
                      .forward(input(f, 1, f.small(0, 2), f.small(0, 5), f.small(0, 5)))),
          Fuzz.call(
              "AdaptiveAvgPool2d|adaptiveAvgPool2d",
              f ->
                  new AdaptiveAvgPool2d(size(f), size(f))
                      .forward(input(f, 1, f.small(0, 2), f.small(0, 5), f.small(0, 5)))),
          Fuzz.call(
              "Flatten|flatten", f -> new Flatten(f.integer(), f.integer()).forward(tensor(f))),
          Fuzz.call(
              "Unflatten|unflatten|reshape|view",
              f -> new Unflatten(f.integer(), f.ints(3)).forward(tensor(f))),
          Fuzz.call("Dropout|dropout", f -> new Dropout(f.number(), G).forward(tensor(f))),
          Fuzz.call("Dropout2d|dropout2d", f -> new Dropout2d(f.number(), G).forward(tensor(f))),
          Fuzz.call("Softmax|softmax", f -> new Softmax(f.integer()).forward(tensor(f))),
          Fuzz.call("LogSoftmax|logSoftmax", f -> new LogSoftmax(f.integer()).forward(tensor(f))),
          Fuzz.call("LeakyReLU|leakyRelu", f -> new LeakyReLU(f.number()).forward(tensor(f))),
          Fuzz.call("ELU|elu", f -> new ELU(f.number()).forward(tensor(f))),
          Fuzz.call(
              "MultiheadAttention|scaledDotProductAttention|matmul|linear",
              f -> {
                int heads = size(f);
                int e = f.chance(0.7) && heads > 0 && heads <= 4 ? heads * f.small(1, 2) : size(f);
                return new MultiheadAttention(e, heads, 0, f.coin(), true, G)
                    .forward(input(f, f.small(0, 2), f.small(0, 3), e));
              }),
          Fuzz.call(
              "TransformerEncoderLayer|MultiheadAttention|LayerNorm|layerNorm|scaledDotProductAttention|matmul|linear",
              f -> {
                int heads = f.small(0, 2);
                int d = f.chance(0.8) ? 2 * f.small(1, 2) : f.small(-1, 5);
                return new TransformerEncoderLayer(
                        d,
                        heads,
                        f.small(-1, 4),
                        0,
                        f.coin() ? "relu" : "gelu",
                        f.number(),
                        true,
                        f.coin(),
                        G)
                    .forward(input(f, f.small(0, 2), f.small(0, 3), d));
              }),
          Fuzz.call("dropout", f -> F.dropout(tensor(f), f.number(), f.coin(), G)),
          Fuzz.call(
              "embedding|indexSelect",
              f ->
                  F.embedding(
                      new Tensor(f.indices(f.smallShape(0, 2), 4)), tensor(f), f.integer())),
          Fuzz.call(
              "scaledDotProductAttention",
              f ->
                  F.scaledDotProductAttention(
                      input(f, 1, f.small(0, 3), 2),
                      input(f, 1, f.small(0, 3), 2),
                      input(f, 1, f.small(0, 3), f.small(0, 3)),
                      f.coin() ? null : tensor(f),
                      f.coin() ? 0 : f.number(),
                      f.coin(),
                      f.coin() ? null : f.number(),
                      G)),
          Fuzz.call(
              "linear|matmul", f -> F.linear(tensor(f), tensor(f), f.coin() ? null : tensor(f))));

  @Property(tries = TRIES, seed = "14", shrinking = ShrinkingMode.OFF)
  void modulesForward(@ForAll long seed) {
    fuzz("nn modules and functional forward", MODULES, seed);
  }
}
