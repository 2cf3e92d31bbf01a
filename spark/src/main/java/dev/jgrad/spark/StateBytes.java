package dev.jgrad.spark;

import dev.jgrad.nn.Safetensors;
import dev.jgrad.tensor.NDArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A state dict as bytes, to broadcast or to return from a task: the safetensors format, through a
 * temporary file (jgrad's safetensors reader and writer work on files).
 */
final class StateBytes {
  private StateBytes() {}

  static byte[] encode(Map<String, NDArray> state) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile("jgrad-spark-state", ".safetensors");
      Safetensors.write(tmp, state);
      return Files.readAllBytes(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException("jgrad-spark: encoding a state dict", e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  static Map<String, NDArray> decode(byte[] bytes) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile("jgrad-spark-state", ".safetensors");
      Files.write(tmp, bytes);
      return Safetensors.read(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException("jgrad-spark: decoding a state dict", e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a temporary file left behind is harmless
      }
    }
  }
}
