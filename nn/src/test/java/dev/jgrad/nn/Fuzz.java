package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.fail;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One bad-input fuzzing call's random draws, and the rule every outcome must follow (issue #14).
 *
 * <p>A fuzz property draws a seed, makes a {@code Fuzz} from it, picks one {@link Call} of an op
 * family and runs it through {@link #check}. The call draws its arguments from the {@code Fuzz}:
 * hostile ints (negative, zero, the int range's ends, sizes whose product overflows), hostile
 * doubles (NaN, ±∞, ±0, the extremes), shapes of such sizes, and arrays of every dtype holding NaN
 * and ∞, as contiguous, transposed, expanded or empty views, some with a huge expanded dim. Every
 * drawn shape and number is remembered, and the outcome must be a result, or an {@link
 * IllegalArgumentException} or {@link IndexOutOfBoundsException} (not the JVM's array-index one)
 * whose message names the op and at least one of the drawn shapes or numbers; anything else (a
 * NullPointerException, ArrayIndexOutOfBoundsException, ClassCastException,
 * NegativeArraySizeException, ArithmeticException, OutOfMemoryError, …) fails the property with the
 * call, its arguments and the stack trace.
 *
 * <p>Huge sizes never allocate: the values are chosen so that a product of two of them is beyond
 * one Java array (46341² and 65536² overflow an int), and a huge dim of an array is an expanded
 * view of a size-1 dim (no storage).
 */
final class Fuzz {

  /** One op of a family under a name its error messages must use ("a|b": either). */
  record Call(String op, Function<Fuzz, Object> body) {}

  static Call call(String op, Function<Fuzz, Object> body) {
    return new Call(op, body);
  }

  /** Sizes, dims and indices a hostile caller passes; see the class comment for the large ones. */
  static final int[] HOSTILE_INTS = {
    Integer.MIN_VALUE,
    Integer.MIN_VALUE + 1,
    -65536,
    -46341,
    -5,
    -3,
    -2,
    -1,
    0,
    1,
    2,
    3,
    4,
    5,
    46341,
    65536,
    Integer.MAX_VALUE - 1,
    Integer.MAX_VALUE
  };

  /**
   * Sizes an expanded (storage-free) huge dim takes: beyond 2¹⁵ but small enough that an op reading
   * every element (a reduction over 2³¹ − 1 stride-0 elements would take seconds) stays cheap; 2³¹
   * − 1 itself comes as an argument.
   */
  static final int[] HUGE = {46341, 65536};

  static final double[] HOSTILE_DOUBLES = {
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    2.0,
    -3.0,
    1e-300,
    1e300,
    -1e300,
    Double.MIN_VALUE,
    Double.MAX_VALUE,
    1e40 // beyond float
  };

  static final DType[] DTYPES = DType.values();

  final Random random;
  private final List<String> details = new ArrayList<>();

  Fuzz(long seed) {
    random = new Random(seed);
  }

  boolean coin() {
    return random.nextBoolean();
  }

  /** True with probability p. */
  boolean chance(double p) {
    return random.nextDouble() < p;
  }

  int pick(int n) {
    return random.nextInt(n);
  }

  <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** A small int in [lo, hi], remembered. */
  int small(int lo, int hi) {
    return remember(lo + random.nextInt(hi - lo + 1));
  }

  /** A hostile int half of the time, else a small one in [-1, 4]; remembered. */
  int integer() {
    return remember(
        coin() ? HOSTILE_INTS[random.nextInt(HOSTILE_INTS.length)] : random.nextInt(6) - 1);
  }

  /** A dim of an array of {@code rank}: mostly in range (negative too), sometimes hostile. */
  int dim(int rank) {
    if (rank > 0 && chance(0.7)) {
      return remember(random.nextInt(2 * rank) - rank);
    }
    return integer();
  }

  /** A position along a dim of {@code size}: mostly in range, sometimes just outside or hostile. */
  int index(int size) {
    double u = random.nextDouble();
    if (u < 0.6 && size > 0) {
      return remember(random.nextInt(size));
    }
    if (u < 0.8) {
      return remember(coin() ? size : -size - 1);
    }
    return integer();
  }

  double number() {
    double v =
        coin()
            ? HOSTILE_DOUBLES[random.nextInt(HOSTILE_DOUBLES.length)]
            : Math.round(random.nextGaussian() * 400) / 100.0;
    details.add(Double.toString(v));
    return v;
  }

  DType dtype() {
    return DTYPES[random.nextInt(DTYPES.length)];
  }

  /** An int array of {@code 0..maxLength} entries from {@link #integer()}, remembered. */
  int[] ints(int maxLength) {
    int[] v = new int[random.nextInt(maxLength + 1)];
    for (int i = 0; i < v.length; i++) {
      v[i] = integer();
    }
    return remember(v);
  }

  /** A shape argument: rank 0-4, mostly small sizes, sometimes a hostile one. */
  int[] shape() {
    int[] s = new int[random.nextInt(5)];
    for (int i = 0; i < s.length; i++) {
      s[i] = chance(0.15) ? HOSTILE_INTS[random.nextInt(HOSTILE_INTS.length)] : random.nextInt(5);
    }
    return remember(s);
  }

  /** A small valid shape of rank in [minRank, maxRank], sizes 0 (rarely) to 4. */
  int[] smallShape(int minRank, int maxRank) {
    int[] s = new int[minRank + random.nextInt(maxRank - minRank + 1)];
    for (int i = 0; i < s.length; i++) {
      s[i] = chance(0.08) ? 0 : 1 + random.nextInt(4);
    }
    return s;
  }

  /** Whether an array of this shape is small enough to draw (a huge expanded dim's is not). */
  static boolean drawable(int[] shape) {
    for (int s : shape) {
      if (s < 0 || s > 4) {
        return false;
      }
    }
    return true;
  }

  /** An array of the shape when {@link #drawable}, else of a small shape of rank 0-4. */
  NDArray arrayLike(DType dtype, int[] shape) {
    return drawable(shape) ? array(dtype, shape) : array(dtype, smallShape(0, 4));
  }

  /** An array of any dtype and a small shape of rank 0-4 (see {@link #array(DType, int[])}). */
  NDArray array() {
    return array(dtype(), smallShape(0, 4));
  }

  /** An array of rank in [minRank, maxRank], any dtype. */
  NDArray array(int minRank, int maxRank) {
    return array(dtype(), smallShape(minRank, maxRank));
  }

  /**
   * An array of the dtype and shape holding hostile and ordinary values, laid out as a contiguous,
   * transposed or offset view; sometimes a size-1 dim is expanded to a huge size (no storage).
   */
  NDArray array(DType dtype, int[] shape) {
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] =
          chance(0.1)
              ? HOSTILE_DOUBLES[random.nextInt(HOSTILE_DOUBLES.length)]
              : random.nextGaussian() * 3;
    }
    NDArray a = NDArray.fromArray(v, shape).to(dtype);
    int layout = random.nextInt(6);
    if (layout == 0 && shape.length >= 2) {
      a = a.transpose(0, shape.length - 1).contiguous().transpose(0, shape.length - 1);
    } else if (layout == 1 && n > 1) {
      a = NDArray.fromArray(concat(v, v), 2 * n).to(dtype).narrow(0, n, n).reshape(shape);
    } else if (layout == 2) {
      int[] expanded = shape.clone();
      for (int d = 0; d < shape.length; d++) {
        if (shape[d] == 1 && chance(0.5)) {
          expanded[d] = 1 + random.nextInt(4);
        }
      }
      a = a.expand(expanded);
    } else if (layout == 3 && chance(0.1)) {
      a = expandOneDimHuge(a);
    }
    details.add(Arrays.toString(a.shape()));
    return a;
  }

  /**
   * The array with one size-1 dim expanded to a huge size (no storage), 46341 or 65536: within one
   * array's limit times the other dims, beyond it squared.
   */
  private NDArray expandOneDimHuge(NDArray a) {
    int[] shape = a.shape();
    int ones = 0;
    for (int s : shape) {
      ones += s == 1 ? 1 : 0;
    }
    if (ones == 0) {
      return a;
    }
    int k = random.nextInt(ones);
    int[] expanded = shape.clone();
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] == 1 && k-- == 0) {
        expanded[d] = remember(HUGE[random.nextInt(HUGE.length)]);
      }
    }
    return a.expand(expanded);
  }

  private static double[] concat(double[] a, double[] b) {
    double[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** An INT32 index array of the shape with positions for a dim of {@code size}. */
  NDArray indices(int[] shape, int size) {
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    int[] v = new int[n];
    boolean bad = chance(0.3);
    for (int i = 0; i < n; i++) {
      v[i] = bad && chance(0.3) ? index(size) : size > 0 ? random.nextInt(size) : 0;
      details.add(Integer.toString(v[i]));
    }
    details.add(Arrays.toString(shape));
    NDArray a = NDArray.fromArray(v, shape);
    return chance(0.1) ? a.to(dtype()) : a;
  }

  /** A leaf Tensor (requiring grad when floating) of {@link #array()}'s kind. */
  Tensor tensor(NDArray a) {
    Tensor t = new Tensor(a);
    return a.dtype().isFloatingPoint() && chance(0.5) ? t.requiresGrad(true) : t;
  }

  int remember(int v) {
    details.add(Integer.toString(v));
    return v;
  }

  int[] remember(int[] v) {
    details.add(Arrays.toString(v));
    return v;
  }

  // ------------------------------------------------------------------ outcomes

  /**
   * Runs the call and tallies its outcome in {@code tally} (by outcome kind, and by op for
   * refusals), failing on anything but a result or a clear refusal.
   */
  void check(Call c, Map<String, Integer> tally) {
    long start = System.nanoTime();
    String outcome;
    try {
      Object result = c.body().apply(this);
      if (result instanceof Tensor t) {
        t.data(); // a Tensor result holds an array
      }
      outcome = "result";
    } catch (ArrayIndexOutOfBoundsException | StringIndexOutOfBoundsException e) {
      outcome = failure(c, e);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      String m = e.getMessage();
      if (m == null || !namesOp(m, c.op()) || !namesAnArgument(m)) {
        outcome = failure(c, e);
      } else {
        outcome = e instanceof IndexOutOfBoundsException ? "IndexOutOfBounds" : "IllegalArgument";
      }
    } catch (Throwable e) {
      outcome = failure(c, e);
    }
    tally.merge(outcome, 1, Integer::sum);
    if (COLLECT) {
      synchronized (NANOS) {
        NANOS.merge(c.op(), System.nanoTime() - start, Long::sum);
      }
    }
  }

  /** With {@link #COLLECT}, the time spent per op (to find the slow ones). */
  static final Map<String, Long> NANOS = new TreeMap<>();

  /** A drawn shape or number, or a dtype (the argument that was wrong is a dtype). */
  private boolean namesAnArgument(String message) {
    for (DType t : DTYPES) {
      if (message.contains(t.toString()) || message.contains(t.name())) {
        return true;
      }
    }
    return details.stream().anyMatch(message::contains);
  }

  static boolean namesOp(String message, String op) {
    for (String name : op.split("\\|")) {
      if (message.contains(name)) {
        return true;
      }
    }
    return false;
  }

  /** With -Djgrad.fuzz.collect=true failures are printed and counted instead (for triage). */
  static final boolean COLLECT = Boolean.getBoolean("jgrad.fuzz.collect");

  private String failure(Call c, Throwable e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    if (COLLECT) {
      String where =
          String.join(" ", trace.toString().lines().skip(1).limit(4).map(String::trim).toList());
      System.out.println("FUZZ " + c.op() + " " + details + " -> " + e + " " + where);
      return "FAILED";
    }
    fail(
        c.op()
            + " with "
            + details
            + ": expected a result or an IllegalArgument/IndexOutOfBounds exception naming '"
            + c.op()
            + "' and one of the arguments, got "
            + trace);
    return "not reached";
  }

  /** Per family, the outcomes counted so far; printed once after the properties ran. */
  static final class Tally {
    private final Map<String, Map<String, Integer>> byFamily = new TreeMap<>();

    /** One fuzzing call: a {@code Fuzz} from the seed runs one of the family's calls. */
    void run(String family, java.util.List<Call> calls, long seed) {
      Fuzz f = new Fuzz(seed);
      f.check(f.pick(calls), of(family));
    }

    synchronized Map<String, Integer> of(String family) {
      return byFamily.computeIfAbsent(family, k -> new TreeMap<>());
    }

    synchronized String summary(String what) {
      StringBuilder b = new StringBuilder(what).append(":");
      byFamily.forEach(
          (family, counts) -> {
            int total = counts.values().stream().mapToInt(Integer::intValue).sum();
            b.append("\n  ").append(family).append(" ").append(total).append(": ").append(counts);
          });
      return b.toString();
    }
  }
}
