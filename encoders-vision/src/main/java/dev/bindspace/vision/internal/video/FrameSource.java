package dev.bindspace.vision.internal.video;

import dev.bindspace.vision.video.VideoInfo;
import java.util.function.IntPredicate;

/**
 * Frames in presentation order, converted to rgb24 only where asked. {@link #close()} is idempotent
 * and frees any native handle.
 */
public interface FrameSource extends AutoCloseable {

  /** Frame count, rate, size; known before the first frame. */
  VideoInfo info();

  /**
   * The next frame whose index {@code wanted} accepts, or null at the end; frames in between are
   * decoded (a codec needs them) but not converted.
   */
  DecodedFrame nextWanted(IntPredicate wanted);

  /** How many frames were produced in all, valid after {@link #nextWanted} returned null. */
  int framesSeen();

  /** A name for messages (the file). */
  String name();

  @Override
  void close();
}
