package dev.bindspace.onnx;

import java.util.Locale;

/** Element types a bundle graph may take or produce; the manifest spells them in lower case. */
public enum TensorType {
  /** 32-bit IEEE float ({@code float32}). */
  FLOAT32,
  /** 64-bit signed integer ({@code int64}), e.g. token ids. */
  INT64;

  /** The manifest spelling, e.g. {@code float32}. */
  public String manifestName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
