package dev.bindspace.audio;

import dev.bindspace.EncodingException;
import java.util.Objects;

/**
 * An audio input could not be decoded or preprocessed: the message names the file (or
 * {@code "pcm input"}) and says what was wrong; {@link #reason()} classifies it.
 */
public final class AudioDecodingException extends EncodingException {
  private static final long serialVersionUID = 1L;

  /** Why decoding failed. */
  public enum Reason {
    /** The bytes are not a valid file of the format they claim (bad header, truncated data, garbage). */
    CORRUPT,
    /** A valid container whose codec or sample layout this module does not decode. */
    UNSUPPORTED,
    /** The file has no audio samples at all (or no audio stream). */
    EMPTY,
    /** Shorter than one filterbank window while {@link ShortAudioPolicy#REJECT} is set. */
    TOO_SHORT,
    /** Longer than {@link AudioOptions#maxDuration()}. */
    TOO_LONG,
    /** Decoding took longer than {@link AudioOptions#decodeTimeout()}. */
    TIMEOUT,
    /** The file could not be read (missing, permissions, I/O error). */
    IO
  }

  private final String source;
  private final Reason reason;

  public AudioDecodingException(String source, Reason reason, String message) {
    this(source, reason, message, null);
  }

  public AudioDecodingException(String source, Reason reason, String message, Throwable cause) {
    super(source + ": " + message, cause);
    this.source = Objects.requireNonNull(source, "source");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The file path (or {@code "pcm input"}) the error is about. */
  public String source() {
    return source;
  }

  public Reason reason() {
    return reason;
  }
}
