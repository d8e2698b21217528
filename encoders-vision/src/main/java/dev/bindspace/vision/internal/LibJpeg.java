package dev.bindspace.vision.internal;

/** The parts of libjpeg(-turbo)'s colour conversion that ImageIO's raw raster path skips. */
final class LibJpeg {
  private static final int SCALEBITS = 16;
  private static final int ONE_HALF = 1 << (SCALEBITS - 1);
  private static final int[] CR_R = new int[256];
  private static final int[] CB_B = new int[256];
  private static final int[] CR_G = new int[256];
  private static final int[] CB_G = new int[256];

  static {
    // jdcolor.c build_ycc_rgb_table
    for (int i = 0, x = -128; i <= 255; i++, x++) {
      CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALEBITS;
      CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALEBITS;
      CR_G[i] = -fix(0.71414) * x;
      CB_G[i] = -fix(0.34414) * x + ONE_HALF;
    }
  }

  private LibJpeg() {
  }

  private static int fix(double v) {
    return (int) (v * (1L << SCALEBITS) + 0.5);
  }

  private static int limit(int v) {
    return v < 0 ? 0 : (v > 255 ? 255 : v);
  }

  /** jdcolor.c {@code ycc_rgb_convert} of one pixel into {@code out[o..o+2]}. */
  static void yccToRgb(int y, int cb, int cr, byte[] out, int o) {
    out[o] = (byte) limit(y + CR_R[cr]);
    out[o + 1] = (byte) limit(y + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS));
    out[o + 2] = (byte) limit(y + CB_B[cb]);
  }

  /** jdcolor.c {@code ycck_cmyk_convert}: Y, Cb, Cr, K to C, M, Y, K in {@code out}. */
  static void ycckToCmyk(int y, int cb, int cr, int k, int[] out) {
    out[0] = limit(255 - (y + CR_R[cr]));
    out[1] = limit(255 - (y + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS)));
    out[2] = limit(255 - (y + CB_B[cb]));
    out[3] = k;
  }
}
