package dev.bindspace.vision.internal;

/**
 * libwebp's YUV 4:2:0 → RGB output path (what Pillow's WebP plugin gets from {@code WebPDecode}):
 * "fancy" chroma upsampling ({@code src/dsp/upsampling.c} {@code UPSAMPLE_FUNC}, rows driven as in
 * {@code src/dec/io_dec.c} {@code EmitFancyRGB}) and the 14-bit fixed-point conversion of
 * {@code src/dsp/yuv.h} ({@code VP8YUVToR/G/B}). The Y, U, V samples themselves come from FFmpeg's VP8
 * decoder, which the VP8 specification makes bit-exact with libwebp's.
 */
final class LibWebp {
  private LibWebp() {
  }

  private static int multHi(int v, int coeff) {
    return (v * coeff) >> 8;
  }

  private static int clip8(int v) {
    // YUV_FIX2 = 6, YUV_MASK2 = (256 << 6) - 1
    return (v & ~16383) == 0 ? (v >> 6) : (v < 0 ? 0 : 255);
  }

  private static void put(int y, int u, int v, byte[] out, int o) {
    out[o] = (byte) clip8(multHi(y, 19077) + multHi(v, 26149) - 14234);
    out[o + 1] = (byte) clip8(multHi(y, 19077) - multHi(u, 6419) - multHi(v, 13320) + 8708);
    out[o + 2] = (byte) clip8(multHi(y, 19077) + multHi(u, 33050) - 17685);
  }

  /**
   * Converts planes ({@code y} with stride {@code ys}; {@code u}, {@code v} with stride {@code uvs}, at
   * half resolution rounded up) of a {@code w × h} picture to interleaved RGB.
   */
  static byte[] toRgb(byte[] y, int ys, byte[] u, byte[] v, int uvs, int w, int h) {
    byte[] out = new byte[w * h * 3];
    // first row: the chroma row mirrored onto itself
    linePair(y, 0, -1, u, v, 0, 0, out, 0, -1, w);
    int row = 0;
    for (; row + 2 < h; row += 2) {
      int uvTop = (row / 2) * uvs;
      int uvCur = uvTop + uvs;
      linePair(y, (row + 1) * ys, (row + 2) * ys, u, v, uvTop, uvCur, out, (row + 1) * w * 3, (row + 2) * w * 3, w);
    }
    if ((h & 1) == 0) {
      // last row of an even-height picture
      int uvRow = (h / 2 - 1) * uvs;
      linePair(y, (h - 1) * ys, -1, u, v, uvRow, uvRow, out, (h - 1) * w * 3, -1, w);
    }
    return out;
  }

  /** {@code UPSAMPLE_FUNC} for one pair of output rows (bottom absent when {@code bottomY < 0}). */
  private static void linePair(byte[] y, int topY, int bottomY, byte[] u, byte[] v, int topUv, int curUv,
      byte[] out, int topDst, int bottomDst, int len) {
    int lastPair = (len - 1) >> 1;
    int tlU = u[topUv] & 0xff;
    int tlV = v[topUv] & 0xff;
    int lU = u[curUv] & 0xff;
    int lV = v[curUv] & 0xff;
    put(y[topY] & 0xff, (3 * tlU + lU + 2) >> 2, (3 * tlV + lV + 2) >> 2, out, topDst);
    if (bottomY >= 0) {
      put(y[bottomY] & 0xff, (3 * lU + tlU + 2) >> 2, (3 * lV + tlV + 2) >> 2, out, bottomDst);
    }
    for (int x = 1; x <= lastPair; x++) {
      int tU = u[topUv + x] & 0xff;
      int tV = v[topUv + x] & 0xff;
      int cU = u[curUv + x] & 0xff;
      int cV = v[curUv + x] & 0xff;
      int avgU = tlU + tU + lU + cU + 8;
      int avgV = tlV + tV + lV + cV + 8;
      int d12U = (avgU + 2 * (tU + lU)) >> 3;
      int d12V = (avgV + 2 * (tV + lV)) >> 3;
      int d03U = (avgU + 2 * (tlU + cU)) >> 3;
      int d03V = (avgV + 2 * (tlV + cV)) >> 3;
      put(y[topY + 2 * x - 1] & 0xff, (d12U + tlU) >> 1, (d12V + tlV) >> 1, out, topDst + (2 * x - 1) * 3);
      put(y[topY + 2 * x] & 0xff, (d03U + tU) >> 1, (d03V + tV) >> 1, out, topDst + 2 * x * 3);
      if (bottomY >= 0) {
        put(y[bottomY + 2 * x - 1] & 0xff, (d03U + lU) >> 1, (d03V + lV) >> 1, out, bottomDst + (2 * x - 1) * 3);
        put(y[bottomY + 2 * x] & 0xff, (d12U + cU) >> 1, (d12V + cV) >> 1, out, bottomDst + 2 * x * 3);
      }
      tlU = tU;
      tlV = tV;
      lU = cU;
      lV = cV;
    }
    if ((len & 1) == 0) {
      put(y[topY + len - 1] & 0xff, (3 * tlU + lU + 2) >> 2, (3 * tlV + lV + 2) >> 2, out, topDst + (len - 1) * 3);
      if (bottomY >= 0) {
        put(y[bottomY + len - 1] & 0xff, (3 * lU + tlU + 2) >> 2, (3 * lV + tlV + 2) >> 2, out,
            bottomDst + (len - 1) * 3);
      }
    }
  }
}
