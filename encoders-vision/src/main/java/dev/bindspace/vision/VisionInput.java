package dev.bindspace.vision;

import dev.bindspace.vision.video.VideoSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the {@code VISION} encoder embeds: a still image given as a file, as the bytes of a file, or as
 * decoded RGB pixels; or a video, as a file or as frames with their rate. Immutable (byte arrays are
 * copied in). {@link #kind()} says which. Videos go to the bundle's {@code video} graph
 * ({@link dev.bindspace.vision.video.VideoEncoder}), images to its {@code image} graph.
 *
 * <pre>{@code
 * try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(Path.of("imagebind-huge"))) {
 *   OnnxEncoder<VisionInput> vision = VisionEncoder.of(model);
 *   Embedding e = vision.embed(VisionInput.file(Path.of("dog.jpg")));
 *   Embedding v = vision.embed(VisionInput.video(Path.of("dog.mp4")));
 * }
 * }</pre>
 */
public final class VisionInput {

  /** The form of the input. */
  public enum Kind {
    /** A still-image file on disk ({@link #file(Path)}). */
    IMAGE_FILE,
    /** The bytes of a still-image file ({@link #bytes(byte[], String)}). */
    IMAGE_BYTES,
    /** Decoded pixels ({@link #rgb(RgbImage)}). */
    IMAGE_RGB,
    /** A video file ({@link #video(Path)}), decoded with FFmpeg. */
    VIDEO_FILE,
    /** Video frames supplied by the caller with their rate ({@link #video(List, double)}). */
    VIDEO_FRAMES;

    /** Whether inputs of this kind are videos. */
    public boolean isVideo() {
      return this == VIDEO_FILE || this == VIDEO_FRAMES;
    }
  }

  private final Kind kind;
  private final Path path;
  private final byte[] data;
  private final String name;
  private final RgbImage rgb;
  private final VideoSource video;

  private VisionInput(Kind kind, Path path, byte[] data, String name, RgbImage rgb) {
    this(kind, path, data, name, rgb, null);
  }

  private VisionInput(Kind kind, Path path, byte[] data, String name, RgbImage rgb, VideoSource video) {
    this.kind = kind;
    this.path = path;
    this.data = data;
    this.name = name;
    this.rgb = rgb;
    this.video = video;
  }

  /** A still-image file; its format is recognised from the content. */
  public static VisionInput file(Path file) {
    Objects.requireNonNull(file, "file");
    return new VisionInput(Kind.IMAGE_FILE, file, null, file.toString(), null);
  }

  /** The bytes of an image file (copied); {@code name} appears in error messages. */
  public static VisionInput bytes(byte[] data, String name) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(name, "name");
    return new VisionInput(Kind.IMAGE_BYTES, null, data.clone(), name, null);
  }

  /** Already decoded pixels. */
  public static VisionInput rgb(RgbImage image) {
    Objects.requireNonNull(image, "image");
    return new VisionInput(Kind.IMAGE_RGB, null, null, image.toString(), image);
  }

  /** A video file (mp4, webm, mkv, mov, avi, animated GIF, ...); see {@link VideoSource#of(Path)}. */
  public static VisionInput video(Path file) {
    return video(VideoSource.of(file));
  }

  /** Video frames in presentation order at {@code fps}; see {@link VideoSource#ofFrames(List, double)}. */
  public static VisionInput video(List<RgbImage> frames, double fps) {
    return video(VideoSource.ofFrames(frames, fps));
  }

  /** A video source. */
  public static VisionInput video(VideoSource source) {
    Objects.requireNonNull(source, "source");
    Kind k = source.file().isPresent() ? Kind.VIDEO_FILE : Kind.VIDEO_FRAMES;
    return new VisionInput(k, source.file().orElse(null), null, source.toString(), null, source);
  }

  public Kind kind() {
    return kind;
  }

  /** The video of {@link Kind#VIDEO_FILE} and {@link Kind#VIDEO_FRAMES} inputs. */
  public Optional<VideoSource> video() {
    return Optional.ofNullable(video);
  }

  /** The file of {@link Kind#IMAGE_FILE} and {@link Kind#VIDEO_FILE} inputs. */
  public Optional<Path> path() {
    return Optional.ofNullable(path);
  }

  /** The image of {@link Kind#IMAGE_RGB} inputs. */
  public Optional<RgbImage> image() {
    return Optional.ofNullable(rgb);
  }

  /** A copy of the bytes of {@link Kind#IMAGE_BYTES} inputs. */
  public Optional<byte[]> data() {
    return Optional.ofNullable(data).map(byte[]::clone);
  }

  /** The name used in messages: the path, the given name, or the image's description. */
  public String name() {
    return name;
  }

  byte[] dataArray() {
    return data;
  }

  @Override
  public String toString() {
    return "VisionInput[" + kind + ", " + name + "]";
  }
}
