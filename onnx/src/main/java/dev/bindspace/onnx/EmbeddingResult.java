package dev.bindspace.onnx;

import dev.bindspace.Embedding;
import java.util.Objects;

/**
 * Both outputs for one input.
 *
 * <ul>
 *   <li>{@link #joint()}: the normalised joint embedding (unit L2 norm) for cosine search and
 *       arithmetic — what {@link dev.bindspace.Encoder#embedAll} returns.
 *   <li>{@link #raw()}: the model's own numbers, for parity with the Python original: per view
 *       post-processed as the bundle says (ImageBind: L2-normalised then multiplied by the logit
 *       scale — 1 vision, exp(s) text, 20 audio, 5 depth, 10 thermal, 5 IMU), then averaged over
 *       clips/views and <em>not</em> re-normalised. Its norm carries the scale.
 * </ul>
 *
 * Both carry the same space and media kind; {@code joint} equals {@code raw.normalize()}.
 */
public record EmbeddingResult(Embedding joint, Embedding raw) {
  public EmbeddingResult {
    Objects.requireNonNull(joint, "joint");
    Objects.requireNonNull(raw, "raw");
    joint.checkCompatible(raw);
  }
}
