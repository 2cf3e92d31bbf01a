package dev.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jgrad.autograd.Tensor;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The learning-rate schedulers {@link LRScheduler}, {@link StepLR}, {@link MultiStepLR}, {@link
 * ExponentialLR}, {@link CosineAnnealingLR}, {@link LinearLR} and {@link ReduceLROnPlateau}: each
 * against its closed form written out here, per parameter group, and their refused arguments.
 */
class LRSchedulerProperties {

  @Test
  void schedulersFollowTheirClosedForms() {
    Tensor w = Tensor.zeros(1).requiresGrad(true);
    double base = 0.1;
    SGD opt = new SGD(List.of(w), base);
    StepLR step = new StepLR(opt, 3, 0.5);
    for (int e = 1; e <= 7; e++) {
      step.step();
      assertEquals(base * Math.pow(0.5, e / 3), step.lastLr().get(0), 1e-15);
    }
    SGD opt2 = new SGD(List.of(w), base);
    CosineAnnealingLR cos = new CosineAnnealingLR(opt2, 10, 0.001);
    for (int e = 1; e <= 10; e++) {
      cos.step();
      assertEquals(
          0.001 + (base - 0.001) * (1 + Math.cos(Math.PI * e / 10)) / 2,
          cos.lastLr().get(0),
          1e-15);
    }
    SGD opt3 = new SGD(List.of(w), base);
    LinearLR warm = new LinearLR(opt3, 0.1, 1.0, 4);
    assertEquals(base * 0.1, opt3.paramGroups().get(0).getDouble("lr"), 1e-15);
    for (int e = 1; e <= 6; e++) {
      warm.step();
      assertEquals(base * (0.1 + 0.9 * Math.min(e, 4) / 4.0), warm.lastLr().get(0), 1e-15);
    }
    SGD opt4 = new SGD(List.of(w), base);
    MultiStepLR multi = new MultiStepLR(opt4, new int[] {2, 5}, 0.1);
    double[] expected = {base, base * 0.1, base * 0.1, base * 0.1, base * 0.01, base * 0.01};
    for (int e = 1; e <= 6; e++) {
      multi.step();
      assertEquals(expected[e - 1], multi.lastLr().get(0), 1e-15);
    }
    SGD opt5 = new SGD(List.of(w), base);
    ExponentialLR exp = new ExponentialLR(opt5, 0.9);
    exp.step();
    exp.step();
    assertEquals(base * 0.81, exp.lastLr().get(0), 1e-15);
    SGD opt6 = new SGD(List.of(w), base);
    ReduceLROnPlateau plateau = new ReduceLROnPlateau(opt6, true, 0.5, 2, 1e-4, 0, 0);
    double[] metrics = {1.0, 0.9, 0.95, 0.95, 0.95, 0.95};
    for (double m : metrics) {
      plateau.step(m);
    }
    assertEquals(base * 0.5, opt6.paramGroups().get(0).getDouble("lr"), 1e-15);
  }

  @Test
  void schedulersSetEveryGroupFromItsOwnBase() {
    Tensor a = Tensor.zeros(1).requiresGrad(true);
    Tensor b = Tensor.zeros(1).requiresGrad(true);
    SGD opt =
        new SGD(
            List.of(new ParamGroup(List.of(a), Map.of("lr", 1.0)), new ParamGroup(List.of(b))),
            0.1,
            0.9);
    StepLR step = new StepLR(opt, 2, 0.5);
    for (int e = 1; e <= 5; e++) {
      step.step();
    }
    assertEquals(5, step.epoch());
    assertEquals(List.of(0.25, 0.1 * 0.25), step.lastLr());
    assertEquals(0.25, opt.paramGroups().get(0).getDouble("lr"));
    assertEquals(0.9, opt.paramGroups().get(1).getDouble("momentum"), "only lr changes");
  }

  @Test
  void reduceLrOnPlateauInMaxModeWaitsOutItsCooldownAndStopsAtMinLr() {
    Tensor w = Tensor.zeros(1).requiresGrad(true);
    SGD opt = new SGD(List.of(w), 1.0);
    ReduceLROnPlateau plateau = new ReduceLROnPlateau(opt, false, 0.5, 0, 0, 2, 0.3);
    double[] accuracy = {0.5, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4};
    // patience 0: a reduction after each bad epoch, except during the 2 cooldown epochs after one.
    double[] expected = {1.0, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3, 0.3};
    for (int e = 0; e < accuracy.length; e++) {
      plateau.step(accuracy[e]);
      assertEquals(
          expected[e], opt.paramGroups().get(0).getDouble("lr"), 1e-15, "after epoch " + e);
    }
    SGD opt2 = new SGD(List.of(w), 1.0);
    ReduceLROnPlateau improving = new ReduceLROnPlateau(opt2, false, 0.5, 0, 0, 0, 0);
    for (int e = 1; e <= 8; e++) {
      improving.step(e / 10.0);
    }
    assertEquals(1.0, opt2.paramGroups().get(0).getDouble("lr"), "a rising metric keeps the lr");
  }

