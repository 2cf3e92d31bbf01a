package dev.jgrad.spark;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.nn.Module;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A replica's tensors as one flat float32 vector, for the wire: its parameters' gradients (in
 * {@link Module#parameters()} order) or its floating buffers (batch-norm statistics).
 */
final class Replica {
  private Replica() {}

  /**
   * The parameters, checked to be FLOAT32 (gradients travel as float32).
   *
   * @throws IllegalArgumentException naming the first parameter of another dtype
   */
  static List<Tensor> parameters(Module model) {
    model
        .namedParameters()
        .forEach(
            (name, p) -> {
              if (p.dtype() != DType.FLOAT32) {
                throw new IllegalArgumentException(
                    "jgrad-spark: parameter '"
                        + name
                        + "' is "
                        + p.dtype()
                        + "; only FLOAT32 parameters are supported");
              }
            });
    return model.parameters();
  }

  /** The FLOAT32 buffers, in {@link Module#namedBuffers()} order. */
  static List<Tensor> floatBuffers(Module model) {
    List<Tensor> out = new ArrayList<>();
    for (Tensor b : model.namedBuffers().values()) {
      if (b.dtype() == DType.FLOAT32) {
        out.add(b);
      }
    }
    return out;
  }

  /** The tensors' element count, summed. */
  static int size(List<Tensor> tensors) {
    long n = 0;
    for (Tensor t : tensors) {
      n += t.data().numel();
    }
    return Math.toIntExact(n);
  }

  /** The gradients of {@code params} concatenated; a parameter without gradient gives zeros. */
  static float[] gradients(List<Tensor> params) {
    float[] flat = new float[size(params)];
    int at = 0;
    for (Tensor p : params) {
      int n = p.numel();
      if (p.grad() != null) {
        System.arraycopy(p.grad().data().toFloatArray(), 0, flat, at, n);
      }
      at += n;
    }
    return flat;
  }

  /** Sets each parameter's gradient to its slice of {@code flat}. */
  static void setGradients(List<Tensor> params, float[] flat) {
    List<NDArray> slices = slices(params, flat);
    for (int i = 0; i < params.size(); i++) {
      params.get(i).setGrad(new Tensor(slices.get(i)));
    }
  }

  /** The values of {@code tensors} concatenated. */
  static float[] values(List<Tensor> tensors) {
    float[] flat = new float[size(tensors)];
    int at = 0;
    for (Tensor t : tensors) {
      float[] v = t.data().toFloatArray();
      System.arraycopy(v, 0, flat, at, v.length);
      at += v.length;
    }
    return flat;
  }

  /** Copies each tensor's slice of {@code flat} into it (no graph is recorded). */
  static void setValues(List<Tensor> tensors, float[] flat) {
    List<NDArray> slices = slices(tensors, flat);
    try (var g = Tensor.noGrad()) {
      for (int i = 0; i < tensors.size(); i++) {
        tensors.get(i).copyFrom(new Tensor(slices.get(i)));
      }
    }
  }

  /** {@code flat} cut into arrays shaped like the tensors, in order. */
  private static List<NDArray> slices(List<Tensor> tensors, float[] flat) {
    List<NDArray> out = new ArrayList<>();
    int at = 0;
    for (Tensor t : tensors) {
      int n = t.numel();
      out.add(NDArray.fromArray(Arrays.copyOfRange(flat, at, at + n), t.shape()));
      at += n;
    }
    return out;
  }

  /** A CRC-32 of the bits of every FLOAT32 parameter and buffer: equal replicas, equal digests. */
  static long digest(Module model) {
    CRC32 crc = new CRC32();
    List<Tensor> all = new ArrayList<>(parameters(model));
    all.addAll(floatBuffers(model));
    float[] v = values(all);
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    crc.update(b.array());
    return crc.getValue();
  }
}
