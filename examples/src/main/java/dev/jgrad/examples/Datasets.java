package dev.jgrad.examples;

import dev.jgrad.nn.data.CsvDataset;
import dev.jgrad.nn.data.Mnist;
import dev.jgrad.nn.data.TensorDataset;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The data sets the trainer knows, as train and test splits. */
final class Datasets {
  /**
   * A train and a test split, and what they are: examples are flat [N, height·width] images (one
   * channel); models reshape them as they need ({@link ModelSpec#inputs}).
   */
  record Splits(
      String name, TensorDataset train, TensorDataset test, int height, int width, int classes) {
    /** Values per example: height·width. */
    int features() {
      return height * width;
    }
  }

  /** Thrown when a data set is not on this machine; the message says how to get it. */
  static final class MissingDataException extends IOException {
    private static final long serialVersionUID = 1L;

    MissingDataException(String message) {
      super(message);
    }
  }

  /** The classes of every data set here: the ten digits, or Fashion-MNIST's ten kinds. */
  static final int CLASSES = 10;

  /** The bundled digits are 8×8 images; the MNIST-format sets 28×28. */
  static final int DIGITS_SIDE = 8;

  static final int MNIST_SIDE = 28;

  /**
   * The image side a data set has before it is read: {@link #DIGITS_SIDE} or {@link #MNIST_SIDE} (a
   * folder of other sizes, read, says otherwise in its {@link Splits}).
   */
  static int expectedSide(String name) {
    return name.equals("digits") ? DIGITS_SIDE : MNIST_SIDE;
  }

  /** The seed of the fixed digits split, independent of --seed so the test set never moves. */
  static final long DIGITS_SPLIT_SEED = 20261129L;

  private Datasets() {}

  static Splits load(String name, Path dir) throws IOException {
    switch (name) {
      case "digits":
        return digits();
      case "fashion-mnist":
        return mnistFolder(
            name,
            dir != null ? dir : Mnist.FASHION_MNIST_DIR,
            "install it with: apt-get install dataset-fashion-mnist (Debian), or pass --data DIR");
      case "mnist":
        if (dir == null) {
          throw new MissingDataException(
              "mnist: pass --data DIR, a folder with train-images-idx3-ubyte[.gz] and friends");
        }
        return mnistFolder(name, dir, "pass --data DIR, a folder in the MNIST format");
      default:
        throw new IllegalArgumentException("unknown data set '" + name + "'");
    }
  }

  private static Splits mnistFolder(String name, Path dir, String howToGet) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new MissingDataException(name + " not found in " + dir + ": " + howToGet);
    }
    try {
      TensorDataset train = Mnist.loadImages(dir, true); // [N, 1, H, W]
      TensorDataset test = Mnist.loadImages(dir, false);
      int height = train.inputs().shape(2);
      int width = train.inputs().shape(3);
      return new Splits(name, flat(train), flat(test), height, width, CLASSES);
    } catch (java.io.FileNotFoundException e) {
      throw new MissingDataException(e.getMessage() + ": " + howToGet);
    } catch (IOException e) {
      throw Main.failed("reading the data set " + name + " from " + dir, e);
    }
  }

  private static TensorDataset flat(TensorDataset images) {
    NDArray x = images.inputs();
    return new TensorDataset(x.reshape(x.shape(0), x.shape(2) * x.shape(3)), images.targets());
  }

  /**
   * The bundled UCI digits (1,797 8×8 images, pixels 0..16 scaled to [0, 1]): a fixed shuffled
   * split of 1,437 for training and 360 for testing.
   */
  static Splits digits() throws IOException {
    TensorDataset all;
    try (InputStream in = Datasets.class.getResourceAsStream("digits.csv.gz")) {
      if (in == null) {
        throw new IOException("the bundled digits.csv.gz is missing from the jar");
      }
      all = CsvDataset.read(in, "digits.csv.gz", true, 16.0);
    }
    int n = all.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Generator g = new Generator(DIGITS_SPLIT_SEED);
    for (int i = n - 1; i > 0; i--) {
      int j = g.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int trainSize = n - 360;
    int[] train = java.util.Arrays.copyOfRange(order, 0, trainSize);
    int[] test = java.util.Arrays.copyOfRange(order, trainSize, n);
    return new Splits(
        "digits",
        new TensorDataset(all.inputs(train), all.targets(train)),
        new TensorDataset(all.inputs(test), all.targets(test)),
        DIGITS_SIDE,
        DIGITS_SIDE,
        CLASSES);
  }
}
