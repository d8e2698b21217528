package dev.bindspace.cli.internal;

import dev.bindspace.MediaKind;

/** {@code --modality} of embed and classify: detect from the file, or force a kind. */
public enum KindOption {
  AUTO(null), TEXT(MediaKind.TEXT), IMAGE(MediaKind.IMAGE), AUDIO(MediaKind.AUDIO), VIDEO(MediaKind.VIDEO),
  DEPTH(MediaKind.DEPTH), THERMAL(MediaKind.THERMAL), IMU(MediaKind.IMU);

  private final MediaKind kind;

  KindOption(MediaKind kind) {
    this.kind = kind;
  }

  /** The forced kind; null for {@link #AUTO}. */
  public MediaKind kind() {
    return kind;
  }
}
