package dev.bindspace;

import java.util.List;

/**
 * An {@link Encoder} whose work splits into a host stage and a model stage, so that a caller can
 * run the host stage of the next inputs while the model runs the current batch (see
 * {@link BatchingEncoder}).
 *
 * <ul>
 *   <li>{@link #prepare(Object)}: per input, on any thread, thread-safe: decode, resize, normalise,
 *       tokenize. Failures are this input's alone ({@link EncodingException} naming it).
 *   <li>{@link #embedPrepared(List)}: one batched model run over prepared inputs; same size and
 *       order as its argument.
 * </ul>
 *
 * <p>{@code embedAll(inputs)} must equal {@code embedPrepared(inputs.map(prepare))}.
 *
 * @param <I> the input type
 * @param <P> the prepared form of one input (e.g. the model's input tensor for an image)
 */
public interface StagedEncoder<I, P> extends Encoder<I> {

  /**
   * The host stage for one input.
   *
   * @throws EncodingException if this input cannot be prepared; the message names it
   */
  P prepare(I input);

  /**
   * The model stage for prepared inputs, batched.
   *
   * @throws EncodingException if an input cannot be embedded; the message names its index
   */
  List<Embedding> embedPrepared(List<? extends P> prepared);
}
