package dev.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/**
 * The optimizers {@link SGD}, {@link Adam}, {@link AdamW}, {@link RMSprop} and {@link Adagrad}, and
 * their base class {@link Optimizer}: each against its update equations written out here in double
 * precision, on both the fused FLOAT32 path and the composed FLOAT64 path; convergence; exact
 * resumption through {@link Optimizer#stateDict()}, which keeps numbers and flags apart; the
 * options refused. {@link UpdateKernelsProperties} compares the two paths on the same FLOAT32
 * values.
 */
class OptimizerProperties {

  @Provide
  Arbitrary<DType> dtypes() {
    return Arbitraries.of(DType.FLOAT32, DType.FLOAT64);
  }

  /** Gradients for step t: a fixed random sequence. */
  static double[] gradient(long seed, int t, int n) {
    Generator g = new Generator(seed * 31 + t);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = g.nextGaussian();
    }
    return v;
  }

  static Tensor param(DType dtype, double[] values) {
    return new Tensor(NDArray.fromArray(values, values.length).to(dtype)).requiresGrad(true);
  }

  static double[] round(DType dtype, double[] v) {
    double[] r = v.clone();
    if (dtype == DType.FLOAT32) {
      for (int i = 0; i < r.length; i++) {
        r[i] = (float) r[i];
      }
    }
    return r;
  }

  /** Runs {@code steps} optimizer steps with the given gradients; returns the parameter values. */
  static double[] run(
      Function<Tensor, Optimizer> make, DType dtype, double[] start, long seed, int steps) {
    Tensor p = param(dtype, start);
    Optimizer opt = make.apply(p);
    for (int t = 1; t <= steps; t++) {
      p.setGrad(
          new Tensor(NDArray.fromArray(gradient(seed, t, start.length), start.length).to(dtype)));
      opt.step();
    }
    return p.data().toDoubleArray();
  }

  static double tol(DType dtype) {
    return dtype == DType.FLOAT32 ? 2e-5 : 1e-12;
  }

  @Property(tries = 60)
  void sgdFollowsItsEquations(
      @ForAll("dtypes") DType dtype,
      @ForAll @DoubleRange(min = 0, max = 0.95) double momentum,
      @ForAll @DoubleRange(min = 0, max = 0.5) double dampening,
      @ForAll @DoubleRange(min = 0, max = 0.1) double wd,
      @ForAll boolean nesterov,
      @ForAll long seed) {
    double damp = nesterov ? 0 : dampening;
    double mom = nesterov ? Math.max(momentum, 0.1) : momentum;
    double lr = 0.05;
    int n = 37;
    double[] p = round(dtype, gradient(seed, 0, n));
    double[] expected = p.clone();
    double[] buf = new double[n];
    for (int t = 1; t <= 4; t++) {
      double[] g = round(dtype, gradient(seed, t, n));
      for (int i = 0; i < n; i++) {
        double d = g[i] + wd * expected[i];
        if (mom != 0) {
          buf[i] = t == 1 ? d : mom * buf[i] + (1 - damp) * d;
          d = nesterov ? d + mom * buf[i] : buf[i];
        }
        expected[i] -= lr * d;
      }
    }
    double[] got = run(x -> new SGD(List.of(x), lr, mom, damp, wd, nesterov), dtype, p, seed, 4);
    assertArrayEquals(expected, got, tol(dtype));
  }

  @Property(tries = 60)
  void adamAndAdamWFollowTheirEquations(
      @ForAll("dtypes") DType dtype,
      @ForAll @DoubleRange(min = 0, max = 0.1) double wd,
      @ForAll boolean decoupled,
      @ForAll boolean amsgrad,
      @ForAll long seed) {
    double lr = 0.01;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-8;
    int n = 37;
    double[] p = round(dtype, gradient(seed, 0, n));
    double[] x = p.clone();
    double[] m = new double[n];
    double[] v = new double[n];
    double[] vmax = new double[n];
    for (int t = 1; t <= 5; t++) {
      double[] g = round(dtype, gradient(seed, t, n));
      for (int i = 0; i < n; i++) {
        double gi = g[i];
        if (decoupled) {
          x[i] *= 1 - lr * wd;
        } else {
          gi += wd * x[i];
        }
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        vmax[i] = Math.max(vmax[i], v[i]);
        double mHat = m[i] / (1 - Math.pow(b1, t));
        double vHat = (amsgrad ? vmax[i] : v[i]) / (1 - Math.pow(b2, t));
        x[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
      }
    }
    Function<Tensor, Optimizer> make =
        q ->
            decoupled
                ? new AdamW(List.of(q), lr, b1, b2, eps, wd, amsgrad)
                : new Adam(List.of(q), lr, b1, b2, eps, wd, amsgrad);
    assertArrayEquals(x, run(make, dtype, p, seed, 5), dtype == DType.FLOAT32 ? 1e-4 : 1e-10);
  }

  @Property(tries = 40)
  void rmspropFollowsItsEquations(
      @ForAll("dtypes") DType dtype,
      @ForAll boolean centered,
      @ForAll @DoubleRange(min = 0, max = 0.9) double momentum,
      @ForAll long seed) {
    double lr = 0.01;
    double alpha = 0.99;
    double eps = 1e-8;
    double wd = 0.01;
    int n = 19;
    double[] p = round(dtype, gradient(seed, 0, n));
    double[] x = p.clone();
    double[] sq = new double[n];
    double[] ga = new double[n];
    double[] buf = new double[n];
    for (int t = 1; t <= 4; t++) {
      double[] g = round(dtype, gradient(seed, t, n));
      for (int i = 0; i < n; i++) {
        double gi = g[i] + wd * x[i];
        sq[i] = alpha * sq[i] + (1 - alpha) * gi * gi;
        double avg;
        if (centered) {
          ga[i] = alpha * ga[i] + (1 - alpha) * gi;
          avg = Math.sqrt(sq[i] - ga[i] * ga[i]) + eps;
        } else {
          avg = Math.sqrt(sq[i]) + eps;
        }
        if (momentum > 0) {
          buf[i] = momentum * buf[i] + gi / avg;
          x[i] -= lr * buf[i];
        } else {
          x[i] -= lr * gi / avg;
        }
      }
    }
    Function<Tensor, Optimizer> make =
        q -> new RMSprop(List.of(q), lr, alpha, eps, wd, momentum, centered);
    assertArrayEquals(x, run(make, dtype, p, seed, 4), dtype == DType.FLOAT32 ? 1e-4 : 1e-10);
  }

  @Property(tries = 40)
  void adagradFollowsItsEquations(@ForAll("dtypes") DType dtype, @ForAll long seed) {
    double lr = 0.1;
    double decay = 0.01;
    double wd = 0.01;
    double init = 0.1;
    double eps = 1e-10;
    int n = 19;
    double[] p = round(dtype, gradient(seed, 0, n));
    double[] x = p.clone();
    double[] sum = new double[n];
    java.util.Arrays.fill(sum, init);
    for (int t = 1; t <= 4; t++) {
      double[] g = round(dtype, gradient(seed, t, n));
      double clr = lr / (1 + (t - 1) * decay);
      for (int i = 0; i < n; i++) {
        double gi = g[i] + wd * x[i];
        sum[i] += gi * gi;
        x[i] -= clr * gi / (Math.sqrt(sum[i]) + eps);
      }
    }
    Function<Tensor, Optimizer> make = q -> new Adagrad(List.of(q), lr, decay, wd, init, eps);
    assertArrayEquals(x, run(make, dtype, p, seed, 4), dtype == DType.FLOAT32 ? 1e-5 : 1e-10);
  }

  enum Kind {
    SGD_MOMENTUM,
    SGD_NESTEROV,
    ADAM,
    ADAM_AMSGRAD,
    ADAMW,
    RMSPROP,
    RMSPROP_CENTERED,
    ADAGRAD
  }

  static Optimizer make(Kind kind, List<Tensor> params) {
    switch (kind) {
      case SGD_MOMENTUM:
        return new SGD(params, 0.05, 0.9);
      case SGD_NESTEROV:
        return new SGD(params, 0.05, 0.9, 0, 0, true);
      case ADAM:
        return new Adam(params, 0.05);
      case ADAM_AMSGRAD:
        return new Adam(params, 0.05, 0.9, 0.999, 1e-8, 0, true);
      case ADAMW:
        return new AdamW(params, 0.05, 0.001);
      case RMSPROP:
        return new RMSprop(params, 0.01);
      case RMSPROP_CENTERED:
        return new RMSprop(params, 0.01, 0.99, 1e-8, 0, 0.5, true);
      default:
        return new Adagrad(params, 0.5);
    }
  }

  /** f(w) = ‖Aw − b‖² / n, a convex quadratic with its minimum where Aw = b. */
  static Tensor loss(Tensor w, Tensor a, Tensor b) {
    return a.matmul(w).sub(b).square().mean();
  }

  @Property(tries = 10)
  void everyOptimizerConvergesOnAConvexProblem(@ForAll Kind kind, @ForAll long seed) {
    Generator g = new Generator(seed);
    Tensor a = Tensor.randn(g, 20, 5);
    Tensor wStar = Tensor.randn(g, 5);
    Tensor b = a.matmul(wStar);
    Tensor w = Tensor.zeros(5).requiresGrad(true);
    Optimizer opt = make(kind, List.of(w));
    double first = loss(w, a, b).item();
    for (int i = 0; i < 1500; i++) {
      opt.zeroGrad();
      loss(w, a, b).backward();
      opt.step();
    }
    double last = loss(w, a, b).item();
    assertTrue(last < 1e-2 * first + 1e-4, kind + ": loss " + first + " -> " + last);
  }

  @Property(tries = 10)
  void aStateDictRoundTripResumesToTheSameNumbers(@ForAll Kind kind, @ForAll long seed) {
    Generator g = new Generator(seed);
    Tensor a = Tensor.randn(g, 8, 4);
    Tensor b = Tensor.randn(g, 8);
    // Uninterrupted: six steps.
    Tensor w1 = Tensor.zeros(4).requiresGrad(true);
    Optimizer o1 = make(kind, List.of(w1));
    for (int i = 0; i < 6; i++) {
      o1.zeroGrad();
      loss(w1, a, b).backward();
      o1.step();
    }
    // Interrupted after three: save, restore into fresh objects, three more.
    Tensor w2 = Tensor.zeros(4).requiresGrad(true);
    Optimizer o2 = make(kind, List.of(w2));
    for (int i = 0; i < 3; i++) {
      o2.zeroGrad();
      loss(w2, a, b).backward();
      o2.step();
    }
    Map<String, NDArray> saved = o2.stateDict();
    NDArray savedW = w2.data().clone();
    Tensor w3 = new Tensor(savedW).requiresGrad(true);
    Optimizer o3 = make(kind, List.of(w3));
    o3.loadStateDict(saved);
    for (int i = 0; i < 3; i++) {
      o3.zeroGrad();
      loss(w3, a, b).backward();
      o3.step();
    }
    assertArrayEquals(w1.data().toFloatArray(), w3.data().toFloatArray());
  }

  @Test
  void badOptionsAreRefused() {
    Tensor w = Tensor.zeros(1).requiresGrad(true);
    assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(w), -1));
    assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(w), 0.1, 0, 0.5, 0, true));
    assertThrows(
        IllegalArgumentException.class, () -> new Adam(List.of(w), 0.1, 1.0, 0.9, 1e-8, 0, false));
    assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(Tensor.zeros(1)), 0.1));
  }

  @Test
  void theStateDictSavesNumbersAsFloat64AndFlagsAsInt32() {
    Tensor w = Tensor.zeros(3).requiresGrad(true);
    Map<String, NDArray> saved = new SGD(List.of(w), 0.1, 0.9, 0, 0, true).stateDict();
    assertEquals(DType.FLOAT64, saved.get("group.0.lr").dtype());
    assertEquals(0.1, saved.get("group.0.lr").item());
    assertEquals(DType.INT32, saved.get("group.0.nesterov").dtype());
    assertEquals(1.0, saved.get("group.0.nesterov").item());
    Map<String, NDArray> adam = new Adam(List.of(w), 0.1).stateDict();
    assertEquals(DType.INT32, adam.get("group.0.amsgrad").dtype());
    assertEquals(0.0, adam.get("group.0.amsgrad").item());
  }

  @Test
  void loadingRestoresFlagsAndNumbers() {
    Tensor w = Tensor.zeros(3).requiresGrad(true);
    Map<String, NDArray> saved = new SGD(List.of(w), 0.1, 0.9, 0, 0.01, true).stateDict();
    SGD fresh = new SGD(List.of(w), 0.5);
    fresh.loadStateDict(saved);
    ParamGroup g = fresh.paramGroups().get(0);
    assertTrue(g.getBoolean("nesterov"));
    assertEquals(0.9, g.getDouble("momentum"));
    assertEquals(0.01, g.getDouble("weight_decay"));
    assertEquals(0.1, g.getDouble("lr"));
  }

  /** Loads {@code saved} with one entry replaced, expecting a refusal that leaves lr at 0.5. */
  static String refusal(String key, NDArray value) {
    Tensor w = Tensor.zeros(3).requiresGrad(true);
    Map<String, NDArray> saved =
        new java.util.LinkedHashMap<>(new SGD(List.of(w), 0.1, 0.9, 0, 0, true).stateDict());
    saved.put(key, value);
    SGD target = new SGD(List.of(w), 0.5);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(saved));
    assertEquals(0.5, target.paramGroups().get(0).getDouble("lr"), "nothing changed");
    assertFalse(target.paramGroups().get(0).getBoolean("nesterov"), "nothing changed");
    return e.getMessage();
  }

  @Test
  void loadingRefusesAFlagWhereANumberBelongsAndViceVersa() {
    String m = refusal("group.0.nesterov", NDArray.scalar(DType.FLOAT64, 1));
    assertTrue(m.contains("'nesterov'") && m.contains("boolean") && m.contains("float64"), m);
    m = refusal("group.0.nesterov", NDArray.scalar(DType.INT32, 2));
    assertTrue(m.contains("'nesterov'") && m.contains("0 or 1"), m);
    m = refusal("group.0.momentum", NDArray.scalar(DType.INT32, 1));
    assertTrue(m.contains("'momentum'") && m.contains("number") && m.contains("int32"), m);
    m = refusal("group.0.lr", NDArray.zeros(2).to(DType.FLOAT64));
    assertTrue(m.contains("'lr'") && m.contains("scalar") && m.contains("[2]"), m);
    m = refusal("group.0.amsgrad", NDArray.scalar(DType.INT32, 1));
    assertTrue(m.contains("no option 'amsgrad'"), m);
    m = refusal("group.1.lr", NDArray.scalar(DType.FLOAT64, 1));
    assertTrue(m.contains("no parameter group 1"), m);
    m = refusal("state.0.momentum_buffer", NDArray.zeros(4));
    assertTrue(m.contains("[4]") && m.contains("[3]"), m);
    m = refusal("state.-1.momentum_buffer", NDArray.zeros(3));
    assertTrue(m.contains("unexpected key"), m);
    m = refusal("lr", NDArray.scalar(DType.FLOAT64, 1));
    assertTrue(m.contains("unexpected key 'lr'"), m);
  }

  /** Loads one entry into a fresh optimizer of the kind after a step (so it has state). */
  static String refusal(Kind kind, String key, NDArray value) {
    Tensor w = Tensor.zeros(3).requiresGrad(true);
    Optimizer source = make(kind, List.of(w));
    w.setGrad(Tensor.ones(3));
    source.step();
    Map<String, NDArray> saved = new java.util.LinkedHashMap<>(source.stateDict());
    saved.put(key, value);
    Optimizer target = make(kind, List.of(Tensor.zeros(3).requiresGrad(true)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(saved), key);
    assertTrue(target.stateDict().keySet().stream().noneMatch(k -> k.startsWith("state.")));
    return e.getMessage();
  }

  @Property(tries = 8)
  void loadingRefusesUnknownStateAndAnArrayWhereAScalarBelongs(@ForAll Kind kind) {
    NDArray scalar = NDArray.scalar(DType.FLOAT64, 1);
    NDArray array = NDArray.zeros(3);
    String m = refusal(kind, "state.0.bogus", array);
    assertTrue(m.contains("'bogus'") && m.contains("state"), m);
    m = refusal(kind, "state.0.bogus", scalar);
    assertTrue(m.contains("'bogus'"), m);
    for (String key : make(kind, List.of(Tensor.zeros(3).requiresGrad(true))).scalarNames()) {
      m = refusal(kind, "state.0." + key, array);
      assertTrue(m.contains("'" + key + "'") && m.contains("scalar") && m.contains("[3]"), m);
    }
    Tensor w = Tensor.zeros(3).requiresGrad(true);
    Optimizer o = make(kind, List.of(w));
    w.setGrad(Tensor.ones(3));
    o.step();
    for (String k : o.stateDict().keySet()) {
      String name = k.substring(k.lastIndexOf('.') + 1);
      if (k.startsWith("state.") && !name.equals("step")) {
        m = refusal(kind, k, scalar);
        assertTrue(m.contains("'" + name + "'") && m.contains("[3]"), m);
      }
    }
    assertTrue(refusal(kind, "state.1.step", scalar).contains("no parameter 1"));
    assertTrue(refusal(kind, "group.-1.lr", scalar).contains("unexpected key 'group.-1.lr'"));
    assertTrue(refusal(kind, "group.2.lr", scalar).contains("no parameter group 2"));
    m = refusal(kind, "group.0.lr", NDArray.scalar(DType.FLOAT64, Double.POSITIVE_INFINITY));
    assertTrue(m.contains("lr") && m.contains("Infinity"), m);
    m = refusal(kind, "group.0.lr", NDArray.scalar(DType.FLOAT64, -1));
    assertTrue(m.contains("lr") && m.contains("-1.0"), m);
  }

  @Test
  void nonFiniteHyperparametersAreRefusedByEveryOptimizer() {
    List<Tensor> w = List.of(Tensor.zeros(2).requiresGrad(true));
    for (double bad :
        new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN}) {
      List<org.junit.jupiter.api.function.Executable> makers =
          List.of(
              () -> new SGD(w, bad),
              () -> new SGD(w, 0.1, bad),
              () -> new SGD(w, 0.1, 0.9, bad, 0, false),
              () -> new SGD(w, 0.1, 0.9, 0, bad, false),
              () -> new Adam(w, bad),
              () -> new Adam(w, 0.1, 0.9, 0.999, bad, 0, false),
              () -> new Adam(w, 0.1, 0.9, 0.999, 1e-8, bad, false),
              () -> new AdamW(w, 0.1, bad),
              () -> new RMSprop(w, bad),
              () -> new RMSprop(w, 0.1, bad, 1e-8, 0, 0, false),
              () -> new RMSprop(w, 0.1, 0.99, 1e-8, 0, bad, false),
              () -> new Adagrad(w, bad),
              () -> new Adagrad(w, 0.1, bad, 0, 0, 1e-10),
              () -> new Adagrad(w, 0.1, 0, 0, bad, 1e-10),
              () -> new SGD(List.of(new ParamGroup(w, Map.of("lr", bad))), 0.1, 0));
      for (org.junit.jupiter.api.function.Executable make : makers) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
        assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
      }
    }
  }

  @Test
  void anEmptyParameterListAndAParameterInTwoGroupsAreRefused() {
    IllegalArgumentException empty =
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1));
    assertTrue(empty.getMessage().contains("empty parameter list"), empty.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Adam(List.<ParamGroup>of(), 0.1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Adam(List.of(new ParamGroup(List.of()), new ParamGroup(List.of())), 0.1));
    Tensor w = Tensor.zeros(2).requiresGrad(true);
    Tensor v = Tensor.zeros(2).requiresGrad(true);
    IllegalArgumentException twice =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new SGD(
                    List.of(new ParamGroup(List.of(w, v)), new ParamGroup(List.of(v))), 0.1, 0));
    assertTrue(
        twice.getMessage().contains("more than one parameter group")
            && twice.getMessage().contains("groups 0 and 1"),
        twice.getMessage());
    // An empty group beside others is fine, as in PyTorch.
    new SGD(List.of(new ParamGroup(List.of(w)), new ParamGroup(List.of())), 0.1, 0);
  }

  @Test
  void groupsMayOverrideOnlyOptionsTheOptimizerHasWithTheirType() {
    Tensor w = Tensor.zeros(1).requiresGrad(true);
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new SGD(List.of(new ParamGroup(List.of(w), Map.of("learning_rate", 0.1))), 0.1, 0));
    assertTrue(unknown.getMessage().contains("'learning_rate'"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("lr"), unknown.getMessage());
    IllegalArgumentException flag =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SGD(List.of(new ParamGroup(List.of(w), Map.of("nesterov", 1.0))), 0.1, 0.9));
    assertTrue(flag.getMessage().contains("'nesterov'"), flag.getMessage());
    assertTrue(flag.getMessage().contains("a boolean"), flag.getMessage());
    IllegalArgumentException number =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Adam(List.of(new ParamGroup(List.of(w), Map.of("eps", true))), 0.1));
    assertTrue(number.getMessage().contains("a number"), number.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new SGD(List.of(new ParamGroup(List.of(w), Map.of("lr", -0.1))), 0.1, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new SGD(List.of(new ParamGroup(List.of(w), Map.of("nesterov", true))), 0.1, 0),
        "Nesterov needs momentum, in a group as in the defaults");
    assertThrows(
        IllegalArgumentException.class,
        () -> new Adam(List.of(new ParamGroup(List.of(w), Map.of("beta2", 1.0))), 0.1));
  }

  @Test
  void eachGroupStepsWithItsOwnOptions() {
    Tensor a = Tensor.of(1f, 2f).requiresGrad(true);
    Tensor b = Tensor.of(1f, 2f).requiresGrad(true);
    SGD opt =
        new SGD(
            List.of(
                new ParamGroup(List.of(a), Map.of("lr", 0.5, "weight_decay", 1)),
                new ParamGroup(List.of(b))),
            0.1,
            0);
    assertEquals(1.0, opt.paramGroups().get(0).getDouble("weight_decay"), "Integer 1 kept as 1.0");
    a.setGrad(Tensor.of(1f, 1f));
    b.setGrad(Tensor.of(1f, 1f));
    opt.step();
    // a: p − 0.5·(g + 1·p); b: p − 0.1·g.
    assertArrayEquals(new float[] {0f, 0.5f}, a.data().toFloatArray(), 1e-6f);
    assertArrayEquals(new float[] {0.9f, 1.9f}, b.data().toFloatArray(), 1e-6f);
  }
}
