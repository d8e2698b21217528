package dev.bindspace.audio.internal;

/**
 * {@code torchaudio.compliance.kaldi.fbank} (torchaudio 0.13) with ImageBind's arguments:
 * {@code htk_compat=True, use_energy=False, window_type="hanning", dither=0.0}, and the defaults
 * that then apply: channel 0 only, {@code preemphasis 0.97}, per-frame DC removal, frames of
 * {@code int(rate*length_ms*0.001)} samples every {@code int(rate*shift_ms*0.001)} with
 * {@code snip_edges=True} ({@code 1 + (n - size) // shift} frames), zero-padded to the next power of
 * two for the FFT, the symmetric Hann window ({@code torch.hann_window(periodic=False)}), power
 * spectrum, {@code num_mel_bins} triangular bins on the Kaldi mel scale {@code 1127 ln(1 + f/700)}
 * from 20 Hz to Nyquist (the Nyquist FFT column gets weight 0), natural log floored at float32 eps.
 * {@code htk_compat} only moves the (disabled) energy column, so it changes nothing here.
 *
 * <p>Everything up to the mel sums is float32 in torch's operation order, the FFT included
 * ({@link RealFft32}, pocketfft's order; one shared plan); {@code |X|} is {@code sqrt(re^2 + im^2)} in
 * float then squared, as torch's vectorised {@code abs().pow(2)}; the mel sums run in double (torch's
 * float32 matrix product differs from that by ~1 ulp). Instances are immutable and thread-safe;
 * per-call scratch lives in {@link Scratch}, so no frame allocates.
 */
public final class KaldiFbank {
  static final double PREEMPHASIS = 0.97;
  static final double LOW_FREQ = 20.0;
  static final float EPS = Math.ulp(1.0f); // torch.finfo(torch.float).eps = 1.1920929e-07

  private final int windowSize;
  private final int windowShift;
  private final int padded;
  private final int melBins;
  private final float[] window;
  private final float[][] melWeights; // [mel][k - melStart[mel]]
  private final int[] melStart;
  private final RealFft32 fft;

  /**
   * @throws IllegalArgumentException if the frame is shorter than 2 samples, the shift is 0 or
   *     there are fewer than 4 mel bins (torchaudio asserts the same)
   */
  public KaldiFbank(double sampleRate, double frameLengthMs, double frameShiftMs, int melBins) {
    this.windowShift = (int) (sampleRate * frameShiftMs * 0.001);
    this.windowSize = (int) (sampleRate * frameLengthMs * 0.001);
    if (windowSize < 2) {
      throw new IllegalArgumentException("frame length " + frameLengthMs + " ms at " + sampleRate
          + " Hz is " + windowSize + " samples, expected at least 2");
    }
    if (windowShift < 1) {
      throw new IllegalArgumentException("frame shift " + frameShiftMs + " ms at " + sampleRate
          + " Hz is " + windowShift + " samples, expected at least 1");
    }
    if (melBins <= 3) {
      throw new IllegalArgumentException("mel_bins must be at least 4 for Kaldi fbank, got " + melBins);
    }
    this.padded = nextPow2(windowSize);
    this.melBins = melBins;
    this.window = hannSymmetric(windowSize);
    this.melStart = new int[melBins];
    this.melWeights = melBanks(melBins, padded, sampleRate, melStart);
    this.fft = new RealFft32(padded);
  }

  private static int nextPow2(int x) {
    int p = 1;
    while (p < x) {
      p <<= 1;
    }
    return p;
  }

  /**
   * torch.hann_window(n, periodic=False) in float32: {@code k * float(2 pi / (n-1))}, SLEEF's cos,
   * {@code * -0.5 + 0.5}, all float operations as torch runs them.
   */
  private static float[] hannSymmetric(int n) {
    float[] w = new float[n];
    float step = (float) (2.0 * Math.PI / (n - 1));
    for (int k = 0; k < n; k++) {
      float c = SleefCos.cos((float) k * step);
      w[k] = c * -0.5f + 0.5f;
    }
    return w;
  }

