package dev.bindspace.onnx;

/**
 * How the per-view outputs of one input (audio clips, video clips x crops) become one raw
 * embedding. {@code views} is how many views the media encoder cuts from one input (1 for a still
 * image, 3 for ImageBind audio, 15 for ImageBind video).
 *
 * <p>ImageBind averages post-processed views and does <em>not</em> re-normalise the mean; that
 * mean is the raw output. The joint embedding is always the raw output scaled to unit norm.
 */
public record Aggregation(Mode mode, int views) {
  /** The aggregation rule. */
  public enum Mode {
    /** Exactly one view per input; nothing to aggregate. */
    NONE,
    /** Element-wise mean of the views' post-processed outputs (no re-normalisation). */
    MEAN
  }

  public Aggregation {
    java.util.Objects.requireNonNull(mode, "mode");
    if (views < 1) {
      throw new IllegalArgumentException("aggregation views must be at least 1, found " + views);
    }
    if (mode == Mode.NONE && views != 1) {
      throw new IllegalArgumentException("aggregation mode none takes exactly 1 view, found " + views);
    }
  }
}
