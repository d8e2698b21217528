package dev.bindspace.vision;

import dev.bindspace.vision.ImageDecodingException.Reason;
import dev.bindspace.vision.internal.Pixels;
import dev.bindspace.vision.internal.StillImageDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Decodes still images to RGB exactly as Pillow 9.4's {@code Image.open(f).convert("RGB")} does (the
 * first step of ImageBind's {@code load_and_transform_vision_data}). The format is recognised from
 * the content, not the file name: JPEG (baseline, progressive, greyscale, CMYK/YCCK), PNG (1–16 bit,
 * grey, RGB, palette, alpha), GIF (first frame), BMP and TIFF via the JDK's ImageIO; WebP via FFmpeg.
 * Mode rules: alpha is dropped without compositing, palette transparency ignored, 16-bit grey clipped
 * to 0..255, other 16-bit samples keep their high byte, CMYK uses Pillow's naive formula, no ICC
 * profile or gamma is applied, EXIF orientation only if {@link ImageDecodeOptions} asks for it.
 * See {@code docs/vision-encoder.md} for the table. Stateless and thread-safe.
 *
 * <pre>{@code
 * RgbImage img = ImageDecoder.defaults().decode(Path.of("photo.jpg"));
 * }</pre>
 */
public final class ImageDecoder {
  private static final ImageDecoder DEFAULT = new ImageDecoder(ImageDecodeOptions.defaults());

  private final ImageDecodeOptions options;

  private ImageDecoder(ImageDecodeOptions options) {
    this.options = options;
  }

  /** Pillow/ImageBind behaviour, 100-megapixel limit. */
  public static ImageDecoder defaults() {
    return DEFAULT;
  }

  public static ImageDecoder of(ImageDecodeOptions options) {
    return new ImageDecoder(Objects.requireNonNull(options, "options"));
  }

  public ImageDecodeOptions options() {
    return options;
  }

  /**
   * Decodes a file.
   *
   * @throws ImageDecodingException naming the file if it is missing, empty, too large, corrupt or of an
   *     unsupported format
   */
  public RgbImage decode(Path file) {
    Pixels p = decodePixels(file);
    return RgbImage.wrap(p.width(), p.height(), p.rgb());
  }

  /**
   * Decodes an in-memory file; {@code name} is used in error messages only.
   *
   * @throws ImageDecodingException naming {@code name}
   */
  public RgbImage decode(byte[] data, String name) {
    Pixels p = decodePixels(data, name);
    return RgbImage.wrap(p.width(), p.height(), p.rgb());
  }

  /** Like {@link #decode(Path)} but keeps greyscale sources single-channel; for this module. */
  Pixels decodePixels(Path file) {
    Objects.requireNonNull(file, "file");
    return StillImageDecoder.decode(read(file), file.toString(), options);
  }

  Pixels decodePixels(byte[] data, String name) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(name, "name");
    return StillImageDecoder.decode(data, name, options);
  }

  static byte[] read(Path file) {
    String source = file.toString();
    try {
      if (Files.isDirectory(file)) {
        throw new ImageDecodingException(source, Reason.UNREADABLE, "is a directory");
      }
      long size = Files.size(file);
      if (size > Integer.MAX_VALUE - 16) {
        throw new ImageDecodingException(source, Reason.TOO_LARGE, "the file has " + size + " bytes");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ImageDecodingException(source, Reason.UNREADABLE, "no such file", e);
    } catch (IOException e) {
      throw new ImageDecodingException(source, Reason.UNREADABLE, e.toString(), e);
    }
  }
}
