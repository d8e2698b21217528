package dev.bindspace.vision;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A thermal image for the {@code THERMAL} encoder: an image file (any format {@link ImageDecoder}
 * reads; converted to greyscale like Pillow's {@code convert("L")}), its bytes, 8-bit grey pixels, or an
 * RGB image (converted to luma). Immutable; arrays are copied in.
 *
 * <pre>{@code
 * Embedding e = ThermalEncoder.of(model).embed(ThermalInput.file(Path.of("llvip_0001.jpg")));
 * }</pre>
 */
public final class ThermalInput {

  /** The form of the input. */
  public enum Kind {
    /** An image file ({@link #file(Path)}). */
    FILE,
    /** The bytes of an image file ({@link #bytes(byte[], String)}). */
    BYTES,
    /** 8-bit grey pixels ({@link #grey(int, int, byte[])}). */
    GREY,
    /** RGB pixels, converted to luma ({@link #rgb(RgbImage)}). */
    RGB
  }

  private final Kind kind;
  private final Path path;
  private final byte[] data;
  private final String name;
  private final int width;
  private final int height;
  private final RgbImage rgb;

  private ThermalInput(Kind kind, Path path, byte[] data, String name, int width, int height, RgbImage rgb) {
    this.kind = kind;
    this.path = path;
    this.data = data;
    this.name = name;
    this.width = width;
    this.height = height;
    this.rgb = rgb;
  }

  public static ThermalInput file(Path file) {
    Objects.requireNonNull(file, "file");
    return new ThermalInput(Kind.FILE, file, null, file.toString(), 0, 0, null);
  }

  public static ThermalInput bytes(byte[] data, String name) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(name, "name");
    return new ThermalInput(Kind.BYTES, null, data.clone(), name, 0, 0, null);
  }

  /** 8-bit grey pixels, row-major (copied). */
  public static ThermalInput grey(int width, int height, byte[] grey) {
    Objects.requireNonNull(grey, "grey");
    if (width < 1 || height < 1 || (long) width * height != grey.length) {
      throw new IllegalArgumentException("expected " + (long) width * height + " bytes for " + width + "x" + height
          + ", found " + grey.length);
    }
    return new ThermalInput(Kind.GREY, null, grey.clone(), "grey " + width + "x" + height, width, height, null);
  }

  public static ThermalInput rgb(RgbImage image) {
    Objects.requireNonNull(image, "image");
    return new ThermalInput(Kind.RGB, null, null, image.toString(), 0, 0, image);
  }

  public Kind kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  Path path() {
    return path;
  }

  byte[] dataArray() {
    return data;
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  RgbImage rgbImage() {
    return rgb;
  }

  @Override
  public String toString() {
    return "ThermalInput[" + kind + ", " + name + "]";
  }
}
