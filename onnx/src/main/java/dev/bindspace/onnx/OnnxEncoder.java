package dev.bindspace.onnx;

import dev.bindspace.Embedding;
import dev.bindspace.Encoder;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link Encoder} over a bundle graph that also exposes the raw model output.
 * {@link #embedAll} returns the normalised joint embeddings; {@link #encodeAll} returns joint and
 * raw together ({@link EmbeddingResult}). Encoders from {@code bindspace-encoders-*} modules
 * implement this interface so that the raw output is available for every modality.
 *
 * @param <I> the input type
 */
public interface OnnxEncoder<I> extends Encoder<I> {

  /** Joint and raw outputs for every input, in order. */
  List<EmbeddingResult> encodeAll(List<? extends I> inputs);

  /** Joint and raw outputs for one input. */
  default EmbeddingResult encode(I input) {
    return encodeAll(List.of(input)).get(0);
  }

  /** The raw outputs only (logit-scaled, clip-averaged, not re-normalised). */
  default List<Embedding> embedRawAll(List<? extends I> inputs) {
    List<Embedding> out = new ArrayList<>();
    for (EmbeddingResult r : encodeAll(inputs)) {
      out.add(r.raw());
    }
    return out;
  }

  @Override
  default List<Embedding> embedAll(List<? extends I> inputs) {
    List<Embedding> out = new ArrayList<>();
    for (EmbeddingResult r : encodeAll(inputs)) {
      out.add(r.joint());
    }
    return out;
  }
}