  /** get_mel_banks with vtln_warp 1 in float32, as sparse rows. */
  private static float[][] melBanks(int bins, int paddedSize, double sampleFreq, int[] start) {
    int fftBins = paddedSize / 2;
    double nyquist = 0.5 * sampleFreq;
    double highFreq = nyquist;
    if (!(LOW_FREQ < nyquist)) {
      throw new IllegalArgumentException("sample rate " + sampleFreq + " Hz has a Nyquist frequency below the 20 Hz low cut-off");
    }
    double fftBinWidth = sampleFreq / paddedSize;
    double melLow = 1127.0 * Math.log(1.0 + LOW_FREQ / 700.0);
    double melHigh = 1127.0 * Math.log(1.0 + highFreq / 700.0);
    double delta = (melHigh - melLow) / (bins + 1);
    float melLowF = (float) melLow;
    float deltaF = (float) delta;
    float[] mel = new float[fftBins];
    float widthF = (float) fftBinWidth;
    for (int k = 0; k < fftBins; k++) {
      float f = widthF * (float) k;
      mel[k] = 1127.0f * (float) Math.log(1.0f + f / 700.0f);
    }
    float[][] rows = new float[bins][];
    for (int m = 0; m < bins; m++) {
      float left = melLowF + (float) m * deltaF;
      float center = melLowF + (float) (m + 1) * deltaF;
      float right = melLowF + (float) (m + 2) * deltaF;
      float[] full = new float[fftBins];
      int lo = -1;
      int hi = -1;
      for (int k = 0; k < fftBins; k++) {
        float up = (mel[k] - left) / (center - left);
        float down = (right - mel[k]) / (right - center);
        float v = Math.max(0f, Math.min(up, down));
        full[k] = v;
        if (v > 0) {
          if (lo < 0) {
            lo = k;
          }
          hi = k;
        }
      }
      if (lo < 0) {
        lo = 0;
        hi = -1;
      }
      start[m] = lo;
      rows[m] = java.util.Arrays.copyOfRange(full, lo, hi + 1);
    }
    return rows;
  }

  /** {@code |re + i im|^2} as torch computes it for complex64: float sqrt of the float sum of squares, squared. */
  private static float pow(float re, float im) {
    float a = (float) Math.sqrt(re * re + im * im);
    return a * a;
  }

  public int windowSize() {
    return windowSize;
  }

  public int windowShift() {
    return windowShift;
  }

  public int melBins() {
    return melBins;
  }

  /** Frames for {@code n} samples with snip_edges ({@code 0} below one window). */
  public int frames(int n) {
    return n < windowSize ? 0 : 1 + (n - windowSize) / windowShift;
  }

  /** Per-thread working memory: reuse one per thread to avoid per-frame allocation. */
  public Scratch scratch() {
    return new Scratch(windowSize, padded);
  }

  /** Working buffers of one computation. */
  public static final class Scratch {
    final float[] frame;
    final float[] spec;
    final float[] fftTmp;
    final float[] power;
    final float[] sum = new float[TorchSum.SCRATCH];

    Scratch(int size, int padded) {
      frame = new float[size];
      spec = new float[padded];
      fftTmp = new float[padded];
      power = new float[padded / 2 + 1];
    }
  }

  /**
   * Log-mel energies of {@code x[off .. off+n)} for the first {@code maxFrames} frames, written
   * transposed: {@code out[outOff + mel * stride + frame]}.
   *
   * @return the number of frames written
   */
  public int compute(float[] x, int off, int n, int maxFrames, float[] out, int outOff, int stride, Scratch s) {
    int frames = Math.min(frames(n), maxFrames);
    float[] fr = s.frame;
    float[] spec = s.spec;
    float[] power = s.power;
    float pre = (float) PREEMPHASIS;
    for (int f = 0; f < frames; f++) {
      int base = off + f * windowShift;
      // torch.mean(strided_input, dim=1): torch's float32 summation order, then / size in float
      float mean = TorchSum.sum(x, base, windowSize, s.sum) / (float) windowSize;
      for (int j = 0; j < windowSize; j++) {
        fr[j] = x[base + j] - mean;
      }
      // pre-emphasis from the end backwards (x[j] -= 0.97 x[j-1], x[-1] := x[0]), then the window
      for (int j = windowSize - 1; j > 0; j--) {
        spec[j] = (fr[j] - pre * fr[j - 1]) * window[j];
      }
      spec[0] = (fr[0] - pre * fr[0]) * window[0];
      for (int j = windowSize; j < padded; j++) {
        spec[j] = 0;
      }
      fft.forward(spec, s.fftTmp);
      // halfcomplex: spec[0] = X0, spec[2k-1], spec[2k] = Re, Im Xk, spec[n-1] = X(n/2)
      power[0] = pow(spec[0], 0f);
      for (int k = 1; k < padded / 2; k++) {
        power[k] = pow(spec[2 * k - 1], spec[2 * k]);
      }
      for (int m = 0; m < melBins; m++) {
        float[] w = melWeights[m];
        int k0 = melStart[m];
        double e = 0;
        for (int i = 0; i < w.length; i++) {
          e += (double) power[k0 + i] * w[i];
        }
        float ef = (float) e;
        out[outOff + m * stride + f] = (float) Math.log(Math.max(ef, EPS));
      }
    }
    return frames;
  }
}
