package dev.bindspace.audio.internal;

/**
 * {@code cos} and {@code sin} of a float as torch 1.13 computes it on x86-64 CPUs ({@code Vectorized<float>::cos()} =
 * SLEEF's {@code cosf_u10} on AVX2, with fused multiply-adds): Cody-Waite reduction by a
 * three-part pi/2, a double-float polynomial. This is not correctly rounded (up to 1 ulp off) and
 * the window of {@code torch.hann_window} inherits those last bits; the Kaldi fbank's low-energy
 * cells are sensitive enough to them (~1e-4 after normalisation) that the window is rebuilt with the
 * same arithmetic. Valid for {@code |d| < 125}; larger arguments fall back to {@code Math.cos}.
 */
final class SleefCos {
  private static final float PI_A2F = 3.1414794921875f;
  private static final float PI_B2F = 0.00011315941810607910156f;
  private static final float PI_C2F = 1.9841872589410058936e-09f;
  private static final float TRIGRANGEMAX2F = 125.0f;

  private SleefCos() {}

  static float cos(float d) {
    if (!(Math.abs(d) < TRIGRANGEMAX2F)) {
      return (float) Math.cos(d);
    }
    float dq = Math.fma((float) Math.rint(Math.fma(d, (float) (1 / Math.PI), -0.5f)), 2f, 1f);
    int q = (int) Math.rint(dq);
    // s = dfadd2(d, dq * (-PI_A2f*0.5f)), then two more dfadd2 with the B and C parts
    float[] s = dfadd2(d, 0f, dq * (-PI_A2F * 0.5f), true);
    s = dfadd2(s[0], s[1], dq * (-PI_B2F * 0.5f), false);
    s = dfadd2(s[0], s[1], dq * (-PI_C2F * 0.5f), false);
    float r = poly(s[0], s[1]);
    if ((q & 2) == 0) {
      r = -r;
    }
    return r;
  }

  /** SLEEF's {@code sinf_u10} (AVX2, fused multiply-adds) for {@code |d| < 125}; else {@code Math.sin}. */
  static float sin(float d) {
    if (!(Math.abs(d) < TRIGRANGEMAX2F)) {
      return (float) Math.sin(d);
    }
    float u0 = (float) Math.rint(d * (float) (1 / Math.PI));
    int q = (int) u0;
    float v = Math.fma(u0, -PI_A2F, d);
    float[] s = dfadd2(v, 0f, u0 * -PI_B2F, true);
    // dfadd_vf2_vf2_vf
    float y = u0 * -PI_C2F;
    float rx = s[0] + y;
    float ry = ((s[0] - rx) + y) + s[1];
    float r = poly(rx, ry);
    if ((q & 1) == 1) {
      r = -r;
    }
    if (d == 0f && Float.floatToRawIntBits(d) != 0) {
      return d;
    }
    return r;
  }

  /** The shared double-float polynomial of sinf_u1/cosf_u1 on the reduced argument (tx, ty). */
  private static float poly(float tx, float ty) {
    float sx = tx * tx;
    float sy = Math.fma(tx + tx, ty, Math.fma(tx, tx, -sx));
    float u = 2.6083159809786593541503e-06f;
    u = Math.fma(u, sx, -0.0001981069071916863322258f);
    u = Math.fma(u, sx, 0.00833307858556509017944336f);
    float ax = -0.166666597127914428710938f;
    float ay = u * sx;
    float px = ax + ay;
    float py = (ax - px) + ay;
    float mx = px * sx;
    float my = Math.fma(px, sy, Math.fma(py, sx, Math.fma(px, sx, -mx)));
    float xx = 1f + mx;
    float xy = ((1f - xx) + mx) + my;
    return Math.fma(tx, xx, Math.fma(ty, xx, tx * xy));
  }

  /** dfadd2 of (xh, xl) and y; {@code single} for the (vf, vf) variant without the low part. */
  private static float[] dfadd2(float xh, float xl, float y, boolean single) {
    float rx = xh + y;
    float v = rx - xh;
    float ry = (xh - (rx - v)) + (y - v);
    if (!single) {
      ry = ry + xl;
    }
    return new float[] {rx, ry};
  }
}
