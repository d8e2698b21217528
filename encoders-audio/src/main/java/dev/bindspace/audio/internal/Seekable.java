package dev.bindspace.audio.internal;

/** A reader with a known length that can jump to a frame (WAV, in-memory PCM). */
public interface Seekable {
  /** Positions the next read at {@code frame} (0 &lt;= frame &lt;= frames()). */
  void seek(long frame);
}
