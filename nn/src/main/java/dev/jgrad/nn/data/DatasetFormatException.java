package dev.jgrad.nn.data;

import java.io.IOException;

/** A data file that is truncated or malformed; the message names the file and the problem. */
public class DatasetFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** With a message naming the file and what is wrong. */
  public DatasetFormatException(String message) {
    super(message);
  }
}
