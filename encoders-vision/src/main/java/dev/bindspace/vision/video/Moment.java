package dev.bindspace.vision.video;

import dev.bindspace.Embedding;
import dev.bindspace.onnx.EmbeddingResult;
import java.util.Objects;

/**
 * One window of a long video: where it is ({@code [startSeconds, endSeconds]}, frame time
 * {@code index / fps}) and its embedding ({@link #embedding()} unit-norm for search,
 * {@link #result()} with the model's raw output).
 */
public record Moment(double startSeconds, double endSeconds, EmbeddingResult result) {
  public Moment {
    Objects.requireNonNull(result, "result");
    if (!(startSeconds >= 0 && endSeconds >= startSeconds)) {
      throw new IllegalArgumentException("bad moment bounds [" + startSeconds + ", " + endSeconds + "]");
    }
  }

  /** The joint (unit-norm) embedding. */
  public Embedding embedding() {
    return result.joint();
  }
}
