package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.tensor.kernel.Shapes;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.function.Executable;

/** Bad input always raises the documented exception, naming the op and the shapes. */
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
}
