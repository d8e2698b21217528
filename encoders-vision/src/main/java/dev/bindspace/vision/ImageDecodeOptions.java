package dev.bindspace.vision;

/**
 * How images are decoded: the pixel limit checked against the header before any pixel is decoded,
 * and whether the EXIF orientation is applied. Immutable; {@link #defaults()} is what ImageBind does
 * (no EXIF rotation) with a 100-megapixel limit.
 *
 * <pre>{@code
 * ImageDecodeOptions o = ImageDecodeOptions.builder().maxPixels(20_000_000).exifOrientation(ExifOrientation.APPLY).build();
 * }</pre>
 */
public final class ImageDecodeOptions {
  /** Default {@link #maxPixels()}: 100 megapixels. */
  public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

  private static final ImageDecodeOptions DEFAULTS = builder().build();

  /** What to do with an EXIF {@code Orientation} tag. */
  public enum ExifOrientation {
    /** Use the pixels as stored (ImageBind: {@code data.py} calls no {@code exif_transpose}). */
    IGNORE,
    /** Rotate/mirror as the tag says, like Pillow's {@code ImageOps.exif_transpose} (JPEG files only). */
    APPLY
  }

  private final long maxPixels;
  private final ExifOrientation exifOrientation;

  private ImageDecodeOptions(Builder b) {
    this.maxPixels = b.maxPixels;
    this.exifOrientation = b.exifOrientation;
  }

  public static ImageDecodeOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Images whose header declares more than this many pixels (width × height) are refused undecoded. */
  public long maxPixels() {
    return maxPixels;
  }

  public ExifOrientation exifOrientation() {
    return exifOrientation;
  }

  @Override
  public String toString() {
    return "ImageDecodeOptions[maxPixels=" + maxPixels + ", exifOrientation=" + exifOrientation + "]";
  }

  /** Builder; every setter is optional. */
  public static final class Builder {
    private long maxPixels = DEFAULT_MAX_PIXELS;
    private ExifOrientation exifOrientation = ExifOrientation.IGNORE;

    private Builder() {
    }

    public Builder maxPixels(long maxPixels) {
      this.maxPixels = maxPixels;
      return this;
    }

    public Builder exifOrientation(ExifOrientation exifOrientation) {
      this.exifOrientation = exifOrientation;
      return this;
    }

    public ImageDecodeOptions build() {
      if (maxPixels < 1) {
        throw new IllegalArgumentException("maxPixels must be at least 1, found " + maxPixels);
      }
      if (exifOrientation == null) {
        throw new IllegalArgumentException("exifOrientation must not be null");
      }
      return new ImageDecodeOptions(this);
    }
  }
}
