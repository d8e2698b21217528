package dev.bindspace.text;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tokenized text: token ids with the model's special tokens, the attention mask (1 for a real
 * token, 0 for padding) and the token type ids (segment ids; always 0 for a single text).
 *
 * <p>Immutable: every accessor returns a fresh copy of the arrays. {@link #length()} counts padding;
 * {@link #tokenCount()} does not.
 */
public final class Encoding {
  private final int[] ids;
  private final int[] attentionMask;
  private final int[] typeIds;
  private final int tokenCount;
  private final boolean truncated;

  Encoding(int[] ids, int[] attentionMask, int[] typeIds, int tokenCount, boolean truncated) {
    this.ids = ids;
    this.attentionMask = attentionMask;
    this.typeIds = typeIds;
    this.tokenCount = tokenCount;
    this.truncated = truncated;
  }

  /**
   * An encoding of {@code ids} (copied) with no padding: mask all ones, type ids all zero.
   *
   * @throws IllegalArgumentException if {@code ids} is empty or holds a negative id
   */
  public static Encoding of(int[] ids) {
    Objects.requireNonNull(ids, "ids");
    if (ids.length == 0) {
      throw new IllegalArgumentException("an encoding needs at least one token, got 0");
    }
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0) {
        throw new IllegalArgumentException("token id at index " + i + " is " + ids[i] + ", expected >= 0");
      }
    }
    int[] mask = new int[ids.length];
    Arrays.fill(mask, 1);
    return new Encoding(ids.clone(), mask, new int[ids.length], ids.length, false);
  }

  /** Token ids, special tokens and padding included. */
  public int[] ids() {
    return ids.clone();
  }

  /** The id at {@code index}. */
  public int id(int index) {
    Objects.checkIndex(index, ids.length);
    return ids[index];
  }

  /** 1 where {@link #ids()} holds a token, 0 where it holds padding. */
  public int[] attentionMask() {
    return attentionMask.clone();
  }

  /** Segment ids: 0 for every position of a single text. */
  public int[] typeIds() {
    return typeIds.clone();
  }

  /** Sequence length, padding included. */
  public int length() {
    return ids.length;
  }

  /** Tokens before the padding, special tokens included. */
  public int tokenCount() {
    return tokenCount;
  }

  /** Whether tokens were cut to fit the tokenizer's maximum length. */
  public boolean truncated() {
    return truncated;
  }

  /** This encoding padded to {@code length} positions (never shorter than its tokens). */
  Encoding padded(int length, int padId) {
    if (length == ids.length) {
      return this;
    }
    if (length < tokenCount) {
      throw new IllegalArgumentException("cannot pad " + tokenCount + " tokens to " + length);
    }
    int[] i2 = Arrays.copyOf(ids, length);
    int[] m2 = Arrays.copyOf(attentionMask, length);
    int[] t2 = Arrays.copyOf(typeIds, length);
    for (int k = tokenCount; k < length; k++) {
      i2[k] = padId;
      m2[k] = 0;
      t2[k] = 0;
    }
    return new Encoding(i2, m2, t2, tokenCount, truncated);
  }

  /** Copies the ids, widened to {@code long}, into {@code dest} at {@code offset}. */
  void copyIds(long[] dest, int offset) {
    for (int k = 0; k < ids.length; k++) {
      dest[offset + k] = ids[k];
    }
  }

  void copyMask(long[] dest, int offset) {
    for (int k = 0; k < attentionMask.length; k++) {
      dest[offset + k] = attentionMask[k];
    }
  }

  void copyTypeIds(long[] dest, int offset) {
    for (int k = 0; k < typeIds.length; k++) {
      dest[offset + k] = typeIds[k];
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Encoding)) {
      return false;
    }
    Encoding e = (Encoding) o;
    return tokenCount == e.tokenCount && truncated == e.truncated && Arrays.equals(ids, e.ids)
        && Arrays.equals(attentionMask, e.attentionMask) && Arrays.equals(typeIds, e.typeIds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ids) * 31 + tokenCount;
  }

  @Override
  public String toString() {
    return "Encoding{tokens=" + tokenCount + ", length=" + ids.length + (truncated ? ", truncated" : "")
        + ", ids=" + Arrays.toString(ids) + "}";
  }
}
