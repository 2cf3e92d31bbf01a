package dev.jgrad.spark;

import dev.jgrad.nn.Safetensors;
import dev.jgrad.tensor.NDArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Epoch-level checkpoints in one folder: after epoch e, one safetensors file {@code
 * epoch-0000e.safetensors} holding the model's state ({@code model.} names) and the optimizer's
 * ({@code optimizer.} names), so both land in one atomic write (Safetensors writes a temporary file
 * and renames it). The two newest files are kept. On a cluster the folder must be on a file system
 * every executor mounts (NFS, say).
 *
 * <pre>{@code
 * var checkpoints = new Checkpoints(Path.of("/shared/run1"));
 * checkpoints.latest().ifPresent(c -> model.loadStateDict(c.model(), true));
 * }</pre>
 */
public final class Checkpoints {
  private static final Pattern NAME = Pattern.compile("epoch-(\\d+)\\.safetensors");
  private static final String EPOCHS_KEY = "jgrad.epochs_done";
  private final Path dir;

  /** A checkpoint: the state after {@code epochsDone} epochs. */
  public record Checkpoint(
      int epochsDone, Map<String, NDArray> model, Map<String, NDArray> optimizer) {}

  /** Checkpoints in {@code dir} (created on the first write). */
  public Checkpoints(Path dir) {
    this.dir = dir;
  }

  /** The folder. */
  public Path dir() {
    return dir;
  }

  /** The file of the checkpoint after {@code epochsDone} epochs. */
  public Path file(int epochsDone) {
    return dir.resolve(String.format("epoch-%05d.safetensors", epochsDone));
  }

  /**
   * Writes the state after {@code epochsDone} epochs atomically, then deletes all but the two
   * newest checkpoints.
   *
   * @throws UncheckedIOException if the file cannot be written (the previous ones stay)
   */
  public void write(int epochsDone, Map<String, NDArray> model, Map<String, NDArray> optimizer) {
    Map<String, NDArray> all = new LinkedHashMap<>();
    model.forEach((k, v) -> all.put("model." + k, v));
    optimizer.forEach((k, v) -> all.put("optimizer." + k, v));
    try {
      Files.createDirectories(dir);
      Safetensors.write(file(epochsDone), all, Map.of(EPOCHS_KEY, Integer.toString(epochsDone)));
      try (Stream<Path> files = Files.list(dir)) {
        for (Path old :
            files.filter(p -> epochOf(p) >= 0 && epochOf(p) < epochsDone - 1).toList()) {
          Files.deleteIfExists(old);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("jgrad-spark: writing the checkpoint " + file(epochsDone), e);
    }
  }

  /**
   * The newest complete checkpoint (the highest epoch), if any.
   *
   * @throws UncheckedIOException if the folder or the file cannot be read
   */
  public Optional<Checkpoint> latest() {
    int newest = latestEpoch();
    return newest < 0 ? Optional.empty() : Optional.of(read(newest));
  }

  /** The epoch count of the newest checkpoint, or −1 when there is none. */
  public int latestEpoch() {
    if (!Files.isDirectory(dir)) {
      return -1;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.mapToInt(Checkpoints::epochOf).max().orElse(-1);
    } catch (IOException e) {
      throw new UncheckedIOException("jgrad-spark: listing the checkpoints in " + dir, e);
    }
  }

  /**
   * The checkpoint after {@code epochsDone} epochs.
   *
   * @throws UncheckedIOException if it cannot be read
   */
  public Checkpoint read(int epochsDone) {
    Path f = file(epochsDone);
    try {
      Map<String, NDArray> model = new LinkedHashMap<>();
      Map<String, NDArray> optimizer = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> e : Safetensors.read(f).entrySet()) {
        String k = e.getKey();
        if (k.startsWith("model.")) {
          model.put(k.substring("model.".length()), e.getValue());
        } else if (k.startsWith("optimizer.")) {
          optimizer.put(k.substring("optimizer.".length()), e.getValue());
        }
      }
      return new Checkpoint(epochsDone, model, optimizer);
    } catch (IOException e) {
      throw new UncheckedIOException("jgrad-spark: reading the checkpoint " + f, e);
    }
  }

  private static int epochOf(Path p) {
    Matcher m = NAME.matcher(p.getFileName().toString());
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }
}
