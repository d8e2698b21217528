package dev.bindspace;

/**
 * The six input modalities of ImageBind, one encoder tower each.
 *
 * <p>Video has no modality of its own: as in ImageBind, a video is a set of {@link #VISION} clips
 * embedded by the vision tower and averaged. The finer distinction between a still image and a
 * video is carried by {@link MediaKind} ({@link MediaKind#IMAGE} vs {@link MediaKind#VIDEO}), which
 * every {@link Embedding} and every index entry records.
 */
public enum Modality {
  TEXT,
  VISION,
  AUDIO,
  DEPTH,
  THERMAL,
  IMU;
}
