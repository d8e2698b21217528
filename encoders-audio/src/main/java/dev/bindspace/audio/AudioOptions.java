package dev.bindspace.audio;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and choices of the audio pipeline; immutable, made by {@link #builder()}.
 *
 * <pre>{@code
 * AudioOptions opts = AudioOptions.builder()
 *     .maxDuration(Duration.ofHours(4))
 *     .decodeTimeout(Duration.ofMinutes(5))
 *     .shortAudio(ShortAudioPolicy.REJECT)
 *     .build();
 * }</pre>
 */
public final class AudioOptions {
  /** Default {@link #maxDuration()}: 4 hours. */
  public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(4);
  /** Default {@link #decodeTimeout()}: 10 minutes per input. */
  public static final Duration DEFAULT_DECODE_TIMEOUT = Duration.ofMinutes(10);

  private static final AudioOptions DEFAULTS = builder().build();

  private final Duration maxDuration;
  private final Duration decodeTimeout;
  private final ShortAudioPolicy shortAudio;

  private AudioOptions(Builder b) {
    this.maxDuration = b.maxDuration;
    this.decodeTimeout = b.decodeTimeout;
    this.shortAudio = b.shortAudio;
  }

  public static AudioOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Inputs longer than this (at their own sample rate) fail with reason {@code TOO_LONG}. */
  public Duration maxDuration() {
    return maxDuration;
  }

  /**
   * Wall-clock limit for decoding one input; checked between decoded blocks, so a single native
   * call is not interrupted. Exceeding it fails with reason {@code TIMEOUT}.
   */
  public Duration decodeTimeout() {
    return decodeTimeout;
  }

  /** What happens to audio shorter than one filterbank window. */
  public ShortAudioPolicy shortAudio() {
    return shortAudio;
  }

  @Override
  public String toString() {
    return "AudioOptions[maxDuration=" + maxDuration + ", decodeTimeout=" + decodeTimeout + ", shortAudio="
        + shortAudio + "]";
  }

  /** Builder of {@link AudioOptions}; every setter is optional. */
  public static final class Builder {
    private Duration maxDuration = DEFAULT_MAX_DURATION;
    private Duration decodeTimeout = DEFAULT_DECODE_TIMEOUT;
    private ShortAudioPolicy shortAudio = ShortAudioPolicy.PAD_WITH_ZEROS;

    private Builder() {}

    public Builder maxDuration(Duration d) {
      this.maxDuration = Objects.requireNonNull(d, "maxDuration");
      return this;
    }

    public Builder decodeTimeout(Duration d) {
      this.decodeTimeout = Objects.requireNonNull(d, "decodeTimeout");
      return this;
    }

    public Builder shortAudio(ShortAudioPolicy p) {
      this.shortAudio = Objects.requireNonNull(p, "shortAudio");
      return this;
    }

    /** @throws IllegalArgumentException if a duration is zero or negative */
    public AudioOptions build() {
      if (maxDuration.isZero() || maxDuration.isNegative()) {
        throw new IllegalArgumentException("maxDuration must be positive, got " + maxDuration);
      }
      if (decodeTimeout.isZero() || decodeTimeout.isNegative()) {
        throw new IllegalArgumentException("decodeTimeout must be positive, got " + decodeTimeout);
      }
      return new AudioOptions(this);
    }
  }
}
