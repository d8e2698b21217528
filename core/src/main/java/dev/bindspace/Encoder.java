package dev.bindspace;

import java.util.List;

/**
 * Turns inputs of one modality into embeddings of one joint space.
 *
 * <p>{@link #embedAll(List)} is the main path (it can batch); {@link #embed(Object)} delegates to
 * it. Encoders own native resources (ONNX sessions, decoders), so close them:
 *
 * <pre>{@code
 * try (Encoder<String> text = model.encoder(Modality.TEXT, String.class)) {
 *   List<Embedding> es = text.embedAll(List.of("a dog", "a car"));
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe unless they document otherwise; {@link #close()} is
 * idempotent, and any call after it throws {@link IllegalStateException}.
 *
 * @param <I> the input type, e.g. {@code String} for text or {@code Path} for media files
 */
public interface Encoder<I> extends AutoCloseable {

  /** The modality this encoder consumes. */
  Modality modality();

  /** The type of input it accepts. */
  Class<I> inputType();

  /** The embedding dimension, a fixed value known without embedding anything. */
  int dimension();

  /** The id of the joint space its embeddings live in. */
  String space();

  /** Embeds one input. */
  default Embedding embed(I input) {
    return embedAll(List.of(input)).get(0);
  }

  /**
   * Embeds every input; the result has the same size and order as {@code inputs}.
   *
   * @throws EncodingException if an input cannot be encoded; the message names it
   */
  List<Embedding> embedAll(List<? extends I> inputs);

  /** Releases native resources. Idempotent. */
  @Override
  void close();
}
