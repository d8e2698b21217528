package dev.bindspace.audio.internal;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * ImageBind's clip rule: pytorchvideo's {@code ConstantClipsPerVideoSampler} driven by
 * {@code get_clip_timepoints} over {@code duration = n / rate} (a binary double), then
 * {@code waveform[:, int(start*rate) : int(end*rate)]}.
 *
 * <p>pytorchvideo computes {@code max_start = Fraction(max(duration - clip, 0))} (the subtraction is
 * a float operation, so the Fraction is the exact value of a double), {@code step = max_start / max(k-1, 1)}
 * and clip {@code i = [i*step, i*step + clip]} in exact rational arithmetic, for all {@code k} clips
 * (the "stop early" branch never fires for these steps). This class redoes that with
 * {@link BigDecimal}: e.g. a 3.3 s file (52800 samples at 16 kHz) gives starts 10399 and 20799, not
 * 10400 and 20800, and a last end of 52799. Slices are clamped to {@code [0, n]} like Python slicing.
 */
public final class ClipSampler {
  private ClipSampler() {}

  /** {@code [clip][0: start, 1: end)} sample ranges over {@code n} samples at {@code rate}. */
  public static long[][] clips(long n, int rate, double clipSeconds, int count) {
    double duration = (double) n / rate;
    double maxStart = Math.max(duration - clipSeconds, 0.0);
    BigDecimal ms = new BigDecimal(maxStart);
    BigDecimal div = BigDecimal.valueOf(Math.max(count - 1, 1));
    BigDecimal clipTimesDiv = new BigDecimal(clipSeconds).multiply(div);
    BigDecimal r = BigDecimal.valueOf(rate);
    long[][] out = new long[count][2];
    for (int i = 0; i < count; i++) {
      BigDecimal startNum = ms.multiply(BigDecimal.valueOf(i)); // start = startNum / div
      long a = floorDiv(startNum.multiply(r), div);
      long b = floorDiv(startNum.add(clipTimesDiv).multiply(r), div);
      out[i][0] = Math.min(a, n);
      out[i][1] = Math.min(Math.max(b, out[i][0]), n);
    }
    return out;
  }

  private static long floorDiv(BigDecimal num, BigDecimal div) {
    BigInteger q = num.divideToIntegralValue(div).toBigIntegerExact();
    return q.longValueExact();
  }
}
