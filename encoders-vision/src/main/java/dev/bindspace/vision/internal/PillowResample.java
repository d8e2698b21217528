package dev.bindspace.vision.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pillow's {@code Image.resize(size, BICUBIC)} (Pillow 9.4 {@code libImaging/Resample.c}), bit-exact for
 * 8-bit images of 1 to 4 interleaved channels, and its 32-bit float variant (mode {@code F}).
 *
 * <p>What Pillow does and this class copies:
 * <ul>
 *   <li>cubic kernel with {@code a = -0.5}, support 2; when shrinking the kernel is stretched by the
 *       scale (antialiasing): support = 2 × max(1, in/out);</li>
 *   <li>per output pixel {@code center = (x + 0.5) × scale}, taps {@code xmin = (int)(center - support + 0.5)}
 *       (clamped to 0) to {@code xmax = (int)(center + support + 0.5)} (clamped to the input size), weights
 *       {@code K((x + xmin - center + 0.5) / filterscale)} in double, normalised to sum 1;</li>
 *   <li>8-bit: weights turned into fixed point with {@code PRECISION_BITS = 32 - 8 - 2 = 22} fractional
 *       bits, rounded half away from zero; each sum starts at {@code 1 << 21} (rounding), then the
 *       result is shifted right by 22 and clipped to 0..255;</li>
 *   <li>two separable passes, <b>horizontal first</b> (only over the rows the vertical pass reads),
 *       each rounded and clipped to 8 bits; a pass is skipped when that dimension does not change;</li>
 *   <li>float: the same double weights, accumulated in double per pixel and stored as float.</li>
 * </ul>
 *
 * <p>Coefficient tables are cached per (input size, output size) so repeated resizes of same-sized
 * images allocate nothing but the output. Thread-safe.
 */
public final class PillowResample {
  /** Pillow's {@code PRECISION_BITS}. */
  static final int PRECISION_BITS = 32 - 8 - 2;
  private static final double SUPPORT = 2.0;
  private static final int CACHE_LIMIT = 256;
  private static final Map<Long, Coefficients> CACHE = new ConcurrentHashMap<>();
  private static final ThreadLocal<byte[][]> SCRATCH = ThreadLocal.withInitial(() -> new byte[1][0]);
  private static final ThreadLocal<int[][]> ACC = ThreadLocal.withInitial(() -> new int[1][0]);

  private PillowResample() {
  }

