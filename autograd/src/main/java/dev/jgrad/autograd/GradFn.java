package dev.jgrad.autograd;

import java.util.List;

/**
 * The recorded op that produced a non-leaf tensor, as {@link Tensor#gradFn()} shows it.
 *
 * <pre>{@code
 * Tensor y = x.matmul(w);
 * y.gradFn().name();      // "MatMulBackward"
 * }</pre>
 */
public interface GradFn {
  /** The op's backward name, PyTorch style: {@code MulBackward}, {@code MatMulBackward}, …. */
  String name();

  /** The op's inputs, in order. */
  List<Tensor> inputs();
}
