package dev.bindspace.audio.internal;

/**
 * The sample scaling of torchaudio 0.13's sox_io backend ({@code torchaudio.load}, {@code normalize=True}):
 * libsox first turns every WAV sample into a 32-bit "sox sample", then torchaudio converts that to
 * float with {@code SOX_SAMPLE_TO_FLOAT_32BIT}: {@code ((s + 64) & ~127) / 2^31}, or exactly 1.0
 * above {@code 2^31 - 65}. Hence 8/16/24-bit PCM is exact ({@code (u-128)/128}, {@code s/32768},
 * {@code s/2^23}), 32-bit PCM loses its low 7 bits (rounded), and float data is quantised to about
 * 24 bits and clipped to [-1, 1]. Float32 samples become sox samples by truncation of {@code x*2^31},
 * float64 samples by rounding half away from zero (as libsox's two macros differ); NaN becomes -1.
 * Verified bit for bit against torchaudio 0.13.1 / libsox 14.4.2 (Debian 12).
 */
public final class SoxScaling {
  private static final long SOX_MAX = Integer.MAX_VALUE;
  private static final long SOX_MIN = Integer.MIN_VALUE;
  private static final double TWO_31 = 2147483648.0;

  private SoxScaling() {}

  /** {@code SOX_SAMPLE_TO_FLOAT_32BIT} of a 32-bit sox sample. */
  public static float fromSoxSample(long s) {
    if (s > SOX_MAX - 64) {
      return 1.0f;
    }
    return (float) (((s + 64) & ~127L) / TWO_31);
  }

  /** 32-bit signed PCM. */
  public static float fromInt32(int s) {
    return fromSoxSample(s);
  }

  /** IEEE float32 data ({@code SOX_FLOAT_32BIT_TO_SAMPLE} as libsox 14.4.2's WAV reader applies it: truncation). */
  public static float fromFloat32(float x) {
    if (Float.isNaN(x)) {
      return -1.0f;
    }
    double d = (double) x * TWO_31;
    long s;
    if (d >= SOX_MAX) {
      s = SOX_MAX;
    } else if (d <= SOX_MIN) {
      s = SOX_MIN;
    } else {
      s = (long) d; // truncation toward zero
    }
    return fromSoxSample(s);
  }

  /** IEEE float64 data ({@code SOX_FLOAT_64BIT_TO_SAMPLE}: round half away from zero, clip). */
  public static float fromFloat64(double x) {
    if (Double.isNaN(x)) {
      return -1.0f;
    }
    double d = x * TWO_31;
    long s;
    if (d < 0) {
      s = d <= SOX_MIN - 0.5 ? SOX_MIN : (long) (d - 0.5);
    } else {
      s = d >= SOX_MAX + 0.5 ? SOX_MAX : (long) (d + 0.5);
    }
    return fromSoxSample(s);
  }
}
