package dev.bindspace.audio;

import dev.bindspace.Embedding;
import java.time.Duration;
import java.util.Objects;

/**
 * One window of a long recording and its embedding (the joint, normalised one), as produced by
 * {@link AudioMoments}. {@code start} and {@code end} are offsets from the beginning of the input.
 */
public record Moment(Duration start, Duration end, Embedding embedding) {
  public Moment {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(embedding, "embedding");
    if (end.compareTo(start) <= 0) {
      throw new IllegalArgumentException("moment end " + end + " must be after its start " + start);
    }
  }
}
