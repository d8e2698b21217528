package dev.bindspace.cli.internal;

/** How a long audio or video file is embedded. */
public enum Granularity {
  /** One embedding for the whole file. */
  WHOLE,
  /**
   * One embedding per window ("moment"), each with its start and end seconds, where the encoder
   * supports it; other files still get one embedding.
   */
  MOMENTS
}
