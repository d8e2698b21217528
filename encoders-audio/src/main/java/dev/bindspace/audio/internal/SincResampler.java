package dev.bindspace.audio.internal;

/**
 * The polyphase kernel of {@code torchaudio.functional.resample} (torchaudio 0.13,
 * {@code _get_sinc_resample_kernel}) with its defaults: {@code sinc_interp_hann} ("sinc_interpolation"),
 * {@code lowpass_filter_width = 6}, {@code rolloff = 0.99}, rates reduced by their gcd.
 *
 * <p>With {@code orig}, {@code new} the reduced rates, {@code base = min(orig, new) * rolloff},
 * {@code width = ceil(6 * orig / base)}, phase {@code p} ({@code 0 <= p < new}) has the taps
 * {@code k = 0 .. 2*width + orig - 1} with {@code t = (-p/new + (k - width)/orig) * base} clamped to
 * [-6, 6], {@code kernel = sinc(pi t) * cos(pi t / 12)^2 * base / orig}. Output {@code j = b*new + p}
 * is {@code sum_k x[b*orig + k - width] * kernel[p][k]} over the zero-padded input, and the output
 * length is {@code ceil(new * n / orig)}.
 *
 * <p>torchaudio 0.13 passes the waveform's dtype into the kernel builder, so for float32 audio the
 * kernel is computed <em>in float32</em> (not float64 then cast, which only newer torchaudio does
 * when no dtype is given); this class follows the same float32 operation order, with SLEEF's
 * {@code sinf}/{@code cosf} as torch's vectorised CPU kernels use, and sums the taps in order with
 * fused multiply-adds as torch's conv1d does: the result is bit-identical to torchaudio's on the
 * shared goldens (44.1, 48, 22.05 and 8 kHz). Taps whose
 * {@code |t|} reached the clamp are left out: there sinc and window are both ~0 and the products are
 * below 1e-20, so the result is the same to float precision while the work drops from
 * {@code 2*width + orig} to about {@code 12 * orig / base} taps per output.
 */
public final class SincResampler {
  static final int LOWPASS_FILTER_WIDTH = 6;
  static final double ROLLOFF = 0.99;

  private final int orig;
  private final int neu;
  private final int width;
  private final float[][] taps;
  private final int[] first;

  private static final java.util.concurrent.ConcurrentHashMap<Long, SincResampler> CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A shared (immutable) resampler for this rate pair; at most 64 pairs are cached. */
  public static SincResampler of(int origFreq, int newFreq) {
    long key = ((long) origFreq << 32) | (newFreq & 0xFFFFFFFFL);
    SincResampler r = CACHE.get(key);
    if (r == null) {
      r = new SincResampler(origFreq, newFreq);
      if (CACHE.size() < 64) {
        CACHE.putIfAbsent(key, r);
      }
    }
    return r;
  }

