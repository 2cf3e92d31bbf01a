package dev.jgrad.nn;

import java.io.IOException;

/**
 * A safetensors file that is malformed: too short, a header length out of bounds, bad JSON, an
 * unknown dtype, offsets outside the data or overlapping, or sizes that do not match the shapes.
 */
public class SafetensorsException extends IOException {
  private static final long serialVersionUID = 1L;

  /** With a message naming the file and the problem. */
  public SafetensorsException(String message) {
    super(message);
  }
}