  @Test
  void reduceLrOnPlateauCountsOnlyImprovementsBeyondTheRelativeThreshold() {
    // threshold 0.1, patience 0: from best 10 an improvement is below 9 (min) or above 11 (max);
    // anything else, an equal metric included, is a bad epoch and halves the lr.
    double[][] metrics = {{10, 9.5, 8.95, 8.95}, {10, 10.5, 11.5, 11.5}};
    double[] expected = {1.0, 0.5, 0.5, 0.25};
    for (int mode = 0; mode < 2; mode++) {
      boolean minimize = mode == 0;
      SGD opt = new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), 1.0);
      ReduceLROnPlateau plateau = new ReduceLROnPlateau(opt, minimize, 0.5, 0, 0.1, 0, 0);
      for (int e = 0; e < expected.length; e++) {
        plateau.step(metrics[mode][e]);
        assertEquals(
            expected[e],
            opt.paramGroups().get(0).getDouble("lr"),
            1e-15,
            (minimize ? "min" : "max") + " mode after epoch " + e);
      }
      // threshold 0: an equal metric is still no improvement.
      SGD opt0 = new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), 1.0);
      ReduceLROnPlateau flat = new ReduceLROnPlateau(opt0, minimize, 0.5, 0, 0, 0, 0);
      flat.step(2);
      flat.step(2);
      assertEquals(0.5, opt0.paramGroups().get(0).getDouble("lr"), 1e-15, "equal metric");
    }
  }

  /**
   * PyTorch 1.13's {@code rel} threshold on negative metrics (recorded by running its
   * ReduceLROnPlateau with factor 0.5, patience 0, threshold 0.1): best·(1 ∓ threshold) without the
   * sign of best, so in min mode from best −10 every metric below −9 improves (−9.5, then −8.95
   * from best −9.5) and the lr stays 1.0; likewise in max mode above −11.
   */
  @Test
  void reduceLrOnPlateauAppliesPyTorchsRelativeThresholdToNegativeMetrics() {
    double[][] metrics = {{-10, -9.5, -8.95, -8.95}, {-10, -10.5, -11.5, -11.5}};
    for (int mode = 0; mode < 2; mode++) {
      boolean minimize = mode == 0;
      SGD opt = new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), 1.0);
      ReduceLROnPlateau plateau = new ReduceLROnPlateau(opt, minimize, 0.5, 0, 0.1, 0, 0);
      for (int e = 0; e < metrics[mode].length; e++) {
        plateau.step(metrics[mode][e]);
        assertEquals(
            1.0,
            opt.paramGroups().get(0).getDouble("lr"),
            (minimize ? "min" : "max") + " mode after epoch " + e);
      }
    }
  }

  /**
   * PyTorch's algorithm (torch/optim/lr_scheduler.py, written out here as a reference) against
   * ReduceLROnPlateau on generated metric sequences of either sign, each option drawn.
   */
  @Property(tries = 200)
  void reduceLrOnPlateauFollowsPyTorchsAlgorithmOnGeneratedMetrics(
      @ForAll boolean minimize,
      @ForAll @DoubleRange(min = 0.1, max = 0.9) double factor,
      @ForAll @IntRange(min = 0, max = 3) int patience,
      @ForAll @DoubleRange(min = 0, max = 0.5) double threshold,
      @ForAll @IntRange(min = 0, max = 2) int cooldown,
      @ForAll @DoubleRange(min = 0, max = 0.2) double minLr,
      @ForAll @Size(min = 1, max = 30) List<@DoubleRange(min = -5, max = 5) Double> metrics) {
    SGD opt = new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), 1.0);
    ReduceLROnPlateau plateau =
        new ReduceLROnPlateau(opt, minimize, factor, patience, threshold, cooldown, minLr);
    double lr = 1.0;
    double best = minimize ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    int bad = 0;
    int cooling = 0;
    for (int e = 0; e < metrics.size(); e++) {
      double m = metrics.get(e);
      boolean better = minimize ? m < best * (1 - threshold) : m > best * (threshold + 1);
      if (better) {
        best = m;
        bad = 0;
      } else {
        bad++;
      }
      if (cooling > 0) {
        cooling--;
        bad = 0;
      }
      if (bad > patience) {
        lr = Math.max(lr * factor, minLr);
        cooling = cooldown;
        bad = 0;
      }
      plateau.step(m);
      assertEquals(lr, opt.paramGroups().get(0).getDouble("lr"), 1e-15, "after epoch " + e);
    }
  }

  @Test
  void badSchedulerArgumentsAreRefused() {
    SGD opt = new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), 0.1);
    assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 0, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(opt, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new LinearLR(opt, 0, 1, 5));
    assertThrows(IllegalArgumentException.class, () -> new LinearLR(opt, 0.1, 1, 0));
    assertThrows(
        IllegalArgumentException.class, () -> new ReduceLROnPlateau(opt, true, 1, 1, 0, 0, 0));
    assertThrows(
        IllegalArgumentException.class, () -> new ReduceLROnPlateau(opt, true, 0, 1, 0, 0, 0));
    assertEquals(0.1, opt.paramGroups().get(0).getDouble("lr"), "refusals change nothing");
    // The smallest legal values are accepted.
    new StepLR(opt, 1, 0.5);
    new CosineAnnealingLR(opt, 1, 0);
    new LinearLR(opt, 0.5, 1, 1);
  }
}
