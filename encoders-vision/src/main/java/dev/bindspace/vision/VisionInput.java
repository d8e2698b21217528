package dev.bindspace.vision;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What the {@code VISION} encoder embeds: a still image given as a file, as the bytes of a file, or as
 * decoded RGB pixels. Immutable (byte arrays are copied in). {@link #kind()} says which; later kinds
 * (video) are added as new {@link Kind} constants.
 *
 * <pre>{@code
 * try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(Path.of("imagebind-huge"))) {
 *   OnnxEncoder<VisionInput> vision = VisionEncoder.of(model);
 *   Embedding e = vision.embed(VisionInput.file(Path.of("dog.jpg")));
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
    IMAGE_RGB
  }

  private final Kind kind;
  private final Path path;
  private final byte[] data;
  private final String name;
  private final RgbImage rgb;

  private VisionInput(Kind kind, Path path, byte[] data, String name, RgbImage rgb) {
    this.kind = kind;
    this.path = path;
    this.data = data;
    this.name = name;
    this.rgb = rgb;
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

  public Kind kind() {
    return kind;
  }

  /** The file of {@link Kind#IMAGE_FILE} inputs. */
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
