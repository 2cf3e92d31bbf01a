package dev.jgrad.autograd;

import dev.jgrad.autograd.Graph.Saves;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import dev.jgrad.tensor.kernel.Shapes;
import java.util.Arrays;
import java.util.List;

/**
 * Views, copies and joins: the values move, none change, so each gradient moves the incoming
 * gradient back where the values came from. A view shares its base's storage and version counter
 * ({@link Graph#view}).
 */
final class ViewRules {
  private ViewRules() {}

  /** Another shape over the same values (a copy when the strides require it): g reshaped back. */
  static Tensor reshape(Tensor x, int[] shape) {
    int[] inShape = x.shape();
    return Graph.view("Reshape", x.data().reshape(shape), x, (g, out) -> g.reshape(inShape));
  }

  /** Another shape over the same values, never a copy: g reshaped back. */
  static Tensor view(Tensor x, int[] shape) {
    int[] inShape = x.shape();
    return Graph.view("View", x.data().view(shape), x, (g, out) -> g.reshape(inShape));
  }

  /** Dims startDim..endDim merged into one: g reshaped back. */
  static Tensor flatten(Tensor x, int startDim, int endDim) {
    int[] inShape = x.shape();
    return Graph.view(
        "Flatten", x.data().flatten(startDim, endDim), x, (g, out) -> g.reshape(inShape));
  }

  /** Two dims swapped: g swapped back. */
  static Tensor transpose(Tensor x, int dim0, int dim1) {
    return Graph.view(
        "Transpose", x.data().transpose(dim0, dim1), x, (g, out) -> g.transpose(dim0, dim1));
  }

