package dev.bindspace.vision;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable 8-bit RGB image: {@code width × height} pixels, rows top to bottom, each pixel R, G, B
 * (interleaved, {@code 3 × width × height} bytes). The bytes are copied in and out.
 *
 * <pre>{@code
 * RgbImage img = ImageDecoder.defaults().decode(Path.of("cat.jpg"));
 * byte[] rgb = img.toBytes();   // a copy
 * }</pre>
 */
public final class RgbImage {
  private final int width;
  private final int height;
  private final byte[] rgb;

  private RgbImage(int width, int height, byte[] rgb) {
    this.width = width;
    this.height = height;
    this.rgb = rgb;
  }

  /** An image from interleaved RGB bytes (copied). */
  public static RgbImage of(int width, int height, byte[] rgb) {
    Objects.requireNonNull(rgb, "rgb");
    check(width, height, rgb.length);
    return new RgbImage(width, height, rgb.clone());
  }

  /** Wraps without copying; for decoders in this module that hand over a fresh array. */
  static RgbImage wrap(int width, int height, byte[] rgb) {
    check(width, height, rgb.length);
    return new RgbImage(width, height, rgb);
  }

  private static void check(int width, int height, int length) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("width and height must be at least 1, found " + width + "x" + height);
    }
    if ((long) width * height * 3 != length) {
      throw new IllegalArgumentException("expected " + (long) width * height * 3 + " bytes for " + width + "x"
          + height + " RGB, found " + length);
    }
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** A copy of the interleaved RGB bytes. */
  public byte[] toBytes() {
    return rgb.clone();
  }

  /** The value 0..255 of {@code channel} (0 = R, 1 = G, 2 = B) at ({@code x}, {@code y}). */
  public int get(int x, int y, int channel) {
    Objects.checkIndex(x, width);
    Objects.checkIndex(y, height);
    Objects.checkIndex(channel, 3);
    return rgb[(y * width + x) * 3 + channel] & 0xff;
  }

  /** The backing array, not copied; callers inside this module must not modify it. */
  byte[] bytes() {
    return rgb;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RgbImage r && r.width == width && r.height == height && Arrays.equals(r.rgb, rgb);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(rgb);
  }

  @Override
  public String toString() {
    return "RgbImage[" + width + "x" + height + "]";
  }
}
