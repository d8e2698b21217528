package dev.bindspace.vision;

import dev.bindspace.EncodingException;
import java.util.Objects;

/**
 * An image (or depth/thermal map) file could not be decoded. The message names the source (file
 * path or the name given with the bytes) and says what was wrong; {@link #reason()} classifies it.
 * Decoding never lets a native crash or an unchecked decoder error escape: every failure of ImageIO
 * or FFmpeg on a bad file arrives as this exception.
 */
public final class ImageDecodingException extends EncodingException {
  private static final long serialVersionUID = 1L;

  /** Why decoding failed. */
  public enum Reason {
    /** The file or byte array is empty. */
    EMPTY,
    /** The file cannot be read (missing, a directory, I/O error). */
    UNREADABLE,
    /** The content is not one of the supported formats (whatever the extension says), or uses a codec feature no decoder here supports. */
    UNSUPPORTED_FORMAT,
    /** The header declares more pixels than {@link ImageDecodeOptions#maxPixels()} allows; nothing was decoded. */
    TOO_LARGE,
    /** The content starts like a supported format but is truncated or corrupt. */
    CORRUPT
  }

  private final String source;
  private final Reason reason;

  public ImageDecodingException(String source, Reason reason, String detail, Throwable cause) {
    super(Objects.requireNonNull(source, "source") + ": " + describe(reason) + ": " + detail, cause);
    this.source = source;
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public ImageDecodingException(String source, Reason reason, String detail) {
    this(source, reason, detail, null);
  }

  /** The file path or name of the input that failed. */
  public String source() {
    return source;
  }

  public Reason reason() {
    return reason;
  }

  private static String describe(Reason r) {
    return switch (r) {
      case EMPTY -> "empty image file";
      case UNREADABLE -> "cannot read the image file";
      case UNSUPPORTED_FORMAT -> "unsupported image format";
      case TOO_LARGE -> "image too large";
      case CORRUPT -> "corrupt or truncated image";
    };
  }
}
