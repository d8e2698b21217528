package dev.bindspace.audio.internal;

/**
 * A float32 real FFT for power-of-two lengths that performs the same arithmetic, in the same order,
 * as the FFTPACK-style real transform torch 1.13 runs on CPU ({@code torch.fft.rfft} through
 * pocketfft's {@code rfftp}): the length is factored into radix-4 passes plus one radix-2 pass
 * (factor list {@code [2, 4, 4, ...]}, applied from the last factor to the first), twiddles are
 * {@code cos/sin(2 pi m / n)} computed in double and rounded to float, and every butterfly operation
 * is a float operation. Matching the reference's rounding matters here: the Kaldi fbank of a clip
 * takes logs of low-energy mel bins, where a double-precision FFT differs from torch's float32 one by
 * up to 2e-4 after normalisation, while this transform stays within a few 1e-6.
 *
 * <p>Output ("halfcomplex"): {@code r[0] = X0}, {@code r[2k-1], r[2k] = Re, Im Xk} for
 * {@code 0 < k < n/2}, {@code r[n-1] = X(n/2)}. Immutable; scratch is supplied by the caller.
 */
public final class RealFft32 {
  private static final float HSQT2 = (float) 0.707106781186547524400844362104849;

  private final int n;
  private final int[] fact;
  private final float[][] tw;

  /** @throws IllegalArgumentException unless {@code n} is a power of two, at least 2 */
  public RealFft32(int n) {
    if (n < 2 || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("FFT length must be a power of two >= 2, got " + n);
    }
    this.n = n;
    // factorize: 4s while divisible, then a single 2 moved to the front
    java.util.List<Integer> f = new java.util.ArrayList<>();
    int len = n;
    while (len % 4 == 0) {
      f.add(4);
      len >>= 2;
    }
    if (len % 2 == 0) {
      len >>= 1;
      f.add(2);
      java.util.Collections.swap(f, 0, f.size() - 1);
    }
    this.fact = f.stream().mapToInt(Integer::intValue).toArray();
    this.tw = new float[fact.length][];
    int l1 = 1;
    for (int k = 0; k < fact.length; k++) {
      int ip = fact[k];
      int ido = n / (l1 * ip);
      if (k < fact.length - 1) {
        float[] t = new float[(ip - 1) * (ido - 1)];
        for (int j = 1; j < ip; j++) {
          for (int i = 1; i <= (ido - 1) / 2; i++) {
            long m = (long) j * l1 * i;
            double a = 2.0 * Math.PI * m / n;
            t[(j - 1) * (ido - 1) + 2 * i - 2] = (float) Math.cos(a);
            t[(j - 1) * (ido - 1) + 2 * i - 1] = (float) Math.sin(a);
          }
        }
        tw[k] = t;
      }
      l1 *= ip;
    }
  }

  public int length() {
    return n;
  }

  /** Transforms {@code c} in place; {@code scratch} must hold {@code n} floats. */
  public void forward(float[] c, float[] scratch) {
    float[] p1 = c;
    float[] p2 = scratch;
    int l1 = n;
    for (int k1 = 0; k1 < fact.length; k1++) {
      int k = fact.length - k1 - 1;
      int ip = fact[k];
      int ido = n / l1;
      l1 /= ip;
      if (ip == 4) {
        radf4(ido, l1, p1, p2, tw[k]);
      } else {
        radf2(ido, l1, p1, p2, tw[k]);
      }
      float[] t = p1;
      p1 = p2;
      p2 = t;
    }
    if (p1 != c) {
      System.arraycopy(p1, 0, c, 0, n);
    }
  }

  private static void radf2(int ido, int l1, float[] cc, float[] ch, float[] wa) {
    final int cdim = 2;
    for (int k = 0; k < l1; k++) {
      float a = cc[ido * k];
      float b = cc[ido * (k + l1)];
      ch[ido * (cdim * k)] = a + b;
      ch[ido - 1 + ido * (1 + cdim * k)] = a - b;
    }
    if ((ido & 1) == 0) {
      for (int k = 0; k < l1; k++) {
        ch[ido * (1 + cdim * k)] = -cc[ido - 1 + ido * (k + l1)];
        ch[ido - 1 + ido * (cdim * k)] = cc[ido - 1 + ido * k];
      }
    }
    if (ido <= 2) {
      return;
    }
    for (int k = 0; k < l1; k++) {
      for (int i = 2; i < ido; i += 2) {
        int ic = ido - i;
        float wr = wa[i - 2];
        float wi = wa[i - 1];
        float er = cc[i - 1 + ido * (k + l1)];
        float ei = cc[i + ido * (k + l1)];
        float tr2 = wr * er + wi * ei;
        float ti2 = wr * ei - wi * er;
        float c0r = cc[i - 1 + ido * k];
        float c0i = cc[i + ido * k];
        ch[i - 1 + ido * (cdim * k)] = c0r + tr2;
        ch[ic - 1 + ido * (1 + cdim * k)] = c0r - tr2;
        ch[i + ido * (cdim * k)] = ti2 + c0i;
        ch[ic + ido * (1 + cdim * k)] = ti2 - c0i;
      }
    }
  }

