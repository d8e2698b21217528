package dev.bindspace.text;

import java.util.List;

/**
 * Turns text into the token ids a text encoder takes, exactly as the model's original tokenizer
 * does.
 *
 * <p>Every sequence is framed with the model's special tokens ({@code [CLS] … [SEP]} for BERT,
 * {@code <|startoftext|> … <|endoftext|>} for CLIP) and cut so that it fits {@link #maxLength()};
 * {@link Encoding#truncated()} tells when text was lost. For texts longer than that,
 * {@link #encodeWindows(String, int)} splits the tokens into overlapping windows instead, so an
 * encoder can embed each window and average them.
 *
 * <p>Bad input has defined results: {@code null} is refused with a {@link NullPointerException}
 * naming the argument; empty and whitespace-only text give just the special tokens; unpaired
 * surrogates, control characters and invalid code points are cleaned or replaced as the original
 * tokenizer does; megabyte-long strings are tokenized in time linear in their length. No text makes
 * a tokenizer throw anything else.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface Tokenizer {

  /**
   * Tokenizes one text, padded as {@link #padding()} says for a batch of one
   * ({@link Padding#LONGEST}: not padded).
   *
   * @throws NullPointerException if {@code text} is null
   */
  Encoding encode(String text);

  /**
   * Tokenizes a batch; the rows keep the input order and are padded to one length with
   * {@link #padId()}: the longest row ({@link Padding#LONGEST}) or {@link #maxLength()}
   * ({@link Padding#MAX_LENGTH}).
   *
   * @throws NullPointerException if {@code texts} or one of its elements is null (the message names
   *     the index)
   */
  EncodingBatch encodeAll(List<String> texts);

  /**
   * Tokenizes a text of any length into windows of at most {@link #maxLength()} tokens each (special
   * tokens included): the text's tokens, untruncated, are cut into consecutive runs of
   * {@code maxLength - specials} tokens that overlap by {@code overlap} tokens, and each run is framed
   * with the special tokens. A text that fits gives one window equal to {@link #encode(String)}; the
   * last window may be shorter. Windows are padded like a batch.
   *
   * <p>The intended use is long-document embedding: embed every window and average the embeddings
   * (optionally weighted by {@link Encoding#tokenCount()}), rather than silently dropping everything
   * past the first {@code maxLength} tokens.
   *
   * @param overlap tokens shared by consecutive windows, {@code 0 <= overlap < maxLength - specials}
   * @throws IllegalArgumentException if {@code overlap} is out of range (the message gives the range)
   * @throws NullPointerException if {@code text} is null
   */
  EncodingBatch encodeWindows(String text, int overlap);

  /** The longest sequence this tokenizer produces, special tokens included. */
  int maxLength();

  /** How {@link #encodeAll(List)} pads. */
  Padding padding();

  /** The id used for padding. */
  int padId();

  /** Number of token ids (valid ids are {@code 0 .. vocabularySize()-1}). */
  int vocabularySize();

  /**
   * The vocabulary entry of {@code id}, for debugging (CLIP's byte-level symbols appear through its
   * byte→unicode table, e.g. {@code dog</w>}).
   *
   * @throws IndexOutOfBoundsException if {@code id} is not a valid id
   */
  String token(int id);
}
