package dev.bindspace.cli.internal;

import dev.bindspace.Embedding;
import dev.bindspace.MediaKind;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One embedding the CLI computed: a whole file (no times) or one moment of a long audio or video file
 * (start and end in seconds from the start of the file).
 *
 * @param media what was embedded
 * @param joint the unit-norm joint embedding (what is indexed and searched)
 * @param raw the model's raw output when the encoder exposes it (see docs/bundle-format.md)
 * @param start start of the moment in seconds, empty for a whole file
 * @param end end of the moment in seconds, empty for a whole file
 */
public record EmbeddedItem(MediaKind media, Embedding joint, Optional<Embedding> raw, OptionalDouble start,
    OptionalDouble end) {

  public EmbeddedItem {
    Objects.requireNonNull(media, "media");
    Objects.requireNonNull(joint, "joint");
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (start.isPresent() != end.isPresent()) {
      throw new IllegalArgumentException("a moment needs both start and end, got start " + start + ", end " + end);
    }
    if (start.isPresent() && !(start.getAsDouble() >= 0 && end.getAsDouble() >= start.getAsDouble())) {
      throw new IllegalArgumentException("moment times must satisfy 0 <= start <= end, got " + start.getAsDouble()
          + " and " + end.getAsDouble());
    }
  }

  /** A whole-file item. */
  public static EmbeddedItem whole(MediaKind media, Embedding joint, Optional<Embedding> raw) {
    return new EmbeddedItem(media, joint, raw, OptionalDouble.empty(), OptionalDouble.empty());
  }

  /** A moment from {@code start} to {@code end} seconds. */
  public static EmbeddedItem moment(MediaKind media, Embedding joint, Optional<Embedding> raw, double start,
      double end) {
    return new EmbeddedItem(media, joint, raw, OptionalDouble.of(start), OptionalDouble.of(end));
  }

  /** Whether this item is a moment of a longer file. */
  public boolean isMoment() {
    return start.isPresent();
  }
}
