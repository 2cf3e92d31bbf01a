package dev.jgrad.tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Prints one line per kernel, {@code name hash}, where the hash covers every bit of the kernel's
 * result on fixed seeded inputs. {@link JitTierBitsTest} runs it in an interpreter-only JVM and in
 * a JVM that compiles every kernel with C2 first, and requires the same lines: a kernel's bits must
 * not depend on the JIT tier that runs it (the Vector API's reduceLanes, for one, adds its lanes in
 * another order in the interpreter than in C2).
 *
 * <p>Arguments: the number of warm-up calls of each kernel before the printed one (0 for the
 * interpreter).
 */
final class JitTierFingerprint {
  private JitTierFingerprint() {}

  /** The kernels under test, each a function of fixed inputs; sizes cover SIMD bodies and tails. */
  static Map<String, Supplier<NDArray>> kernels() {
    Generator g = new Generator(20261202L);
    NDArray a = NDArray.randn(g, 37, 53);
    NDArray b = NDArray.randn(g, 53, 41);
    NDArray big = NDArray.randn(g, 3, 1000);
    NDArray image = NDArray.randn(g, 2, 3, 9, 11);
    NDArray kernel = NDArray.randn(g, 4, 3, 3, 3);
    NDArray q = NDArray.randn(g, 2, 2, 19, 16);
    NDArray k = NDArray.randn(g, 2, 2, 19, 16);
    NDArray v = NDArray.randn(g, 2, 2, 19, 16);
    NDArray gamma = NDArray.randn(g, 53);
    NDArray beta = NDArray.randn(g, 53);
    NDArray doubles = NDArray.randn(g, DType.FLOAT64, 3, 333);

    Map<String, Supplier<NDArray>> kernels = new LinkedHashMap<>();
    kernels.put("sum", big::sum);
    kernels.put("sumRows", () -> big.sum(1, false));
    kernels.put("sumColumns", () -> a.sum(0, false));
    kernels.put("mean", () -> big.mean(1, true));
    kernels.put("var", () -> big.var(new int[] {1}, 1, false));
    kernels.put("amax", () -> big.amax(new int[] {1}, false));
    kernels.put("sumDouble", () -> doubles.sum(1, false));
    kernels.put("softmax", () -> big.softmax(1));
    kernels.put("logSoftmax", () -> a.logSoftmax(1));
    kernels.put("logsumexp", () -> big.logsumexp(new int[] {1}, false));
    kernels.put("matmul", () -> a.matmul(b));
    kernels.put("matmulTransposed", () -> b.t().matmul(a.t()));
    kernels.put("add", () -> big.add(big.mul(big)));
    kernels.put("divBroadcast", () -> a.div(gamma));
    kernels.put("exp", big::exp);
    kernels.put("tanh", big::tanh);
    kernels.put("sigmoid", big::sigmoid);
    kernels.put("gelu", big::gelu);
    kernels.put("erf", big::erf);
    kernels.put("layerNorm", () -> a.layerNorm(new int[] {53}, gamma, beta, 1e-5));
    kernels.put("rmsNorm", () -> a.rmsNorm(new int[] {53}, gamma, 1e-5));
    kernels.put("channelMoments", image::channelMoments);
    kernels.put(
        "conv2d", () -> image.conv2d(kernel, null, new int[] {1}, new int[] {1}, new int[] {1}, 1));
    kernels.put(
        "maxPool2d",
        () ->
            image
                .maxPool2d(new int[] {2}, new int[] {2}, new int[] {0}, new int[] {1}, false)
                .values());
    kernels.put(
        "attention", () -> NDArray.scaledDotProductAttention(q, k, v, null, true, 0.25).output());
    return kernels;
  }

  /** A hash of every bit of x's elements, in row-major order. */
  static long bitsHash(NDArray x) {
    long h = 1125899906842597L;
    if (x.dtype() == DType.FLOAT64) {
      for (double d : x.toDoubleArray()) {
        h = 31 * h + Double.doubleToRawLongBits(d);
      }
    } else {
      for (float f : x.toFloatArray()) {
        h = 31 * h + Float.floatToRawIntBits(f);
      }
    }
    return h;
  }

  public static void main(String[] args) {
    int warmUp = Integer.parseInt(args[0]);
    Parallel.setThreads(1);
    for (Map.Entry<String, Supplier<NDArray>> kernel : kernels().entrySet()) {
      for (int i = 0; i < warmUp; i++) {
        kernel.getValue().get();
      }
      System.out.println(
          kernel.getKey() + " " + Long.toHexString(bitsHash(kernel.getValue().get())));
    }
  }
}
