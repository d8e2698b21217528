package dev.bindspace.text;

/** How {@link Tokenizer#encodeAll} pads the sequences of a batch to one length. */
public enum Padding {
  /**
   * To the longest sequence of the batch: the cheapest for models that accept any sequence length
   * (BERT-style encoders such as MiniLM). A batch of one is not padded at all.
   */
  LONGEST,
  /**
   * Always to the tokenizer's {@link Tokenizer#maxLength()}: for models whose graph has a fixed
   * sequence length, such as ImageBind's text tower (77 positions: its position embedding and causal
   * mask are 77 long).
   */
  MAX_LENGTH
}
