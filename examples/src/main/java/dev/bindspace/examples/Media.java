package dev.bindspace.examples;

import dev.bindspace.Embedding;
import dev.bindspace.Encoder;
import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.audio.AudioInput;
import dev.bindspace.mini.BindspaceMini;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.vision.VisionInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * What every example shares: the sample media folder ({@code examples/media}, credits in its
 * CREDITS.md) and one-line embedding of a text, an image, a sound or a video with a model.
 */
final class Media implements AutoCloseable {
  private final OnnxEmbeddingModel model;
  private final Path dir;

  private Media(OnnxEmbeddingModel model, Path dir) {
    this.model = model;
    this.dir = dir;
  }

  /** bindspace-mini from the classpath, or the bundle given as {@code --model DIR|ZIP}. */
  static Media open(String[] args) {
    Optional<Path> bundle = Optional.empty();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--model") && i + 1 < args.length) {
        bundle = Optional.of(Path.of(args[i + 1]));
      }
    }
    OnnxEmbeddingModel m = bundle.map(OnnxEmbeddingModel::open).orElseGet(BindspaceMini::open);
    return new Media(m, folder());
  }

  /** The sample media: {@code -Dbindspace.examples.media}, else {@code examples/media} or {@code media}. */
  static Path folder() {
    String p = System.getProperty("bindspace.examples.media");
    for (Path c : p != null ? new Path[] {Path.of(p)} : new Path[] {Path.of("examples/media"), Path.of("media")}) {
      if (Files.isDirectory(c)) {
        return c;
      }
    }
    throw new IllegalStateException("cannot find the example media: expected examples/media (run from the "
        + "repository root) or -Dbindspace.examples.media=DIR");
  }

  OnnxEmbeddingModel model() {
    return model;
  }

  Path file(String relative) {
    return dir.resolve(relative);
  }

  Embedding text(String text) {
    return model.encoder(Modality.TEXT, String.class).embed(text);
  }

  Embedding image(String relative) {
    return vision().embed(VisionInput.file(file(relative)));
  }

  Embedding video(String relative) {
    return vision().embed(VisionInput.video(file(relative)));
  }

  Embedding audio(String relative) {
    return model.encoder(Modality.AUDIO, AudioInput.class).embed(AudioInput.file(file(relative)));
  }

  /** Embeds any file as {@code kind} ({@code image}, {@code audio} or {@code video}). */
  Embedding embedAt(Path path, String kind) {
    return switch (kind) {
      case "image" -> vision().embed(VisionInput.file(path));
      case "video" -> vision().embed(VisionInput.video(path));
      case "audio" -> model.encoder(Modality.AUDIO, AudioInput.class).embed(AudioInput.file(path));
      default -> throw new IllegalArgumentException("expected image, audio or video, got " + kind);
    };
  }

  /** Embeds a sample file by its folder: images/, audio/ or video/. */
  Embedding embed(String relative) {
    if (relative.startsWith("images/")) {
      return image(relative);
    }
    if (relative.startsWith("audio/")) {
      return audio(relative);
    }
    if (relative.startsWith("video/")) {
      return video(relative);
    }
    throw new IllegalArgumentException("expected a path under images/, audio/ or video/, got " + relative);
  }

  private Encoder<VisionInput> vision() {
    return model.encoder(Modality.VISION, VisionInput.class);
  }

  static String kindOf(String relative) {
    return relative.startsWith("images/") ? "image" : relative.startsWith("audio/") ? "audio" : "video";
  }

  static MediaKind mediaKindOf(String relative) {
    return MediaKind.valueOf(kindOf(relative).toUpperCase(Locale.ROOT));
  }

  @Override
  public void close() {
    model.close();
  }
}
