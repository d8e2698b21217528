package dev.bindspace;

import java.util.Set;

/**
 * A joint embedding model: one {@link Encoder} per supported modality, all writing into the same
 * space with the same dimension. ImageBind-Huge and bindspace-mini are both {@code EmbeddingModel}s.
 *
 * <pre>{@code
 * try (EmbeddingModel model = ...) {
 *   Embedding dog = model.encoder(Modality.TEXT, String.class).embed("a dog");
 *   Embedding bark = model.encoder(Modality.AUDIO, Path.class).embed(Path.of("bark.wav"));
 *   System.out.println(dog.cosine(bark));
 * }
 * }</pre>
 *
 * <p>The model owns its encoders: closing the model closes them, and callers must not close an
 * encoder obtained from {@link #encoder}.
 */
public interface EmbeddingModel extends AutoCloseable {

  /** A human-readable model name, e.g. {@code imagebind-huge}. */
  String name();

  /** The joint-space id all its embeddings carry. */
  String space();

  /** The embedding dimension shared by all encoders. */
  int dimension();

  /** The modalities this model can embed. */
  Set<Modality> modalities();

  /** Whether {@code modality} is supported. */
  default boolean supports(Modality modality) {
    return modalities().contains(modality);
  }

  /**
   * The encoder for {@code modality}.
   *
   * @throws UnsupportedModalityException listing the supported modalities
   */
  Encoder<?> encoder(Modality modality);

  /**
   * The encoder for {@code modality}, typed by its input.
   *
   * @throws UnsupportedModalityException listing the supported modalities
   * @throws IllegalArgumentException if the encoder takes another input type
   */
  @SuppressWarnings("unchecked")
  default <I> Encoder<I> encoder(Modality modality, Class<I> inputType) {
    Encoder<?> e = encoder(modality);
    if (!inputType.isAssignableFrom(e.inputType())) {
      throw new IllegalArgumentException("the " + modality + " encoder of " + name() + " takes "
          + e.inputType().getName() + ", not " + inputType.getName());
    }
    return (Encoder<I>) e;
  }

  /** Closes every encoder. Idempotent. */
  @Override
  void close();
}
