package dev.bindspace.vision.internal;

/**
 * A decoded 8-bit image as Pillow would hold it after {@code convert}: 1 channel (Pillow mode
 * {@code L}, for greyscale sources) or 3 interleaved channels (mode {@code RGB}). Greyscale sources stay
 * single-channel so that {@code convert("L")} of them is the identity, as in Pillow.
 */
public final class Pixels {
  private final int width;
  private final int height;
  private final int channels;
  private final byte[] data;

  public Pixels(int width, int height, int channels, byte[] data) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, found " + channels);
    }
    if ((long) width * height * channels != data.length) {
      throw new IllegalArgumentException("expected " + (long) width * height * channels + " bytes, found "
          + data.length);
    }
    this.width = width;
    this.height = height;
    this.channels = channels;
    this.data = data;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int channels() {
    return channels;
  }

  /** The backing array (not copied). */
  public byte[] data() {
    return data;
  }

  /** Pillow's {@code convert("RGB")}: a grey channel is replicated; RGB is returned as is (not copied). */
  public byte[] rgb() {
    if (channels == 3) {
      return data;
    }
    byte[] out = new byte[data.length * 3];
    for (int i = 0, o = 0; i < data.length; i++, o += 3) {
      out[o] = data[i];
      out[o + 1] = data[i];
      out[o + 2] = data[i];
    }
    return out;
  }

  /**
   * Pillow's {@code convert("L")}: grey is returned as is; RGB becomes ITU-R 601-2 luma in Pillow's
   * fixed point, {@code (R·19595 + G·38470 + B·7471 + 0x8000) >> 16} ({@code L24} in Convert.c).
   */
  public byte[] luma() {
    if (channels == 1) {
      return data;
    }
    return luma(data);
  }

  /** {@link #luma()} of interleaved RGB bytes. */
  public static byte[] luma(byte[] rgb) {
    byte[] out = new byte[rgb.length / 3];
    for (int i = 0, p = 0; i < out.length; i++, p += 3) {
      out[i] = (byte) (((rgb[p] & 0xff) * 19595 + (rgb[p + 1] & 0xff) * 38470 + (rgb[p + 2] & 0xff) * 7471
          + 0x8000) >> 16);
    }
    return out;
  }
}