  private static void radf4(int ido, int l1, float[] cc, float[] ch, float[] wa) {
    final int cdim = 4;
    for (int k = 0; k < l1; k++) {
      float c0 = cc[ido * k];
      float c1 = cc[ido * (k + l1)];
      float c2 = cc[ido * (k + 2 * l1)];
      float c3 = cc[ido * (k + 3 * l1)];
      float tr1 = c3 + c1;
      ch[ido * (2 + cdim * k)] = c3 - c1;
      float tr2 = c0 + c2;
      ch[ido - 1 + ido * (1 + cdim * k)] = c0 - c2;
      ch[ido * (cdim * k)] = tr2 + tr1;
      ch[ido - 1 + ido * (3 + cdim * k)] = tr2 - tr1;
    }
    if ((ido & 1) == 0) {
      for (int k = 0; k < l1; k++) {
        float c0 = cc[ido - 1 + ido * k];
        float c1 = cc[ido - 1 + ido * (k + l1)];
        float c2 = cc[ido - 1 + ido * (k + 2 * l1)];
        float c3 = cc[ido - 1 + ido * (k + 3 * l1)];
        float ti1 = -HSQT2 * (c1 + c3);
        float tr1 = HSQT2 * (c1 - c3);
        ch[ido - 1 + ido * (cdim * k)] = c0 + tr1;
        ch[ido - 1 + ido * (2 + cdim * k)] = c0 - tr1;
        ch[ido * (3 + cdim * k)] = ti1 + c2;
        ch[ido * (1 + cdim * k)] = ti1 - c2;
      }
    }
    if (ido <= 2) {
      return;
    }
    int w1 = 0;
    int w2 = ido - 1;
    int w3 = 2 * (ido - 1);
    for (int k = 0; k < l1; k++) {
      for (int i = 2; i < ido; i += 2) {
        int ic = ido - i;
        float cr2 = wa[w1 + i - 2] * cc[i - 1 + ido * (k + l1)] + wa[w1 + i - 1] * cc[i + ido * (k + l1)];
        float ci2 = wa[w1 + i - 2] * cc[i + ido * (k + l1)] - wa[w1 + i - 1] * cc[i - 1 + ido * (k + l1)];
        float cr3 = wa[w2 + i - 2] * cc[i - 1 + ido * (k + 2 * l1)] + wa[w2 + i - 1] * cc[i + ido * (k + 2 * l1)];
        float ci3 = wa[w2 + i - 2] * cc[i + ido * (k + 2 * l1)] - wa[w2 + i - 1] * cc[i - 1 + ido * (k + 2 * l1)];
        float cr4 = wa[w3 + i - 2] * cc[i - 1 + ido * (k + 3 * l1)] + wa[w3 + i - 1] * cc[i + ido * (k + 3 * l1)];
        float ci4 = wa[w3 + i - 2] * cc[i + ido * (k + 3 * l1)] - wa[w3 + i - 1] * cc[i - 1 + ido * (k + 3 * l1)];
        float tr1 = cr4 + cr2;
        float tr4 = cr4 - cr2;
        float ti1 = ci2 + ci4;
        float ti4 = ci2 - ci4;
        float c0r = cc[i - 1 + ido * k];
        float c0i = cc[i + ido * k];
        float tr2 = c0r + cr3;
        float tr3 = c0r - cr3;
        float ti2 = c0i + ci3;
        float ti3 = c0i - ci3;
        ch[i - 1 + ido * (cdim * k)] = tr2 + tr1;
        ch[ic - 1 + ido * (3 + cdim * k)] = tr2 - tr1;
        ch[i + ido * (cdim * k)] = ti1 + ti2;
        ch[ic + ido * (3 + cdim * k)] = ti1 - ti2;
        ch[i - 1 + ido * (2 + cdim * k)] = tr3 + ti4;
        ch[ic - 1 + ido * (1 + cdim * k)] = tr3 - ti4;
        ch[i + ido * (2 + cdim * k)] = tr4 + ti3;
        ch[ic + ido * (1 + cdim * k)] = tr4 - ti3;
      }
    }
  }
}
