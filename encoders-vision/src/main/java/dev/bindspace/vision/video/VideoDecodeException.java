package dev.bindspace.vision.video;

import dev.bindspace.EncodingException;
import java.util.Objects;

/**
 * A video could not be decoded: missing, empty, truncated or corrupt file, no video stream, a codec
 * FFmpeg cannot decode. The message names the file and the reason.
 */
public class VideoDecodeException extends EncodingException {
  private static final long serialVersionUID = 1L;
  private final String source;

  public VideoDecodeException(String source, String reason) {
    super(Objects.requireNonNull(source, "source") + ": " + reason);
    this.source = source;
  }

  public VideoDecodeException(String source, String reason, Throwable cause) {
    super(Objects.requireNonNull(source, "source") + ": " + reason, cause);
    this.source = source;
  }

  /** The file (or frame source) that failed, as given. */
  public String source() {
    return source;
  }
}
