package dev.jgrad.examples;

import dev.jgrad.nn.BatchNorm2d;
import dev.jgrad.nn.Conv2d;
import dev.jgrad.nn.Dropout;
import dev.jgrad.nn.Flatten;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.MaxPool2d;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.tensor.Generator;
import java.util.Map;

/**
 * The convolutional classifier of {@code ./jgrad train --model cnn}, for one-channel images of
 * {@code height × width} pixels: two blocks of a 3×3 convolution (padding 1, so the size stays),
 * batch normalisation, ReLU and a 2×2 max pooling (which halves the size), then dropout and two
 * linear layers. After the two poolings a 28×28 image is 7×7 per channel (64·7·7 = 3,136 features),
 * an 8×8 digit 2×2 (256 features).
 *
 * <pre>{@code
 * Conv2d(1, 32, 3, padding=1)  BatchNorm2d(32) ReLU MaxPool2d(2)    [N, 32, H/2, W/2]
 * Conv2d(32, 64, 3, padding=1) BatchNorm2d(64) ReLU MaxPool2d(2)    [N, 64, H/4, W/4]
 * Flatten Dropout(0.25) Linear(64·(H/4)·(W/4), 128) ReLU Linear(128, classes)
 * }</pre>
 */
record Cnn(int height, int width, int classes) implements ModelSpec {
  static final int CONV1 = 32;
  static final int CONV2 = 64;
  static final int HIDDEN = 128;
  static final double DROPOUT = 0.25;

  Cnn {
    if (height < 4 || width < 4 || classes < 1) {
      throw new IllegalArgumentException(
          String.format(
              "the cnn needs images of at least 4x4 (two 2x2 poolings) and a class, got %dx%d and"
                  + " %d classes",
              height, width, classes));
    }
  }

  @Override
  public String name() {
    return "cnn";
  }

  /** [1, height, width]: one channel. */
  @Override
  public int[] inputShape() {
    return new int[] {1, height, width};
  }

  /** Features after the two poolings: 64 channels of (height/4)×(width/4). */
  int flatFeatures() {
    return CONV2 * (height / 4) * (width / 4);
  }

  @Override
  public Sequential build(Generator g) {
    return new Sequential(
        new Conv2d(1, CONV1, 3, 1, 1, g),
        new BatchNorm2d(CONV1),
        new ReLU(),
        new MaxPool2d(2),
        new Conv2d(CONV1, CONV2, 3, 1, 1, g),
        new BatchNorm2d(CONV2),
        new ReLU(),
        new MaxPool2d(2),
        new Flatten(),
        new Dropout(DROPOUT, g),
        new Linear(flatFeatures(), HIDDEN, true, g),
        new ReLU(),
        new Linear(HIDDEN, classes, true, g));
  }

  /** Convolutions, batch norms (with their two running buffers), the two linear layers. */
  @Override
  public long parameterCount() {
    long conv = (long) CONV1 * 9 + CONV1 + (long) CONV2 * CONV1 * 9 + CONV2;
    long norms = 4L * (CONV1 + CONV2);
    long linear = (long) flatFeatures() * HIDDEN + HIDDEN + (long) HIDDEN * classes + classes;
    return conv + norms + linear;
  }

  @Override
  public long largestWeight() {
    return Math.max((long) flatFeatures() * HIDDEN, (long) CONV2 * CONV1 * 9);
  }

  /** Convolution, norm and ReLU outputs at full and half size, poolings, the linear layers. */
  @Override
  public long activationsPerExample() {
    long pixels = (long) height * width;
    return 3 * CONV1 * pixels
        + CONV1 * pixels / 4
        + 3 * CONV2 * pixels / 4
        + 2L * flatFeatures()
        + 2L * HIDDEN
        + classes;
  }

  /** "cnn 1x28x28 conv32-conv64-3136-128-10". */
  @Override
  public String describe() {
    return String.format(
        "cnn 1x%dx%d conv%d-conv%d-%d-%d-%d",
        height, width, CONV1, CONV2, flatFeatures(), HIDDEN, classes);
  }

  /** {@code jgrad.input} ("1,28,28") and {@code jgrad.classes}. */
  @Override
  public Map<String, String> architecture() {
    return Map.of(
        "jgrad.input", ModelSpec.join(inputShape()), "jgrad.classes", Integer.toString(classes));
  }

  /**
   * The cnn of {@link #architecture()}.
   *
   * @throws IllegalArgumentException if the metadata lacks it or describes no valid cnn
   */
  static Cnn fromMetadata(Map<String, String> meta) {
    int[] input = ModelSpec.ints(meta, "jgrad.input");
    int[] classes = ModelSpec.ints(meta, "jgrad.classes");
    if (input.length != 3 || input[0] != 1 || classes.length != 1) {
      throw new IllegalArgumentException(
          "the model file's cnn metadata is not one-channel images and a class count: jgrad.input="
              + meta.get("jgrad.input")
              + ", jgrad.classes="
              + meta.get("jgrad.classes"));
    }
    return new Cnn(input[1], input[2], classes[0]);
  }
}
