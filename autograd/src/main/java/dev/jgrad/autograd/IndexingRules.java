package dev.jgrad.autograd;

import dev.jgrad.autograd.Graph.Saves;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.ValuesAndIndices;
import dev.jgrad.tensor.kernel.Shapes;

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
        (g, out) -> scatterAddIntoZeros(dt, inShape, dim, index, g));
  }

  /**
   * zeros(shape).scatterAdd(dim, index, src) written straight into the new zeros (one array, no
   * copy of it): the gradient of gather, of max pooling and of the picks of sort and top-k,
   * differentiable again through src (its gradient is the gather at the index).
   */
  static Tensor scatterAddIntoZeros(DType dtype, int[] shape, int dim, Tensor index, Tensor src) {
    NDArray sum = NDArray.zeros(dtype, shape).scatterAddInPlace(dim, index.data(), src.data());
    return Graph.record("ScatterAdd", sum, Saves.NOTHING, src, (g, out) -> g.gather(dim, index));
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

  /**
   * The slices of a dim at a 1-D index: g is added back into them with index-add (repeats
   * accumulate), never through a one-hot product.
   */
  static Tensor indexSelect(Tensor x, int dim, Tensor index) {
    NDArray r = x.data().indexSelect(dim, index.data());
    int d = Shapes.normalizeDim("indexSelect", dim, x.dim());
    int[] inShape = x.shape();
    DType dt = x.dtype();
    return Graph.record(
        "IndexSelect",
        r,
        Saves.NOTHING,
        x,
        (g, out) -> indexAddIntoZeros(dt, inShape, d, index, g));
  }

  /**
   * zeros(shape).indexAdd(dim, index, src) written straight into the new zeros (one array, no copy
   * of it): indexSelect's gradient, differentiable again through src.
   */
  private static Tensor indexAddIntoZeros(
      DType dtype, int[] shape, int dim, Tensor index, Tensor src) {
    NDArray sum = NDArray.zeros(dtype, shape).indexAddInPlace(dim, index.data(), src.data());
    return Graph.record("IndexAdd", sum, Saves.NOTHING, src, (g, out) -> g.indexSelect(dim, index));
  }

  /** x with slice i of src added to slice index[i]: d/dx = g, d/dsrc = g's slices at the index. */
  static Tensor indexAdd(Tensor x, int dim, Tensor index, Tensor src) {
    NDArray r = x.data().indexAdd(dim, index.data(), src.data());
    int d = Shapes.normalizeDim("indexAdd", dim, x.dim());
    return Graph.record(
        "IndexAdd", r, Saves.NOTHING, x, src, (g, out) -> g, (g, out) -> g.indexSelect(d, index));
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

  // ------------------------------------------------------------------ sequence models (#12)

  /** The lower triangle of the last two dims: the gradient is g's lower triangle (same mask). */
  static Tensor tril(Tensor x, int diagonal) {
    return Graph.record(
        "Tril", x.data().tril(diagonal), Saves.NOTHING, x, (g, out) -> g.tril(diagonal));
  }

  /** The upper triangle of the last two dims: the gradient is g's upper triangle (same mask). */
  static Tensor triu(Tensor x, int diagonal) {
    return Graph.record(
        "Triu", x.data().triu(diagonal), Saves.NOTHING, x, (g, out) -> g.triu(diagonal));
  }

  /** The values sorted along a dim: g is scattered back to the positions they came from. */
  static IndexedValues sort(Tensor x, int dim, boolean descending) {
    return placed("Sort", x, dim, x.data().sort(dim, descending));
  }

  /**
   * The k largest (or smallest) values along a dim: g goes back to their positions, 0 elsewhere.
   */
  static IndexedValues topk(Tensor x, int k, int dim, boolean largest, boolean sorted) {
    return placed("Topk", x, dim, x.data().topk(k, dim, largest, sorted));
  }

  /** Values picked along a dim with their indices: g is scatter-added back through the indices. */
  private static IndexedValues placed(String op, Tensor x, int dim, ValuesAndIndices found) {
    Tensor indices = Graph.constant(found.indices());
    int[] inShape = x.shape();
    DType dt = x.dtype();
    int d = x.dim() == 0 ? 0 : Shapes.normalizeDim(op, dim, x.dim());
    Tensor values =
        Graph.record(
            op,
            found.values(),
            Saves.NOTHING,
            x,
            (g, out) -> scatterAddIntoZeros(dt, inShape, d, indices, g));
    return new IndexedValues(values, indices);
  }
}