  /** @throws IllegalArgumentException for rates below 1 */
  public SincResampler(int origFreq, int newFreq) {
    if (origFreq < 1 || newFreq < 1) {
      throw new IllegalArgumentException("sample rates must be positive, got " + origFreq + " -> " + newFreq);
    }
    int g = gcd(origFreq, newFreq);
    this.orig = origFreq / g;
    this.neu = newFreq / g;
    double baseFreq = Math.min(orig, neu) * ROLLOFF;
    this.width = (int) Math.ceil(LOWPASS_FILTER_WIDTH * (double) orig / baseFreq);
    int k = 2 * width + orig;
    this.taps = new float[neu][];
    this.first = new int[neu];
    float baseF = (float) baseFreq;
    float piF = (float) Math.PI;
    float scaleF = (float) (baseFreq / orig);
    float lw = LOWPASS_FILTER_WIDTH;
    float[] row = new float[k];
    for (int p = 0; p < neu; p++) {
      int lo = -1;
      int hi = -1;
      float ph = (float) (-p) / (float) neu;
      for (int i = 0; i < k; i++) {
        float idx = (float) (i - width) / (float) orig;
        float t = (ph + idx) * baseF;
        boolean clamped = t <= -lw || t >= lw;
        if (clamped) {
          row[i] = 0f;
          continue;
        }
        float window = SleefCos.cos(t * piF / lw / 2f);
        window = window * window;
        float tp = t * piF;
        float sinc = tp == 0f ? 1f : SleefCos.sin(tp) / tp;
        row[i] = sinc * (window * scaleF);
        if (lo < 0) {
          lo = i;
        }
        hi = i;
      }
      first[p] = lo;
      taps[p] = java.util.Arrays.copyOfRange(row, lo, hi + 1);
    }
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** Reduced input rate. */
  public int orig() {
    return orig;
  }

  /** Reduced output rate. */
  public int neu() {
    return neu;
  }

  /** Zero padding on the left, in input samples. */
  public int width() {
    return width;
  }

  /** {@code ceil(new * n / orig)}. */
  public long outputLength(long inputLength) {
    return Math.floorDiv(Math.multiplyExact((long) neu, inputLength) + orig - 1, orig);
  }

  /** First input index (may be negative: zero padding) read by output {@code j}. */
  long inputStart(long j) {
    return (j / neu) * orig - width + first[(int) (j % neu)];
  }

  /** One past the last input index read by output {@code j}. */
  long inputEnd(long j) {
    int p = (int) (j % neu);
    return (j / neu) * orig - width + first[p] + taps[p].length;
  }

  /** The lowest input index any output from {@code j} on reads. */
  long keepFrom(long j) {
    return (j / neu) * orig - width;
  }

  /**
   * Outputs {@code j0 .. j0+count} into {@code dst[dOff..]}; same arithmetic as {@link #output}, but four
   * outputs' tap chains are interleaved so the fused multiply-adds of independent outputs overlap (each
   * output still sums its own taps in order, so the result is bit-identical).
   */
  void outputs(long j0, int count, float[] x, long xStart, int xLen, long total, float[] dst, int dOff) {
    int i = 0;
    for (; i + 4 <= count; i += 4) {
      long j = j0 + i;
      int o0 = fastOffset(j, xStart, xLen, total);
      int o1 = fastOffset(j + 1, xStart, xLen, total);
      int o2 = fastOffset(j + 2, xStart, xLen, total);
      int o3 = fastOffset(j + 3, xStart, xLen, total);
      if ((o0 | o1 | o2 | o3) < 0) {
        for (int k = 0; k < 4; k++) {
          dst[dOff + i + k] = output(j + k, x, xStart, xLen, total);
        }
        continue;
      }
      float[] t0 = taps[(int) (j % neu)];
      float[] t1 = taps[(int) ((j + 1) % neu)];
      float[] t2 = taps[(int) ((j + 2) % neu)];
      float[] t3 = taps[(int) ((j + 3) % neu)];
      int m = Math.min(Math.min(t0.length, t1.length), Math.min(t2.length, t3.length));
      float a0 = 0f;
      float a1 = 0f;
      float a2 = 0f;
      float a3 = 0f;
      for (int k = 0; k < m; k++) {
        a0 = Math.fma(t0[k], x[o0 + k], a0);
        a1 = Math.fma(t1[k], x[o1 + k], a1);
        a2 = Math.fma(t2[k], x[o2 + k], a2);
        a3 = Math.fma(t3[k], x[o3 + k], a3);
      }
      for (int k = m; k < t0.length; k++) {
        a0 = Math.fma(t0[k], x[o0 + k], a0);
      }
      for (int k = m; k < t1.length; k++) {
        a1 = Math.fma(t1[k], x[o1 + k], a1);
      }
      for (int k = m; k < t2.length; k++) {
        a2 = Math.fma(t2[k], x[o2 + k], a2);
      }
      for (int k = m; k < t3.length; k++) {
        a3 = Math.fma(t3[k], x[o3 + k], a3);
      }
      dst[dOff + i] = a0;
      dst[dOff + i + 1] = a1;
      dst[dOff + i + 2] = a2;
      dst[dOff + i + 3] = a3;
    }
    for (; i < count; i++) {
      dst[dOff + i] = output(j0 + i, x, xStart, xLen, total);
    }
  }

  /** The offset in {@code x} of output {@code j}'s first tap if all its taps are real data there, else -1. */
  private int fastOffset(long j, long xStart, int xLen, long total) {
    int p = (int) (j % neu);
    long s = (j / neu) * orig - width + first[p];
    long e = s + taps[p].length;
    return s >= 0 && e <= total && s >= xStart && e <= xStart + xLen ? (int) (s - xStart) : -1;
  }

  /**
   * Output {@code j} from {@code x}, which holds input samples {@code [xStart, xStart + xLen)}; samples
   * outside {@code [0, total)} are the zero padding ({@code total} may be {@code Long.MAX_VALUE} before the end is known).
   */
  float output(long j, float[] x, long xStart, int xLen, long total) {
    int p = (int) (j % neu);
    float[] t = taps[p];
    long s = (j / neu) * orig - width + first[p];
    // torch's conv1d (oneDNN, float32) accumulates tap by tap with fused multiply-adds
    float acc = 0f;
    if (s >= 0 && s + t.length <= total && s >= xStart && s + t.length <= xStart + xLen) {
      int o = (int) (s - xStart);
      for (int i = 0; i < t.length; i++) {
        acc = Math.fma(t[i], x[o + i], acc);
      }
    } else {
      for (int i = 0; i < t.length; i++) {
        long q = s + i;
        if (q >= 0 && q < total && q >= xStart && q < xStart + xLen) {
          acc = Math.fma(t[i], x[(int) (q - xStart)], acc);
        }
      }
    }
    return acc;
  }
}
