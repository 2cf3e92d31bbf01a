package dev.jgrad.autograd;

import dev.jgrad.autograd.Graph.Saves;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.kernel.Shapes;
import java.util.Arrays;

/**
 * Picking and placing elements by INT32 indices or masks. Gathering and scattering are each other's
 * gradient; a mask lets the gradient through where the value was kept. Indices and masks are
 * constants: they get no gradient.
 */
final class IndexingRules {
  private IndexingRules() {}

  /** Elements picked along a dim: g is scattered (added) back to where they came from. */
  static Tensor gather(Tensor x, int dim, Tensor index) {
    int[] inShape = x.shape();
    DType dt = x.dtype();
    return Graph.record(
        "Gather",
        x.data().gather(dim, index.data()),
        Saves.NOTHING,
        x,
        (g, out) -> Tensor.zeros(dt, inShape).scatterAdd(dim, index, g));
  }

  /** x with src added at the indexed positions: d/dx = g, d/dsrc = g gathered at the indices. */
  static Tensor scatterAdd(Tensor x, int dim, Tensor index, Tensor src) {
    return Graph.record(
        "ScatterAdd",
        x.data().scatterAdd(dim, index.data(), src.data()),
        Saves.NOTHING,
        x,
        src,
        (g, out) -> g,
        (g, out) -> g.gather(dim, index));
  }

  /** The slices of a dim at a 1-D index: g is summed back into them (repeats accumulate). */
  static Tensor indexSelect(Tensor x, int dim, Tensor index) {
    NDArray r = x.data().indexSelect(dim, index.data());
    int d = Shapes.normalizeDim("indexSelect", dim, x.dim());
    int[] inShape = x.shape();
    DType dt = x.dtype();
    int[] lineShape = new int[x.dim()];
    Arrays.fill(lineShape, 1);
    lineShape[d] = index.numel();
    Tensor spread = Graph.constant(index.data().reshape(lineShape).expand(r.shape()).clone());
    return Graph.record(
        "IndexSelect",
        r,
        Saves.NOTHING,
        x,
        (g, out) -> Tensor.zeros(dt, inShape).scatterAdd(d, spread, g));
  }

  /** x with {@code value} where the mask is non-zero: no gradient flows there. */
  static Tensor maskedFill(Tensor x, Tensor mask, double value) {
    return Graph.record(
        "MaskedFill",
        x.data().maskedFill(mask.data(), value),
        Saves.NOTHING,
        x,
        (g, out) -> g.maskedFill(mask, 0));
  }

  /** cond ? a : b, broadcast: each branch gets g where it was chosen, 0 elsewhere. */
  static Tensor where(Tensor cond, Tensor a, Tensor b) {
    Tensor notCond = Graph.constant(cond.data().eq(0));
    return Graph.record(
        "Where",
        NDArray.where(cond.data(), a.data(), b.data()),
        Saves.NOTHING,
        a,
        b,
        (g, out) -> g.maskedFill(notCond, 0),
        (g, out) -> g.maskedFill(cond, 0));
  }
}
