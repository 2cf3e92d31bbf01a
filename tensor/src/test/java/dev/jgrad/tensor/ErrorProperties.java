package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.kernel.Shapes;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad input always raises the documented exception, naming the op the caller used (not a helper it
 * is built on) and the shapes.
 */
class ErrorProperties {

  @Provide
  Arbitrary<int[]> shapes() {
    return Samples.shapes(1, 4);
  }

  static void assertMessage(
      Class<? extends RuntimeException> type, Executable call, String... parts) {
    RuntimeException e = assertThrows(type, call);
    for (String part : parts) {
      assertTrue(
          e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should mention " + part);
    }
  }

  @Property(tries = 200)
  void binaryOpsRefuseShapesThatDoNotBroadcast(
      @ForAll("shapes") int[] a, @ForAll("shapes") int[] b) {
    Assume.that(Model.broadcastShape(a, b) == null);
    NDArray x = NDArray.zeros(a);
    NDArray y = NDArray.zeros(b);
    String sa = Shapes.toString(a);
    String sb = Shapes.toString(b);
    assertMessage(IllegalArgumentException.class, () -> x.add(y), "add", sa, sb);
    assertMessage(IllegalArgumentException.class, () -> x.mul(y), "mul", sa, sb);
    assertMessage(IllegalArgumentException.class, () -> x.lt(y), "lt", sa, sb);
    assertMessage(IllegalArgumentException.class, () -> NDArray.where(x, x, y), "where");
    assertMessage(IllegalArgumentException.class, () -> x.clone().addInPlace(y), "addInPlace", sb);
  }

  @Property(tries = 200)
  void matmulRefusesMismatchedInnerDims(
      @ForAll int m, @ForAll int k, @ForAll int k2, @ForAll int n) {
    int mm = 1 + Math.floorMod(m, 9);
    int kk = 1 + Math.floorMod(k, 9);
    int kk2 = 1 + Math.floorMod(k2, 9);
    int nn = 1 + Math.floorMod(n, 9);
    Assume.that(kk != kk2);
    NDArray a = NDArray.zeros(mm, kk);
    NDArray b = NDArray.zeros(kk2, nn);
    assertMessage(
        IllegalArgumentException.class,
        () -> a.matmul(b),
        "matmul: shapes ["
            + mm
            + ", "
            + kk
            + "] and ["
            + kk2
            + ", "
            + nn
            + "] cannot be multiplied");
    assertMessage(
        IllegalArgumentException.class,
        () -> NDArray.gemm(false, false, 1, a, b, 0, NDArray.zeros(mm, nn)),
        "gemm");
  }

  @Property(tries = 200)
  void dimsOutOfRangeRaiseIndexOutOfBounds(@ForAll("shapes") int[] shape, @ForAll int dimSeed) {
    int rank = shape.length;
    int dim =
        dimSeed >= 0 ? rank + Math.floorMod(dimSeed, 5) : -rank - 1 - Math.floorMod(dimSeed, 5);
    NDArray a = NDArray.ones(shape);
    String range = "rank " + rank;
    assertMessage(IndexOutOfBoundsException.class, () -> a.sum(dim, false), "sum", range);
    assertMessage(IndexOutOfBoundsException.class, () -> a.softmax(dim), "softmax", range);
    assertMessage(IndexOutOfBoundsException.class, () -> a.transpose(dim, 0), "transpose", range);
    assertMessage(IndexOutOfBoundsException.class, () -> a.select(dim, 0), "select", range);
    assertMessage(IndexOutOfBoundsException.class, () -> a.argmax(dim, false), "argmax", range);
  }

  @Property(tries = 200)
  void elementIndicesOutOfRangeNameTheDimAndSize(@ForAll("shapes") int[] shape, @ForAll int extra) {
    Assume.that(Model.numel(shape) > 0);
    NDArray a = NDArray.ones(shape);
    int[] index = new int[shape.length];
    int d = Math.floorMod(extra, shape.length);
    index[d] = shape[d] + Math.floorMod(extra, 3);
    assertMessage(
        IndexOutOfBoundsException.class,
        () -> a.getDouble(index),
        "index " + index[d],
        "dim " + d,
        "size " + shape[d]);
    assertMessage(IndexOutOfBoundsException.class, () -> a.select(d, shape[d]), "select");
  }

  @Property(tries = 100)
  void reshapeToTheWrongSizeNamesBothShapes(@ForAll("shapes") int[] shape, @ForAll int extra) {
    NDArray a = NDArray.zeros(shape);
    int n = a.numel() + 1 + Math.floorMod(extra, 4);
    assertMessage(
        IllegalArgumentException.class, () -> a.reshape(n), "reshape", Shapes.toString(shape));
  }

  @Property(tries = 50)
  void expandRefusesNonSingletonDims(@ForAll("shapes") int[] shape) {
    int[] target = shape.clone();
    int d = 0;
    Assume.that(shape[d] != 1);
    target[d] = shape[d] + 1;
    assertMessage(
        IllegalArgumentException.class,
        () -> NDArray.zeros(shape).expand(target),
        "expand",
        Shapes.toString(shape));
  }

  /** The op's name must open the message: "mean: …", never "sum: …" from the sum it reuses. */
  static void assertNamed(
      Class<? extends RuntimeException> type, String op, Executable call, String... parts) {
    RuntimeException e = assertThrows(type, call);
    assertTrue(
        e.getMessage().startsWith(op + ": "), () -> "'" + e.getMessage() + "' should name " + op);
    for (String part : parts) {
      assertTrue(
          e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should mention " + part);
    }
  }

  @Property(tries = 100)
  void reductionsBuiltOnOthersNameThemselves(@ForAll("shapes") int[] shape, @ForAll int dimSeed) {
    int rank = shape.length;
    int dim =
        dimSeed >= 0 ? rank + Math.floorMod(dimSeed, 3) : -rank - 1 - Math.floorMod(dimSeed, 3);
    NDArray a = NDArray.ones(shape);
    int[] bad = {dim};
    String range = "rank " + rank;
    Class<IndexOutOfBoundsException> oob = IndexOutOfBoundsException.class;
    assertNamed(oob, "sum", () -> a.sum(bad, false), range);
    assertNamed(oob, "mean", () -> a.mean(dim, false), range);
    assertNamed(oob, "mean", () -> NDArray.ones(DType.INT32, shape).mean(bad, true), range);
    assertNamed(oob, "var", () -> a.var(bad, 1, false), range);
    assertNamed(oob, "std", () -> a.std(bad, 0, true), range);
    assertNamed(oob, "norm", () -> a.norm(2, bad, false), range);
    assertNamed(oob, "norm", () -> a.norm(Double.POSITIVE_INFINITY, bad, false), range);
    assertNamed(oob, "logsumexp", () -> a.logsumexp(dim, false), range);
    assertNamed(oob, "prod", () -> a.prod(dim, false), range);
    assertNamed(oob, "amax", () -> a.amax(bad, false), range);
    assertNamed(oob, "amin", () -> a.amin(bad, false), range);
    assertNamed(oob, "logSoftmax", () -> a.logSoftmax(dim), range);
    int[] twice = {0, 0};
    Class<IllegalArgumentException> iae = IllegalArgumentException.class;
    assertNamed(iae, "mean", () -> a.mean(twice, false), "twice");
    assertNamed(iae, "var", () -> a.var(twice, 1, false), "twice");
    assertNamed(iae, "std", () -> a.std(twice, 1, false), "twice");
    assertNamed(iae, "norm", () -> a.norm(1, twice, false), "twice");
    assertNamed(iae, "logsumexp", () -> a.logsumexp(twice, false), "twice");
  }

  @Property(tries = 50)
  void reducingAZeroSizeDimNamesTheOpAndTheShape(@ForAll("shapes") int[] shape) {
    int[] empty = shape.clone();
    empty[0] = 0;
    NDArray a = NDArray.zeros(empty);
    String s = Shapes.toString(empty);
    Class<IllegalArgumentException> iae = IllegalArgumentException.class;
    assertNamed(iae, "norm", () -> a.norm(Double.NEGATIVE_INFINITY, new int[] {0}, false), s);
    assertNamed(iae, "logsumexp", () -> a.logsumexp(0, true), s);
    assertNamed(iae, "argmax", a::argmax, s);
    assertNamed(iae, "argmin", a::argmin, s);
    assertNamed(iae, "max", a::max, s);
  }

  @Property(tries = 30)
  void factoriesNameThemselves(@ForAll("shapes") int[] shape, @ForAll int negative) {
    int[] bad = shape.clone();
    bad[Math.floorMod(negative, bad.length)] = -1 - Math.floorMod(negative, 5);
    Generator g = new Generator(negative);
    Class<IllegalArgumentException> iae = IllegalArgumentException.class;
    String s = java.util.Arrays.toString(bad);
    assertNamed(iae, "zeros", () -> NDArray.zeros(bad), s);
    assertNamed(iae, "zeros", () -> NDArray.zeros(DType.INT32, bad), s);
    assertNamed(iae, "ones", () -> NDArray.ones(bad), s);
    assertNamed(iae, "full", () -> NDArray.full(3, bad), s);
    assertNamed(iae, "rand", () -> NDArray.rand(g, bad), s);
    assertNamed(iae, "randn", () -> NDArray.randn(g, DType.FLOAT64, bad), s);
    assertNamed(iae, "randint", () -> NDArray.randint(g, 0, 5, bad), s);
    assertNamed(iae, "eye", () -> NDArray.eye(-2), "-2");
    assertNamed(iae, "fromArray", () -> NDArray.fromArray(new float[3], bad), s);
    assertNamed(iae, "randint", () -> NDArray.randint(g, Integer.MIN_VALUE, 5, 1), "values");
    assertNamed(iae, "rand", () -> NDArray.rand(g, DType.INT32, 2), "int32");
  }

  @Property(tries = 50)
  void compositeInPlaceOpsAndBroadcastToNameThemselves(
      @ForAll("shapes") int[] a, @ForAll("shapes") int[] b) {
    Assume.that(Model.broadcastShape(a, b) == null);
    NDArray x = NDArray.zeros(a);
    NDArray y = NDArray.zeros(b);
    String sa = Shapes.toString(a);
    String sb = Shapes.toString(b);
    Class<IllegalArgumentException> iae = IllegalArgumentException.class;
    assertNamed(iae, "addcmulInPlace", () -> x.clone().addcmulInPlace(x, y, 2), sa, sb);
    assertNamed(iae, "addcdivInPlace", () -> x.clone().addcdivInPlace(y, x, 2), sa, sb);
    assertNamed(iae, "addInPlace", () -> x.clone().addInPlace(y, 0.5), sb);
    assertNamed(iae, "broadcastTo", () -> x.broadcastTo(b), sa);
    assertNamed(iae, "copyFrom", () -> x.clone().copyFrom(y), sb);
    assertNamed(iae, "maskedFill", () -> x.maskedFill(y, 0));
  }

  /**
   * An array larger than the JVM can allocate is refused before allocating, with the op and the
   * element count, instead of an OutOfMemoryError ("Requested array size exceeds VM limit").
   */
  @Property(tries = 20)
  void arraysLargerThanJavaAllowsAreRefusedBeforeAllocating(
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 7) int below) {
    int huge = Integer.MAX_VALUE - below; // above Shapes.MAX_ARRAY_LENGTH = 2^31 - 9
    Class<IllegalArgumentException> iae = IllegalArgumentException.class;
    String count = String.valueOf(huge);
    assertNamed(iae, "ones", () -> NDArray.ones(huge), count);
    assertNamed(iae, "zeros", () -> NDArray.zeros(DType.INT32, huge), count);
    assertNamed(iae, "full", () -> NDArray.full(2, 1, huge), count);
    assertNamed(iae, "randn", () -> NDArray.randn(new Generator(1), DType.FLOAT64, huge), count);
    assertNamed(iae, "linspace", () -> NDArray.linspace(0, 1, huge), count);
    assertNamed(iae, "oneHot", () -> NDArray.arange(1).oneHot(huge), count);
    assertNamed(iae, "contiguous", () -> NDArray.scalar(1).expand(huge).contiguous(), count);
    // More than 2^31 - 1 elements: the op is named too, not only the shape.
    assertNamed(iae, "ones", () -> NDArray.ones(huge, 2), "[" + huge + ", 2]");
    assertNamed(iae, "oneHot", () -> NDArray.arange(3).oneHot(huge), "[3, " + huge + "]");
  }

  @Test
  void arangeRefusesBoundsThatAreNotFinite() {
    Class<IllegalArgumentException> iae = IllegalArgumentException.class;
    assertNamed(iae, "arange", () -> NDArray.arange(0, Double.NaN, 1), "NaN");
    assertNamed(iae, "arange", () -> NDArray.arange(Double.NaN, 3, 1), "NaN");
    assertNamed(iae, "arange", () -> NDArray.arange(0, Double.POSITIVE_INFINITY, 1), "Infinity");
    assertNamed(
        iae, "arange", () -> NDArray.arange(-Double.MAX_VALUE, Double.MAX_VALUE, 1), "values");
    assertNamed(iae, "arange", () -> NDArray.arange(Double.MIN_VALUE, Double.MAX_VALUE, 1));
    assertNamed(iae, "arange", () -> NDArray.arange(0, 1e12, 1), "values");
  }

  /**
   * The sequence-model ops (issue #12) on arrays of every rank from 0, with dims and sizes around
   * their valid ranges: each either answers or raises the documented IllegalArgumentException or
   * IndexOutOfBoundsException naming the op; never another exception.
   */
  @Property(tries = 200)
  void sequenceOpsRaiseOnlyTheDocumentedExceptions(
      @ForAll("anyRank") int[] shape, @ForAll int dimSeed, @ForAll int sizeSeed) {
    NDArray x = NDArray.ones(shape);
    int dim = Math.floorMod(dimSeed, 2 * shape.length + 3) - shape.length - 1;
    int size = Math.floorMod(sizeSeed, 5) - 1;
    NDArray ids = NDArray.ofInts(Math.floorMod(sizeSeed, 7) - 1, 0);
    String[] names = {
      "split",
      "split",
      "chunk",
      "tril",
      "triu",
      "sort",
      "argsort",
      "topk",
      "indexAdd",
      "multinomial",
      "layerNorm",
      "rmsNorm",
      "baddbmm"
    };
    Executable[] calls = {
      () -> x.split(size, dim),
      () -> x.split(new int[] {size, 1}, dim),
      () -> x.chunk(size, dim),
      () -> x.tril(size),
      () -> x.triu(size),
      () -> x.sort(dim, true),
      () -> x.argsort(dim, false),
      () -> x.topk(size, dim, true, true),
      () -> x.indexAdd(dim, ids, x),
      () -> x.multinomial(size, size % 2 == 0, new Generator(1)),
      () -> x.layerNorm(new int[] {size}, null, null, 1e-5),
      () -> x.rmsNorm(java.util.Arrays.copyOf(shape, Math.max(0, shape.length - 1)), null, 1e-5),
      () -> NDArray.baddbmm(x, x, x, 1, 1)
    };
    for (int i = 0; i < calls.length; i++) {
      try {
        calls[i].execute();
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        assertTrue(
            e.getMessage().startsWith(names[i] + ":"),
            names[i] + " on " + Shapes.toString(shape) + ": " + e.getMessage());
        assertTrue(
            !(e instanceof ArrayIndexOutOfBoundsException),
            names[i] + " on " + Shapes.toString(shape) + ": " + e);
      } catch (Throwable e) {
        throw new AssertionError(names[i] + " on " + Shapes.toString(shape) + " threw " + e, e);
      }
    }
  }

  @Provide
  Arbitrary<int[]> anyRank() {
    return Samples.shapes(0, 3).filter(s -> Model.numel(s) <= 200);
  }
}
