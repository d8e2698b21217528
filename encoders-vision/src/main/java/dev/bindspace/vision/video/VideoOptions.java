package dev.bindspace.vision.video;

import java.time.Duration;
import java.util.Objects;

/**
 * How videos are decoded. Immutable; made by {@link #builder()}, validated at {@link Builder#build()}.
 *
 * <ul>
 *   <li>{@code stallTimeout} (default 30 s): a decode that makes no progress (no packet read, no
 *       frame decoded) for this long fails with {@link VideoTimeoutException} instead of hanging.
 *       It bounds stalls, not the total time: a two-hour film takes as long as it takes.
 *   <li>{@code decoderThreads} (default 1): FFmpeg's decoder thread count ({@code 0} = FFmpeg picks).
 *       Decoded pixels do not depend on it.
 *   <li>{@code clipsInFlight} (default 8): how many preprocessed clips (moments) are batched
 *       through the graph at once by {@link VideoMoments}; with {@code 224²×2×3} views, one clip
 *       of three crops is 3.6 MB.
 * </ul>
 */
public final class VideoOptions {
  private static final VideoOptions DEFAULTS = builder().build();
  private final Duration stallTimeout;
  private final int decoderThreads;
  private final int clipsInFlight;

  private VideoOptions(Builder b) {
    this.stallTimeout = b.stallTimeout;
    this.decoderThreads = b.decoderThreads;
    this.clipsInFlight = b.clipsInFlight;
  }

  public static VideoOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Duration stallTimeout() {
    return stallTimeout;
  }

  public int decoderThreads() {
    return decoderThreads;
  }

  public int clipsInFlight() {
    return clipsInFlight;
  }

  @Override
  public String toString() {
    return "VideoOptions[stallTimeout=" + stallTimeout + ", decoderThreads=" + decoderThreads + ", clipsInFlight="
        + clipsInFlight + "]";
  }

  /** Builder of {@link VideoOptions}. */
  public static final class Builder {
    private Duration stallTimeout = Duration.ofSeconds(30);
    private int decoderThreads = 1;
    private int clipsInFlight = 8;

    private Builder() {}

    public Builder stallTimeout(Duration stallTimeout) {
      this.stallTimeout = Objects.requireNonNull(stallTimeout, "stallTimeout");
      return this;
    }

    public Builder decoderThreads(int decoderThreads) {
      this.decoderThreads = decoderThreads;
      return this;
    }

    public Builder clipsInFlight(int clipsInFlight) {
      this.clipsInFlight = clipsInFlight;
      return this;
    }

    /** @throws IllegalArgumentException naming the bad value */
    public VideoOptions build() {
      if (stallTimeout.isNegative() || stallTimeout.isZero()) {
        throw new IllegalArgumentException("stallTimeout must be positive, found " + stallTimeout);
      }
      if (decoderThreads < 0 || decoderThreads > 64) {
        throw new IllegalArgumentException("decoderThreads must be in [0, 64], found " + decoderThreads);
      }
      if (clipsInFlight < 1 || clipsInFlight > 1024) {
        throw new IllegalArgumentException("clipsInFlight must be in [1, 1024], found " + clipsInFlight);
      }
      return new VideoOptions(this);
    }
  }
}
