package dev.bindspace.vision.internal;

/**
 * Small readers of container headers that ImageIO does not cover: WebP canvas size, GIF logical
 * screen size, JPEG markers (Adobe APP14 transform, EXIF orientation).
 */
public final class Headers {
  private Headers() {
  }

  /** A width and height read from a header; {@code null} from the readers means "not found". */
  public record Size(long width, long height) {
    public long pixels() {
      return width * height;
    }
  }

  /**
   * WebP canvas size: {@code VP8X} (24-bit width-1, height-1 at offsets 24 and 27), {@code VP8L}
   * (14-bit width-1, height-1 packed after the 0x2F signature at offset 21) or {@code VP8 } (14-bit
   * width, height after the key-frame start code at offset 26).
   */
  public static Size webp(byte[] d) {
    if (d.length < 30) {
      return null;
    }
    String fourcc = new String(d, 12, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
    switch (fourcc) {
      case "VP8X":
        return new Size(1 + u24(d, 24), 1 + u24(d, 27));
      case "VP8L":
        if ((d[20] & 0xff) != 0x2F) {
          return null;
        }
        long bits = (d[21] & 0xffL) | (d[22] & 0xffL) << 8 | (d[23] & 0xffL) << 16 | (d[24] & 0xffL) << 24;
        return new Size(1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF));
      case "VP8 ":
        if ((d[23] & 0xff) != 0x9D || (d[24] & 0xff) != 0x01 || (d[25] & 0xff) != 0x2A) {
          return null;
        }
        return new Size(u16(d, 26) & 0x3FFF, u16(d, 28) & 0x3FFF);
      default:
        return null;
    }
  }

  /**
   * BMP size from the DIB header: {@code BITMAPCOREHEADER} (size 12: 16-bit width, height at 18, 20) or
   * later headers (signed 32-bit width, height at 18, 22; negative height = top-down).
   */
  public static Size bmp(byte[] d) {
    if (d.length < 26) {
      return null;
    }
    long hdr = (d[14] & 0xffL) | (d[15] & 0xffL) << 8 | (d[16] & 0xffL) << 16 | (d[17] & 0xffL) << 24;
    if (hdr == 12) {
      return new Size(u16(d, 18), u16(d, 20));
    }
    int w = (d[18] & 0xff) | (d[19] & 0xff) << 8 | (d[20] & 0xff) << 16 | (d[21] & 0xff) << 24;
    int h = (d[22] & 0xff) | (d[23] & 0xff) << 8 | (d[24] & 0xff) << 16 | (d[25] & 0xff) << 24;
    return new Size(Math.abs((long) w), Math.abs((long) h));
  }

  /** GIF logical screen size (little-endian 16-bit at offsets 6 and 8). */
  public static Size gifScreen(byte[] d) {
    if (d.length < 10) {
      return null;
    }
    return new Size(u16(d, 6), u16(d, 8));
  }

  /** What the JPEG markers before the first scan say. */
  public record JpegInfo(int components, int adobeTransform, int exifOrientation, boolean icc, int width,
      int height) {
  }

  /**
   * Walks the JPEG markers up to SOS: component count from SOFn, the Adobe APP14 transform flag
   * ({@code -1} without an Adobe marker), the EXIF Orientation tag of IFD0 ({@code 1} if absent) and
   * whether an {@code ICC_PROFILE} APP2 segment is present.
   */
  public static JpegInfo jpeg(byte[] d) {
    int components = 0;
    int adobe = -1;
    int orientation = 1;
    boolean icc = false;
    int width = 0;
    int height = 0;
    int p = 2;
    while (p + 4 <= d.length) {
      if ((d[p] & 0xff) != 0xFF) {
        break;
      }
      int marker = d[p + 1] & 0xff;
      if (marker == 0xFF) {
        p++;
        continue;
      }
      if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
        p += 2;
        continue;
      }
      int len = u16be(d, p + 2);
      int body = p + 4;
      if (len < 2 || body + len - 2 > d.length) {
        break;
      }
      if (marker == 0xDA || marker == 0xD9) {
        break;
      }
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC && len >= 8) {
        height = u16be(d, body + 1);
        width = u16be(d, body + 3);
        components = d[body + 5] & 0xff;
      } else if (marker == 0xEE && len >= 14 && d[body] == 'A' && d[body + 1] == 'd' && d[body + 2] == 'o'
          && d[body + 3] == 'b' && d[body + 4] == 'e') {
        adobe = d[body + 11] & 0xff;
      } else if (marker == 0xE2 && len >= 14 && new String(d, body, 11, java.nio.charset.StandardCharsets.ISO_8859_1)
          .equals("ICC_PROFILE")) {
        icc = true;
      } else if (marker == 0xE1 && len >= 16 && d[body] == 'E' && d[body + 1] == 'x' && d[body + 2] == 'i'
          && d[body + 3] == 'f' && d[body + 4] == 0 && d[body + 5] == 0) {
        int o = exifOrientation(d, body + 6, body + len - 2);
        if (o > 0) {
          orientation = o;
        }
      }
      p = body + len - 2;
    }
    return new JpegInfo(components, adobe, orientation, icc, width, height);
  }

  /** Orientation (tag 0x0112) of IFD0 in the TIFF structure at {@code [start, end)}; 0 if absent. */
  static int exifOrientation(byte[] d, int start, int end) {
    if (end - start < 8) {
      return 0;
    }
    boolean le;
    if (d[start] == 'I' && d[start + 1] == 'I') {
      le = true;
    } else if (d[start] == 'M' && d[start + 1] == 'M') {
      le = false;
    } else {
      return 0;
    }
    long ifd = start + u32(d, start + 4, le);
    if (ifd + 2 > end) {
      return 0;
    }
    int n = u16(d, (int) ifd, le);
    for (int i = 0; i < n; i++) {
      long e = ifd + 2 + 12L * i;
      if (e + 12 > end) {
        return 0;
      }
      if (u16(d, (int) e, le) == 0x0112) {
        int v = u16(d, (int) e + 8, le);
        return v >= 1 && v <= 8 ? v : 0;
      }
    }
    return 0;
  }

  private static int u16(byte[] d, int p) {
    return (d[p] & 0xff) | (d[p + 1] & 0xff) << 8;
  }

  private static int u16be(byte[] d, int p) {
    return (d[p] & 0xff) << 8 | (d[p + 1] & 0xff);
  }

  private static int u16(byte[] d, int p, boolean le) {
    return le ? u16(d, p) : u16be(d, p);
  }

  private static long u32(byte[] d, int p, boolean le) {
    if (le) {
      return (d[p] & 0xffL) | (d[p + 1] & 0xffL) << 8 | (d[p + 2] & 0xffL) << 16 | (d[p + 3] & 0xffL) << 24;
    }
    return (d[p] & 0xffL) << 24 | (d[p + 1] & 0xffL) << 16 | (d[p + 2] & 0xffL) << 8 | (d[p + 3] & 0xffL);
  }

  private static long u24(byte[] d, int p) {
    return (d[p] & 0xffL) | (d[p + 1] & 0xffL) << 8 | (d[p + 2] & 0xffL) << 16;
  }
}