  /** The dims reordered: g permuted by the inverse order. */
  static Tensor permute(Tensor x, int[] order) {
    NDArray r = x.data().permute(order);
    int[] inverse = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      inverse[Shapes.normalizeDim("permute", order[i], x.dim())] = i;
    }
    return Graph.view("Permute", r, x, (g, out) -> g.permute(inverse));
  }

  /** Size-1 dims removed: g reshaped back. */
  static Tensor squeeze(Tensor x) {
    int[] inShape = x.shape();
    return Graph.view("Squeeze", x.data().squeeze(), x, (g, out) -> g.reshape(inShape));
  }

  /** One size-1 dim removed: g reshaped back. */
  static Tensor squeeze(Tensor x, int dim) {
    int[] inShape = x.shape();
    return Graph.view("Squeeze", x.data().squeeze(dim), x, (g, out) -> g.reshape(inShape));
  }

  /** A size-1 dim inserted: g reshaped back. */
  static Tensor unsqueeze(Tensor x, int dim) {
    int[] inShape = x.shape();
    return Graph.view("Unsqueeze", x.data().unsqueeze(dim), x, (g, out) -> g.reshape(inShape));
  }

  /** Size-1 dims repeated (stride 0): g summed back over the repeats. */
  static Tensor expand(Tensor x, int[] shape) {
    int[] inShape = x.shape();
    return Graph.view("Expand", x.data().expand(shape), x, (g, out) -> g.sumTo(inShape));
  }

  /**
   * Python's {@code x[start:end:step]} along a dim: g lands in those positions, zeros elsewhere.
   */
  static Tensor slice(Tensor x, int dim, int start, int end, int step) {
    NDArray r = x.data().slice(dim, start, end, step);
    int d = Shapes.normalizeDim("slice", dim, x.dim());
    int first = (r.offset() - x.data().offset()) / Math.max(1, Math.abs(x.data().strides()[d]));
    int at = r.shape(d) == 0 ? 0 : first;
    int[] inShape = x.shape();
    return Graph.view("Slice", r, x, (g, out) -> g.embedInto(inShape, d, at, step));
  }

  /** {@code length} elements of a dim from {@code start}: a slice. */
  static Tensor narrow(Tensor x, int dim, int start, int length) {
    int d = Shapes.normalizeDim("narrow", dim, x.dim());
    x.data().narrow(d, start, length); // validates with the tensor module's message
    int s = start < 0 ? start + x.shape(d) : start; // in range now, and so is s + length
    return x.slice(d, s, s + length, 1);
  }

  /** The slice at {@code index} with the dim removed: g lands at that index, zeros elsewhere. */
  static Tensor select(Tensor x, int dim, int index) {
    int d = Shapes.normalizeDim("select", dim, x.dim());
    NDArray r = x.data().select(d, index);
    int i = index < 0 ? index + x.shape(d) : index;
    int[] inShape = x.shape();
    return Graph.view("Select", r, x, (g, out) -> g.unsqueeze(d).embedInto(inShape, d, i, 1));
  }

  /**
   * The backward of slicing: zeros of {@code shape} with x placed at positions start, start+step, …
   * of {@code dim}. Its own gradient is the slice again, so slicing is differentiable twice.
   */
  static Tensor embedInto(Tensor x, int[] shape, int dim, int start, int step) {
    NDArray out = NDArray.zeros(x.dtype(), shape);
    int end = start + (x.shape(dim) - 1) * step + 1;
    if (x.shape(dim) > 0) {
      out.slice(dim, start, end, step).copyFrom(x.data());
    }
    return Graph.record(
        "SliceScatter",
        out,
        Saves.NOTHING,
        x,
        (g, o) -> g.slice(dim, start, Math.max(end, start), step));
  }

  /** A contiguous tensor with the same values (x itself when it is one): g passes. */
  static Tensor contiguous(Tensor x) {
    return x.data().isContiguous()
        ? x
        : Graph.record("Contiguous", x.data().contiguous(), Saves.NOTHING, x, (g, out) -> g);
  }

  /** A copy with its own storage: g passes. */
  static Tensor clone(Tensor x) {
    return Graph.record("Clone", x.data().clone(), Saves.NOTHING, x, (g, out) -> g);
  }

  /** The values in another dtype: g converted back. */
  static Tensor to(Tensor x, DType dtype) {
    DType from = x.dtype();
    if (dtype == from) {
      return x;
    }
    return Graph.record("ToCopy", x.data().to(dtype), Saves.NOTHING, x, (g, out) -> g.to(from));
  }

  /** Tensors joined along a dim: each gets its slice of g. */
  static Tensor cat(int dim, Tensor[] tensors) {
    NDArray[] arrays = new NDArray[tensors.length];
    for (int i = 0; i < tensors.length; i++) {
      arrays[i] = tensors[i].data();
    }
    NDArray result = NDArray.cat(dim, arrays);
    int d = Shapes.normalizeDim("cat", dim, result.rank());
    Formula[] formulas = new Formula[tensors.length];
    int offset = 0;
    for (int i = 0; i < tensors.length; i++) {
      int start = offset;
      int size = tensors[i].shape(d);
      formulas[i] = (g, out) -> g.narrow(d, start, size);
      offset += size;
    }
    return Graph.record("Cat", result, Saves.NOTHING, tensors.clone(), formulas);
  }

  /** Tensors of one shape stacked along a new dim: each unsqueezed, then joined. */
  static Tensor stack(int dim, Tensor[] tensors) {
    if (tensors.length == 0) {
      throw new IllegalArgumentException("stack: expected at least one tensor");
    }
    int d = Shapes.normalizeDim("stack", dim, tensors[0].dim() + 1);
    Tensor[] expanded = new Tensor[tensors.length];
    for (int i = 0; i < tensors.length; i++) {
      if (!Arrays.equals(tensors[i].shape(), tensors[0].shape())) {
        throw new IllegalArgumentException(
            String.format(
                "stack: expects tensors of one shape, got %s and %s",
                Shapes.toString(tensors[0].shape()), Shapes.toString(tensors[i].shape())));
      }
      expanded[i] = tensors[i].unsqueeze(d);
    }
    return cat(d, expanded);
  }

  // ------------------------------------------------------------------ sequence models (#12)

  /** Pieces of {@code size} along a dim, each a view: each piece's g lands in its own slice. */
  static List<Tensor> split(Tensor x, int size, int dim) {
    return pieces(x, dim, x.data().split(size, dim));
  }

  /** Pieces of the given sizes along a dim, each a view. */
  static List<Tensor> split(Tensor x, int[] sizes, int dim) {
    return pieces(x, dim, x.data().split(sizes, dim));
  }

  /** At most {@code chunks} equal pieces along a dim, each a view. */
  static List<Tensor> chunk(Tensor x, int chunks, int dim) {
    return pieces(x, dim, x.data().chunk(chunks, dim));
  }

  private static List<Tensor> pieces(Tensor x, int dim, List<NDArray> parts) {
    int d = Shapes.normalizeDim("split", dim, x.dim());
    int[] inShape = x.shape();
    Tensor[] out = new Tensor[parts.size()];
    int start = 0;
    for (int i = 0; i < out.length; i++) {
      int at = start;
      out[i] = Graph.view("Split", parts.get(i), x, (g, o) -> g.embedInto(inShape, d, at, 1));
      start += parts.get(i).shape(d);
    }
    return List.of(out);
  }
}
