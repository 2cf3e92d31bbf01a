package dev.jgrad.nn;

import java.io.IOException;

/**
 * A safetensors file that is malformed: too short, a header length out of bounds or beyond {@link
 * Safetensors#MAX_HEADER_BYTES}, bad JSON or UTF-8, more than {@link Safetensors#MAX_TENSORS}
 * entries or a key longer than {@link Safetensors#MAX_KEY_LENGTH}, an unknown dtype, offsets
 * reversed or past the data, overlapping entries or a gap between them, or sizes that do not match
 * dtype × shape. The message names the file and, where there is one, the entry.
 */
public class SafetensorsException extends IOException {
  private static final long serialVersionUID = 1L;

  /** With a message naming the file and the problem. */
  public SafetensorsException(String message) {
    super(message);
  }
}