  /** Pillow's {@code bicubic_filter} (a = -0.5). */
  static double bicubic(double x) {
    final double a = -0.5;
    if (x < 0.0) {
      x = -x;
    }
    if (x < 1.0) {
      return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0.0;
  }

  /** The taps of one axis: bounds (xmin, count) per output pixel and weights, {@code ksize} per pixel. */
  static final class Coefficients {
    final int ksize;
    final int[] bounds;
    final double[] weights;
    final int[] fixed;

    Coefficients(int ksize, int[] bounds, double[] weights) {
      this.ksize = ksize;
      this.bounds = bounds;
      this.weights = weights;
      this.fixed = new int[weights.length];
      for (int i = 0; i < weights.length; i++) {
        double w = weights[i];
        // normalize_coeffs_8bpc: round half away from zero, truncating cast
        fixed[i] = w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS)) : (int) (0.5 + w * (1 << PRECISION_BITS));
      }
    }
  }

  /** Pillow's {@code precompute_coeffs} for a box of the whole input axis. */
  static Coefficients coefficients(int inSize, int outSize) {
    long key = ((long) inSize << 32) | outSize;
    Coefficients c = CACHE.get(key);
    if (c == null) {
      c = compute(inSize, outSize);
      if (CACHE.size() >= CACHE_LIMIT) {
        CACHE.clear(); // bounded: a service resizing many odd sizes must not grow without end
      }
      CACHE.put(key, c);
    }
    return c;
  }

  private static Coefficients compute(int inSize, int outSize) {
    double scale = (double) inSize / outSize;
    double filterscale = Math.max(scale, 1.0);
    double support = SUPPORT * filterscale;
    int ksize = (int) Math.ceil(support) * 2 + 1;
    int[] bounds = new int[outSize * 2];
    double[] kk = new double[outSize * ksize];
    for (int xx = 0; xx < outSize; xx++) {
      double center = (xx + 0.5) * scale;
      double ww = 0.0;
      double ss = 1.0 / filterscale;
      int xmin = (int) (center - support + 0.5);
      if (xmin < 0) {
        xmin = 0;
      }
      int xmax = (int) (center + support + 0.5);
      if (xmax > inSize) {
        xmax = inSize;
      }
      xmax -= xmin;
      int k = xx * ksize;
      for (int x = 0; x < xmax; x++) {
        double w = bicubic((x + xmin - center + 0.5) * ss);
        kk[k + x] = w;
        ww += w;
      }
      for (int x = 0; x < xmax; x++) {
        if (ww != 0.0) {
          kk[k + x] /= ww;
        }
      }
      bounds[xx * 2] = xmin;
      bounds[xx * 2 + 1] = xmax;
    }
    return new Coefficients(ksize, bounds, kk);
  }

  private static int clip8(int v) {
    int s = v >> PRECISION_BITS;
    return s < 0 ? 0 : (s > 255 ? 255 : s);
  }

  /**
   * Resizes an 8-bit image of {@code channels} interleaved channels to {@code outW × outH}, as Pillow's
   * {@code resize((outW, outH), Image.BICUBIC)}; returns {@code src} itself when the size is unchanged
   * (Pillow returns a copy).
   */
  public static byte[] resize8(byte[] src, int width, int height, int channels, int outW, int outH) {
    checkArgs(src.length, width, height, channels, outW, outH);
    if (outW == width && outH == height) {
      return src;
    }
    return resize8Window(src, width, height, channels, outW, outH, 0, 0, outW, outH);
  }

  /**
   * The {@code winW × winH} window at ({@code x0}, {@code y0}) of {@link #resize8}'s result, computing only
   * those output pixels (each is independent of the others, so the values are identical): a resize
   * followed by a crop without the work for the cropped-away part. The horizontal pass runs only over
   * the input rows the window's output rows read.
   */
  public static byte[] resize8Window(byte[] src, int width, int height, int channels, int outW, int outH, int x0,
      int y0, int winW, int winH) {
    checkArgs(src.length, width, height, channels, outW, outH);
    if (x0 < 0 || y0 < 0 || winW < 1 || winH < 1 || x0 + winW > outW || y0 + winH > outH) {
      throw new IllegalArgumentException("window " + winW + "x" + winH + " at (" + x0 + ", " + y0
          + ") is outside the " + outW + "x" + outH + " output");
    }
    boolean needH = outW != width;
    boolean needV = outH != height;
    byte[] out = new byte[winW * winH * channels];
    if (!needH && !needV) {
      for (int y = 0; y < winH; y++) {
        System.arraycopy(src, ((y0 + y) * width + x0) * channels, out, y * winW * channels, winW * channels);
      }
      return out;
    }
    if (!needV) {
      horizontal(src, width, channels, y0, winH, coefficients(width, outW), x0, winW, out);
      return out;
    }
    Coefficients cv = coefficients(height, outH);
    if (!needH) {
      vertical(src, width, channels, 0, x0, cv, y0, winH, winW, out);
      return out;
    }
    // input rows the window's output rows read: [first, last)
    int first = cv.bounds[y0 * 2];
    int last = cv.bounds[(y0 + winH - 1) * 2] + cv.bounds[(y0 + winH - 1) * 2 + 1];
    int rows = last - first;
    byte[][] holder = SCRATCH.get();
    int need = winW * rows * channels;
    if (holder[0].length < need) {
      holder[0] = new byte[need];
    }
    byte[] tmp = holder[0];
    horizontal(src, width, channels, first, rows, coefficients(width, outW), x0, winW, tmp);
    vertical(tmp, winW, channels, first, 0, cv, y0, winH, winW, out);
    return out;
  }

  /**
   * Horizontal pass over input rows {@code [row0, row0 + rows)}, output columns {@code [x0, x0 + cols)},
   * into {@code dst} rows {@code [0, rows)} of {@code cols} pixels.
   */
  private static void horizontal(byte[] src, int width, int channels, int row0, int rows, Coefficients c,
      int x0, int cols, byte[] dst) {
    final int[] bounds = c.bounds;
    final int[] k = c.fixed;
    final int ksize = c.ksize;
    final int half = 1 << (PRECISION_BITS - 1);
    int di = 0;
    for (int y = 0; y < rows; y++) {
      int rowBase = (row0 + y) * width * channels;
      if (channels == 3) {
        for (int xx = x0; xx < x0 + cols; xx++) {
          int xmin = bounds[xx * 2];
          int n = bounds[xx * 2 + 1];
          int kb = xx * ksize;
          int s0 = half;
          int s1 = half;
          int s2 = half;
          int si = rowBase + xmin * 3;
          for (int x = 0; x < n; x++, si += 3) {
            int w = k[kb + x];
            s0 += (src[si] & 0xff) * w;
            s1 += (src[si + 1] & 0xff) * w;
            s2 += (src[si + 2] & 0xff) * w;
          }
          dst[di++] = (byte) clip8(s0);
          dst[di++] = (byte) clip8(s1);
          dst[di++] = (byte) clip8(s2);
        }
      } else {
        for (int xx = x0; xx < x0 + cols; xx++) {
          int xmin = bounds[xx * 2];
          int n = bounds[xx * 2 + 1];
          int kb = xx * ksize;
          for (int ch = 0; ch < channels; ch++) {
            int s = half;
            int si = rowBase + xmin * channels + ch;
            for (int x = 0; x < n; x++, si += channels) {
              s += (src[si] & 0xff) * k[kb + x];
            }
            dst[di++] = (byte) clip8(s);
          }
        }
      }
    }
  }

  /**
   * Vertical pass for output rows {@code [y0, y0 + outRows)} over {@code cols} pixels starting at column
   * {@code colOffset} of {@code src}, whose first row is input row {@code row0} and whose rows are
   * {@code width} pixels wide.
   */
  private static void vertical(byte[] src, int width, int channels, int row0, int colOffset, Coefficients c,
      int y0, int outRows, int cols, byte[] dst) {
    final int[] bounds = c.bounds;
    final int[] k = c.fixed;
    final int ksize = c.ksize;
    final int half = 1 << (PRECISION_BITS - 1);
    final int stride = width * channels;
    final int span = cols * channels;
    int di = 0;
    int[][] accHolder = ACC.get();
    if (accHolder[0].length < span) {
      accHolder[0] = new int[span];
    }
    final int[] acc = accHolder[0];
    for (int yy = y0; yy < y0 + outRows; yy++) {
      int ymin = bounds[yy * 2] - row0;
      int n = bounds[yy * 2 + 1];
      int kb = yy * ksize;
      java.util.Arrays.fill(acc, 0, span, half);
      // row-major accumulation: streams each source row once (cache friendly), same integer sums
      for (int y = 0; y < n; y++) {
        int w = k[kb + y];
        int si = (ymin + y) * stride + colOffset * channels;
        for (int i = 0; i < span; i++) {
          acc[i] += (src[si + i] & 0xff) * w;
        }
      }
      for (int i = 0; i < span; i++) {
        dst[di++] = (byte) clip8(acc[i]);
      }
    }
  }

  /**
   * Resizes a single-channel float image (Pillow mode {@code F}) with the bicubic kernel: same taps
   * and double weights as the 8-bit path, accumulated in double, no rounding or clipping; the
   * horizontal pass is stored as float before the vertical one, as Pillow does.
   */
  public static float[] resizeFloat(float[] src, int width, int height, int outW, int outH) {
    checkArgs(src.length, width, height, 1, outW, outH);
    if (outW == width && outH == height) {
      return src.clone();
    }
    float[] cur = src;
    int curW = width;
    int row0 = 0;
    int rows = height;
    Coefficients cv = coefficients(height, outH);
    if (outW != width) {
      int first = outH != height ? cv.bounds[0] : 0;
      int last = outH != height ? cv.bounds[outH * 2 - 2] + cv.bounds[outH * 2 - 1] : height;
      Coefficients ch = coefficients(width, outW);
      float[] tmp = new float[outW * (last - first)];
      for (int y = first; y < last; y++) {
        for (int xx = 0; xx < outW; xx++) {
          int xmin = ch.bounds[xx * 2];
          int n = ch.bounds[xx * 2 + 1];
          double s = 0.0;
          for (int x = 0; x < n; x++) {
            s += src[y * width + xmin + x] * ch.weights[xx * ch.ksize + x];
          }
          tmp[(y - first) * outW + xx] = (float) s;
        }
      }
      cur = tmp;
      curW = outW;
      row0 = first;
      rows = last - first;
    }
    if (outH == height) {
      return cur;
    }
    float[] out = new float[curW * outH];
    for (int yy = 0; yy < outH; yy++) {
      int ymin = cv.bounds[yy * 2] - row0;
      int n = cv.bounds[yy * 2 + 1];
      for (int x = 0; x < curW; x++) {
        double s = 0.0;
        for (int y = 0; y < n; y++) {
          s += cur[(ymin + y) * curW + x] * cv.weights[yy * cv.ksize + y];
        }
        out[yy * curW + x] = (float) s;
      }
    }
    assert rows >= 0;
    return out;
  }

  private static void checkArgs(int length, int width, int height, int channels, int outW, int outH) {
    if (width < 1 || height < 1 || outW < 1 || outH < 1) {
      throw new IllegalArgumentException("sizes must be positive, found " + width + "x" + height + " -> "
          + outW + "x" + outH);
    }
    if (channels < 1 || channels > 4) {
      throw new IllegalArgumentException("channels must be 1..4, found " + channels);
    }
    if ((long) width * height * channels != length) {
      throw new IllegalArgumentException("expected " + (long) width * height * channels + " samples for "
          + width + "x" + height + "x" + channels + ", found " + length);
    }
  }
}
