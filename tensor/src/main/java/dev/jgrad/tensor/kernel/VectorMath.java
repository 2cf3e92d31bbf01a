package dev.jgrad.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp and tanh over float arrays from adds, multiplies and bit shifts only, so every lane, the
 * scalar tail, the interpreter and every JIT tier give the same bits. The Vector API's own
 * transcendental ops do not: compiled code calls Intel's SVML while the interpreter falls back to
 * {@code Math.exp} per lane, so results changed with JIT warm-up and training runs were not
 * reproducible.
 *
 * <p>exp: x = k·ln2 + r with k = round(x/ln2) and |r| ≤ ln2/2 (ln2 split in two parts so that r is
 * exact), exp(r) by the degree-7 polynomial of Cephes' {@code expf} (S. Moshier), and 2ᵏ built in
 * the exponent bits. Accurate to about 2 ulp; inputs below −86.6 give 0 (no subnormals), above
 * 88.72 +∞.
 *
 * <p>tanh: for |x| < 0.625 the odd polynomial of Cephes' {@code tanhf}; otherwise 1 − 2/(e^{2|x|} +
 * 1) with the sign of x.
 *
 * <p>log: x = m·2ᵉ with m in [√½, √2) read from the bits (subnormals scaled by 2²³ first), log(1 +
 * f) for f = m − 1 by the degree-9 polynomial of Cephes' {@code logf}, plus e·ln2 in two parts.
 * Within 1 ulp; 40 times faster than {@code Math.log} per element on 16-float lanes, which matters
 * for cross-entropy losses.
 *
 * <p>erf: odd, so computed on z = |x| with the sign put back. For z < 0.9, erf(x) = x + x·P(x²)
 * with P of degree 5 (x + … rather than (2/√π)·x + …: the small term carries the rounding); for z ≥
 * 0.9, erf(z) = 1 − e^(−z²)·Q(z − 2.45) with Q of degree 8 approximating erfc(z)·e^(z²) on [0.9,
 * 4], and z clamped to 4 (erf(4) rounds to 1 in float). P and Q were fitted to double-precision erf
 * by least squares reweighted towards the minimax error (Lawson's iteration), then rounded to
 * float. Within 10⁻⁷ of erf everywhere: every float in [0, 4.5] evaluated against the double-
 * precision erf gave at most 8.0·10⁻⁸ (at 0.9186), beyond 4 the result is ±1 exactly, and the
 * formula is odd bit for bit; {@code ErfKernelProperties} keeps it within 10⁻⁷ on drawn floats, a
 * dense grid and the special values. erf(±∞) = ±1, erf(NaN) = NaN, erf(−0) = −0.
 */
public final class VectorMath {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final float LOG2E = 1.44269504088896341f;
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  private static final float MAGIC = 12582912f; // 1.5·2²³: adding it rounds to an integer
  private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
  private static final float EXP_MAX = 88.72283f;
  private static final float EXP_MIN = -86.6f;
  private static final float P0 = 1.9875691500e-4f;
  private static final float P1 = 1.3981999507e-3f;
  private static final float P2 = 8.3334519073e-3f;
  private static final float P3 = 4.1665795894e-2f;
  private static final float P4 = 1.6666665459e-1f;
  private static final float P5 = 5.0000001201e-1f;
  private static final float T0 = -5.70498872745e-3f;
  private static final float T1 = 2.06390887954e-2f;
  private static final float T2 = -5.37397155531e-2f;
  private static final float T3 = 1.33314422036e-1f;
  private static final float T4 = -3.33332819422e-1f;
  private static final float TANH_SMALL = 0.625f;
  private static final float SQRT_HALF = 0.707106781186547524f;
  private static final float TWO_23 = 8388608f;
  private static final float L0 = 7.0376836292E-2f;
  private static final float L1 = -1.1514610310E-1f;
  private static final float L2 = 1.1676998740E-1f;
  private static final float L3 = -1.2420140846E-1f;
  private static final float L4 = 1.4249322787E-1f;
  private static final float L5 = -1.6668057665E-1f;
  private static final float L6 = 2.0000714765E-1f;
  private static final float L7 = -2.4999993993E-1f;
  private static final float L8 = 3.3333331174E-1f;

  private static final int ERF_BLOCK = 1024;
  private static final float ERF_SMALL = 0.9f;
  private static final float ERF_CLAMP = 4f;
  private static final float ERF_CENTRE = 2.45f;
  private static final float E0 = 1.283790916e-01f; // 2/√π − 1
  private static final float E1 = -3.761237562e-01f;
  private static final float E2 = 1.128113419e-01f;
  private static final float E3 = -2.675091475e-02f;
  private static final float E4 = 4.977795295e-03f;
  private static final float E5 = -5.938360700e-04f;
  private static final float Q0 = 2.145890594e-01f;
  private static final float Q1 = -7.689577341e-02f;
  private static final float Q2 = 2.613419294e-02f;
  private static final float Q3 = -8.712727576e-03f;
  private static final float Q4 = 2.438783180e-03f;
  private static final float Q5 = -6.568457466e-04f;
  private static final float Q6 = 7.205643342e-04f;
  private static final float Q7 = 3.215399629e-04f;
  private static final float Q8 = 1.346924546e-04f;

  private VectorMath() {}

  /** exp(x) for one float, the same operations as one SIMD lane. */
  public static float exp(float x) {
    if (x != x) {
      return x;
    }
    if (x > EXP_MAX) {
      return Float.POSITIVE_INFINITY;
    }
    if (x < EXP_MIN) {
      return 0f;
    }
    float kf = (x * LOG2E + MAGIC) - MAGIC;
    float r = (x - kf * LN2_HI) - kf * LN2_LO;
    float z = r * r;
    float p = (((((P0 * r + P1) * r + P2) * r + P3) * r + P4) * r + P5) * z + r + 1f;
    int k = (int) kf;
    return p * Float.intBitsToFloat((k + 126) << 23) * 2f; // 2^(k−1)·2: k may be 128
  }

  /** {@code dst[d + i] = exp(scale·src[s + i] + shift)} for {@code i < n}. */
  public static void exp(float[] src, int s, float scale, float shift, float[] dst, int d, int n) {
    int i = 0;
    int bound = S.loopBound(n);
    for (; i < bound; i += S.length()) {
      FloatVector x = FloatVector.fromArray(S, src, s + i).mul(scale).add(shift);
      VectorMask<Float> nan = x.test(VectorOperators.IS_NAN);
      VectorMask<Float> over = x.compare(VectorOperators.GT, EXP_MAX);
      VectorMask<Float> under = x.compare(VectorOperators.LT, EXP_MIN);
      FloatVector xc = x.max(EXP_MIN).min(EXP_MAX);
      FloatVector shifted = xc.mul(LOG2E).add(MAGIC); // k sits in the low mantissa bits
      FloatVector kf = shifted.sub(MAGIC);
      FloatVector r = xc.sub(kf.mul(LN2_HI)).sub(kf.mul(LN2_LO));
      FloatVector z = r.mul(r);
      FloatVector p = r.mul(P0).add(P1).mul(r).add(P2).mul(r).add(P3).mul(r).add(P4).mul(r).add(P5);
      p = p.mul(z).add(r).add(1f);
      FloatVector scaleK = twoToTheKMinusOne(shifted);
      FloatVector y = p.mul(scaleK).mul(2f);
      y = y.blend(Float.POSITIVE_INFINITY, over).blend(0f, under).blend(x, nan);
      y.intoArray(dst, d + i);
    }
    for (; i < n; i++) {
      dst[d + i] = exp(src[s + i] * scale + shift);
    }
  }

  /**
   * 2^(k−1) from x/ln2 + 1.5·2²³, whose low mantissa bits hold k: subtracting the magic's bits
   * gives k, and k + 126 shifted into the exponent field is 2^(k−1). (A float-to-int conversion or
   * a shift by a scalar would be simpler, but JDK 17 does not compile them to SIMD.)
   */
  private static FloatVector twoToTheKMinusOne(FloatVector shifted) {
    IntVector k = shifted.reinterpretAsInts().sub(MAGIC_BITS);
    return k.add(126).mul(1 << 23).reinterpretAsFloats();
  }

  /** log(x) for one float, the same operations as one SIMD lane. */
  public static float log(float x) {
    if (x != x || x == Float.POSITIVE_INFINITY) {
      return x;
    }
    if (x < 0) {
      return Float.NaN;
    }
    if (x == 0) {
      return Float.NEGATIVE_INFINITY;
    }
    float scale = 0f;
    if (x < Float.MIN_NORMAL) { // subnormal: bring it into the normal range first
      x *= TWO_23;
      scale = -23f;
    }
    int bits = Float.floatToRawIntBits(x);
    float e = (float) (bits & 0x7F800000) * (1f / TWO_23) - 126f + scale;
    float m = Float.intBitsToFloat((bits & 0x007FFFFF) | 0x3F000000); // in [0.5, 1)
    if (m < SQRT_HALF) {
      e -= 1f;
      m = m + m - 1f;
    } else {
      m = m + 0f - 1f;
    }
    float z = m * m;
    float y =
        (((((((((L0 * m + L1) * m + L2) * m + L3) * m + L4) * m + L5) * m + L6) * m + L7) * m + L8)
                * m)
            * z;
    y = y + e * LN2_LO;
    y = y + z * -0.5f;
    return m + y + e * LN2_HI;
  }

  /** {@code dst[d + i] = log(src[s + i])} for {@code i < n}. */
  public static void log(float[] src, int s, float[] dst, int d, int n) {
    int i = 0;
    int bound = S.loopBound(n);
    for (; i < bound; i += S.length()) {
      FloatVector x = FloatVector.fromArray(S, src, s + i);
      VectorMask<Float> sub = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
      FloatVector xs = x.blend(x.mul(TWO_23), sub);
      IntVector bits = xs.reinterpretAsInts();
      FloatVector e =
          ((FloatVector) bits.and(0x7F800000).convert(VectorOperators.I2F, 0))
              .mul(1f / TWO_23)
              .sub(126f)
              .add(x.broadcast(0f).blend(-23f, sub));
      FloatVector m = bits.and(0x007FFFFF).or(0x3F000000).reinterpretAsFloats();
      VectorMask<Float> low = m.compare(VectorOperators.LT, SQRT_HALF);
      e = e.sub(x.broadcast(0f).blend(1f, low));
      m = m.add(m.blend(0f, low.not())).sub(1f);
      FloatVector z = m.mul(m);
      FloatVector y =
          m.mul(L0).add(L1).mul(m).add(L2).mul(m).add(L3).mul(m).add(L4).mul(m).add(L5).mul(m);
      y = y.add(L6).mul(m).add(L7).mul(m).add(L8).mul(m).mul(z);
      y = y.add(e.mul(LN2_LO)).add(z.mul(-0.5f));
      FloatVector r = m.add(y).add(e.mul(LN2_HI));
      r = r.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
      r = r.blend(Float.NaN, x.compare(VectorOperators.LT, 0f));
      VectorMask<Float> same =
          x.test(VectorOperators.IS_NAN).or(x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
      r.blend(x, same).intoArray(dst, d + i);
    }
    for (; i < n; i++) {
      dst[d + i] = log(src[s + i]);
    }
  }

  /** erf(x) for one float, the same operations as one SIMD lane. */
  public static float erf(float x) {
    float z = Math.abs(x);
    if (z < ERF_SMALL) { // x + x·P(x²): odd, so the sign (and −0) come along
      float x2 = x * x;
      return (((((E5 * x2 + E4) * x2 + E3) * x2 + E2) * x2 + E1) * x2 + E0) * x + x;
    }
    if (x != x) {
      return x;
    }
    float zc = Math.min(z, ERF_CLAMP);
    return erfLarge(x, z, exp(zc * -zc));
  }

  /**
   * {@code dst[d + i] = erf(scale·src[s + i])} for {@code i < n}, in blocks of {@value #ERF_BLOCK}
   * and three passes of their own methods: the small-|x| polynomial (with −min(|x|, 4)² kept
   * aside), {@link #exp(float[], int, float, float, float[], int, int)} of that, and the large-|x|
   * form. One loop doing all of it was too large for C2 to compile the Vector API calls inside it:
   * they ran in its Java fallback, 5 to 30 times slower than tanh.
   */
  public static void erf(float[] src, int s, float scale, float[] dst, int d, int n) {
    float[] e = new float[Math.min(n, ERF_BLOCK)];
    for (int from = 0; from < n; from += ERF_BLOCK) {
      int len = Math.min(ERF_BLOCK, n - from);
      erfSmall(src, s + from, scale, dst, d + from, e, len);
      exp(e, 0, 1f, 0f, e, 0, len);
      erfLarge(src, s + from, scale, e, dst, d + from, len);
    }
  }

  /** dst = x + x·P(x²) and e = −z² with x = scale·src, z = min(|x|, 4). */
  private static void erfSmall(
      float[] src, int s, float scale, float[] dst, int d, float[] e, int n) {
    int i = 0;
    int bound = S.loopBound(n);
    for (; i < bound; i += S.length()) {
      FloatVector x = FloatVector.fromArray(S, src, s + i).mul(scale);
      FloatVector x2 = x.mul(x);
      FloatVector p = x2.mul(E5).add(E4).mul(x2).add(E3).mul(x2).add(E2).mul(x2).add(E1);
      p.mul(x2).add(E0).mul(x).add(x).intoArray(dst, d + i);
      FloatVector zc = x.abs().min(ERF_CLAMP);
      zc.mul(zc.neg()).intoArray(e, i);
    }
    for (; i < n; i++) {
      float x = src[s + i] * scale;
      float x2 = x * x;
      dst[d + i] = (((((E5 * x2 + E4) * x2 + E3) * x2 + E2) * x2 + E1) * x2 + E0) * x + x;
      float zc = Math.min(Math.abs(x), ERF_CLAMP);
      e[i] = zc * -zc;
    }
  }

  /**
   * Where |x| ≥ 0.9 (x = scale·src): dst = ±(1 − e·Q(min(|x|, 4) − 2.45)), e = e^(−min(|x|, 4)²).
   */
  private static void erfLarge(
      float[] src, int s, float scale, float[] e, float[] dst, int d, int n) {
    int i = 0;
    int bound = S.loopBound(n);
    for (; i < bound; i += S.length()) {
      FloatVector x = FloatVector.fromArray(S, src, s + i).mul(scale);
      FloatVector z = x.abs();
      FloatVector w = z.min(ERF_CLAMP).sub(ERF_CENTRE);
      FloatVector q = w.mul(Q8).add(Q7).mul(w).add(Q6).mul(w).add(Q5).mul(w).add(Q4).mul(w);
      q = q.add(Q3).mul(w).add(Q2).mul(w).add(Q1).mul(w).add(Q0);
      FloatVector big = q.mul(FloatVector.fromArray(S, e, i)).neg().add(1f);
      big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
      FloatVector y = FloatVector.fromArray(S, dst, d + i);
      y = y.blend(big, z.compare(VectorOperators.GE, ERF_SMALL));
      y.blend(x, x.test(VectorOperators.IS_NAN)).intoArray(dst, d + i);
    }
    for (; i < n; i++) {
      float x = src[s + i] * scale;
      float z = Math.abs(x);
      if (x != x) {
        dst[d + i] = x;
      } else if (z >= ERF_SMALL) {
        dst[d + i] = erfLarge(x, z, e[i]);
      }
    }
  }

  /** ±(1 − e·Q(min(z, 4) − 2.45)) with the sign of x, z = |x|, e = e^(−min(z, 4)²). */
  private static float erfLarge(float x, float z, float e) {
    float w = Math.min(z, ERF_CLAMP) - ERF_CENTRE;
    float q =
        (((((((Q8 * w + Q7) * w + Q6) * w + Q5) * w + Q4) * w + Q3) * w + Q2) * w + Q1) * w + Q0;
    float r = 1f - q * e;
    return x < 0 ? -r : r;
  }

  /** tanh(x) for one float, the same operations as one SIMD lane. */
  public static float tanh(float x) {
    float ax = Math.abs(x);
    if (ax < TANH_SMALL) {
      float z = x * x;
      return ((((T0 * z + T1) * z + T2) * z + T3) * z + T4) * z * x + x;
    }
    if (x != x) {
      return x;
    }
    float t = 1f - 2f / (exp(2f * ax) + 1f);
    return x < 0 ? -t : t;
  }

  /** {@code dst[d + i] = tanh(src[s + i])} for {@code i < n}. */
  public static void tanh(float[] src, int s, float[] dst, int d, int n) {
    int i = 0;
    int bound = S.loopBound(n);
    for (; i < bound; i += S.length()) {
      FloatVector x = FloatVector.fromArray(S, src, s + i);
      FloatVector ax = x.abs();
      // large |x|: 1 − 2/(e^{2|x|} + 1), e^{2|x|} as in exp() above
      FloatVector xe = ax.mul(2f);
      VectorMask<Float> over = xe.compare(VectorOperators.GT, EXP_MAX);
      FloatVector xc = xe.min(EXP_MAX);
      FloatVector shifted = xc.mul(LOG2E).add(MAGIC); // k sits in the low mantissa bits
      FloatVector kf = shifted.sub(MAGIC);
      FloatVector r = xc.sub(kf.mul(LN2_HI)).sub(kf.mul(LN2_LO));
      FloatVector z = r.mul(r);
      FloatVector p = r.mul(P0).add(P1).mul(r).add(P2).mul(r).add(P3).mul(r).add(P4).mul(r).add(P5);
      p = p.mul(z).add(r).add(1f);
      FloatVector e = p.mul(twoToTheKMinusOne(shifted)).mul(2f);
      e = e.blend(Float.POSITIVE_INFINITY, over);
      FloatVector big = e.add(1f).broadcast(2f).div(e.add(1f)).neg().add(1f);
      big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
      // small |x|: odd polynomial
      FloatVector x2 = x.mul(x);
      FloatVector small = x2.mul(T0).add(T1).mul(x2).add(T2).mul(x2).add(T3).mul(x2).add(T4);
      small = small.mul(x2).mul(x).add(x);
      FloatVector y = big.blend(small, ax.compare(VectorOperators.LT, TANH_SMALL));
      y.blend(x, x.test(VectorOperators.IS_NAN)).intoArray(dst, d + i);
    }
    for (; i < n; i++) {
      dst[d + i] = tanh(src[s + i]);
    }
  }

  /**
   * The sum of {@code v}'s lanes, in lane order, in double. {@code reduceLanes(ADD)} leaves the
   * order unspecified: the interpreter adds lane by lane, C2 in a tree, so a row sum taken with it
   * changed bits when its kernel was compiled (seen as a 1-vs-2-thread CNN run differing in one
   * JVM, where the second run was further warmed up). This sum is the same in every tier.
   *
   * <pre>{@code
   * double total = VectorMath.sumLanes(acc); // acc a FloatVector of partial sums
   * }</pre>
   */
  public static double sumLanes(FloatVector v) {
    float[] lanes = new float[v.length()];
    v.intoArray(lanes, 0);
    double sum = 0;
    for (float lane : lanes) {
      sum += lane;
    }
    return sum;
  }
}
