package dev.bindspace.vision.internal;

/** EXIF orientation applied like Pillow's {@code ImageOps.exif_transpose}. */
public final class Orientation {
  private Orientation() {
  }

  /**
   * Returns {@code p} transformed for EXIF orientation {@code o} (1..8): 2 mirror, 3 rotate 180,
   * 4 flip, 5 transpose, 6 rotate 90° clockwise, 7 transverse, 8 rotate 90° counter-clockwise;
   * other values leave it unchanged.
   */
  public static Pixels apply(Pixels p, int o) {
    if (o < 2 || o > 8) {
      return p;
    }
    int w = p.width();
    int h = p.height();
    int c = p.channels();
    boolean swap = o >= 5;
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    byte[] in = p.data();
    byte[] out = new byte[in.length];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        int sx;
        int sy;
        switch (o) {
          case 2 -> { sx = w - 1 - x; sy = y; }
          case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
          case 4 -> { sx = x; sy = h - 1 - y; }
          case 5 -> { sx = y; sy = x; }
          case 6 -> { sx = y; sy = h - 1 - x; }
          case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
          default -> { sx = w - 1 - y; sy = x; }
        }
        System.arraycopy(in, (sy * w + sx) * c, out, (y * ow + x) * c, c);
      }
    }
    return new Pixels(ow, oh, c, out);
  }
}
