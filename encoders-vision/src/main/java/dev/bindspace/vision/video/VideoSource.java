package dev.bindspace.vision.video;

import dev.bindspace.vision.RgbImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link VideoEncoder} embeds: a video file (decoded with FFmpeg, streaming) or frames the
 * caller already has, with their frame rate.
 *
 * <p>For caller frames the frame count is {@code frames.size()} and the duration
 * {@code frames.size() / fps}, exactly as for a file whose container holds that many video packets
 * at that average rate (ImageBind's decord reader counts packets). Frames may differ in size;
 * each is resized on its own.
 *
 * <pre>{@code
 * VideoSource file = VideoSource.of(Path.of("clip.webm"));
 * VideoSource mine = VideoSource.ofFrames(frames, 29.97);
 * }</pre>
 */
public final class VideoSource {
  private final Path file;
  private final List<RgbImage> frames;
  private final double fps;

  private VideoSource(Path file, List<RgbImage> frames, double fps) {
    this.file = file;
    this.frames = frames;
    this.fps = fps;
  }

  /** A video file; any container and codec FFmpeg decodes (mp4, webm, mkv, mov, avi, animated GIF, ...). */
  public static VideoSource of(Path file) {
    return new VideoSource(Objects.requireNonNull(file, "file"), null, 0);
  }

  /**
   * Frames supplied by the caller, in presentation order.
   *
   * @param fps frames per second, positive and finite
   * @throws IllegalArgumentException if {@code frames} is empty or {@code fps} is not positive
   */
  public static VideoSource ofFrames(List<RgbImage> frames, double fps) {
    Objects.requireNonNull(frames, "frames");
    List<RgbImage> copy = List.copyOf(frames);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("a video needs at least one frame, found none");
    }
    if (!(fps > 0 && Double.isFinite(fps))) {
      throw new IllegalArgumentException("fps must be positive and finite, found " + fps);
    }
    return new VideoSource(null, copy, fps);
  }

  /** The file, if this source is a file. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** The caller's frames (empty for a file source). */
  public List<RgbImage> frames() {
    return frames == null ? List.of() : frames;
  }

  /** The caller's frame rate; 0 for a file source (the file's average rate is used). */
  public double fps() {
    return fps;
  }

  @Override
  public String toString() {
    return file != null ? file.toString() : frames.size() + " frames at " + fps + " fps";
  }
}
