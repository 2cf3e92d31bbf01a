package dev.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kernels give the same bits whichever JIT tier runs them: {@link JitTierFingerprint} in a JVM
 * that only interprets ({@code -Xint}) and in one that compiles each kernel with C2 before the
 * printed call ({@code -XX:-TieredCompilation -Xbatch}, compiling after 100 calls, warmed with
 * 150). A seed must reproduce a training run whether the run is short (mostly interpreted) or long.
 */
class JitTierBitsTest {

  @Test
  void interpretedAndC2CompiledKernelsGiveTheSameBits() throws Exception {
    List<String> interpreted = run(List.of("-Xint"), 0);
    List<String> compiled =
        run(List.of("-XX:-TieredCompilation", "-Xbatch", "-XX:CompileThreshold=100"), 150);
    assertEquals(JitTierFingerprint.kernels().size(), interpreted.size(), "one line per kernel");
    assertEquals(interpreted.size(), compiled.size(), "one line per kernel");
    List<String> differing = new ArrayList<>();
    for (int i = 0; i < interpreted.size(); i++) {
      if (!interpreted.get(i).equals(compiled.get(i))) {
        differing.add(interpreted.get(i).split(" ")[0]);
      }
    }
    assertEquals(List.of(), differing, "kernels whose bits differ interpreted and C2-compiled");
  }

  /** Runs the fingerprint in a new JVM with the given flags and returns its lines. */
  private static List<String> run(List<String> jitFlags, int warmUp)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--add-modules=jdk.incubator.vector");
    command.add("-XX:+UseSerialGC");
    command.addAll(jitFlags);
    command.add("-cp");
    command.add(testClassPath());
    command.add(JitTierFingerprint.class.getName());
    command.add(Integer.toString(warmUp));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("the fingerprint JVM did not finish: " + command);
    }
    String text = new String(output, StandardCharsets.UTF_8);
    assertEquals(
        0, process.exitValue(), () -> "the fingerprint JVM failed: " + command + "\n" + text);
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank() && !line.startsWith("WARNING")) {
        lines.add(line.strip());
      }
    }
    return lines;
  }

  /** This JVM's class path and module path together: the fork runs everything unnamed. */
  private static String testClassPath() {
    List<String> entries = new ArrayList<>();
    for (String property : List.of("jdk.module.path", "java.class.path")) {
      String value = System.getProperty(property);
      if (value != null && !value.isEmpty()) {
        entries.add(value);
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
