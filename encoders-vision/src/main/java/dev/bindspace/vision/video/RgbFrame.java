package dev.bindspace.vision.video;

import java.util.Objects;

/**
 * One video frame as packed 8-bit RGB: {@code height} rows of {@code width × 3} bytes, top row
 * first, each pixel R, G, B (the layout of FFmpeg's {@code rgb24}). Immutable; the bytes are
 * copied in and out.
 */
public final class RgbFrame {
  private final int width;
  private final int height;
  private final byte[] rgb;

  private RgbFrame(int width, int height, byte[] rgb) {
    this.width = width;
    this.height = height;
    this.rgb = rgb;
  }

  /**
   * A frame from packed RGB bytes.
   *
   * @throws IllegalArgumentException if a side is not positive or {@code rgb.length != width * height * 3}
   */
  public static RgbFrame of(int width, int height, byte[] rgb) {
    Objects.requireNonNull(rgb, "rgb");
    check(width, height, rgb.length);
    return new RgbFrame(width, height, rgb.clone());
  }

  private static void check(int width, int height, int length) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("frame size must be positive, found " + width + "x" + height);
    }
    if ((long) width * height * 3 != length) {
      throw new IllegalArgumentException("a " + width + "x" + height + " RGB frame needs " + (long) width * height * 3
          + " bytes, found " + length);
    }
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** A copy of the packed RGB bytes. */
  public byte[] rgb() {
    return rgb.clone();
  }

  @Override
  public String toString() {
    return "RgbFrame[" + width + "x" + height + "]";
  }
}
