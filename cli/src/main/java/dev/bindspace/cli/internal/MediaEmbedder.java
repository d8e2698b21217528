package dev.bindspace.cli.internal;

import dev.bindspace.MediaKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything the CLI needs from a model: the one seam between the commands and the encoders.
 * {@link ModelMediaEmbedder} is the implementation over a bundle; tests pass their own.
 *
 * <p>{@link #embed} is the only path by which a media file becomes embeddings. Implementations
 * throw {@link InputException} (exit code 3) naming the file when it cannot be read or decoded, or
 * when this build has no encoder for its kind.
 */
public interface MediaEmbedder extends AutoCloseable {

  /** What the model is; for {@code bindspace info}. */
  ModelInfo info();

  /** The joint-space id of every embedding. */
  default String space() {
    return info().space();
  }

  /** The embedding dimension. */
  default int dimension() {
    return info().dimension();
  }

  /** The media kind of a file, by extension or content; empty if it is not media the CLI knows. */
  default Optional<MediaKind> detect(Path file) {
    return MediaTypes.detect(file);
  }

  /**
   * Embeds one file as {@code kind}: one item for a whole file, or (with {@link Granularity#MOMENTS},
   * for kinds that support it) one item per moment with its start and end seconds.
   *
   * @throws InputException naming the file if it cannot be read or decoded, or no encoder for
   *     {@code kind} is in this build
   */
  List<EmbeddedItem> embed(Path file, MediaKind kind, Granularity granularity);

  /** Embeds one text. */
  default EmbeddedItem embedText(String text) {
    return embedTexts(List.of(text)).get(0);
  }

  /** Embeds texts in one batch; the result matches the order of {@code texts}. */
  List<EmbeddedItem> embedTexts(List<String> texts);

  /** Embeds texts one by one where no batch path exists. */
  static List<EmbeddedItem> oneByOne(MediaEmbedder e, List<String> texts) {
    List<EmbeddedItem> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(e.embedText(t));
    }
    return out;
  }

  /** Releases the model. Idempotent. */
  @Override
  void close();
}
