package dev.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  @Test
  void theBarRedrawsOneLineWithTheFractionDoneAndTheLoss() {
    StringWriter text = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(text), "epoch 1", 4);
    bar.update(1, 64, 2.5);
    String first = text.toString();
    assertTrue(first.startsWith("\repoch 1 [" + "=".repeat(7) + " ".repeat(23) + "]  25%"), first);
    assertTrue(first.endsWith("samples/s  loss 2.5000"), first);
    bar.update(4, 256, 0.125);
    String second = text.toString().substring(first.length());
    assertTrue(second.startsWith("\repoch 1 [" + "=".repeat(30) + "] 100%"), second);
    assertTrue(second.endsWith("loss 0.1250"), second);
    bar.finish();
    String cleared = text.toString().substring(first.length() + second.length());
    assertEquals("\r" + " ".repeat("epoch 1".length() + 30 + 60) + "\r", cleared);
    assertFalse(text.toString().contains("\n"), "no newline: the line is redrawn");
  }
}
