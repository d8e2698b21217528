package dev.bindspace.text;

import dev.bindspace.text.internal.IntList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Framing, truncation, padding and windows, shared by the tokenizers. */
abstract class BaseTokenizer implements Tokenizer {
  private final int maxLength;
  private final Padding padding;
  private final int padId;
  private final int[] prefix;
  private final int[] suffix;
  /** Room for text tokens in one sequence. */
  private final int content;

  BaseTokenizer(int maxLength, Padding padding, int padId, int[] prefix, int[] suffix) {
    this.maxLength = maxLength;
    this.padding = Objects.requireNonNull(padding, "padding");
    this.padId = padId;
    this.prefix = prefix.clone();
    this.suffix = suffix.clone();
    this.content = maxLength - prefix.length - suffix.length;
    if (content < 1) {
      throw new IllegalArgumentException("max length must leave room for at least one token besides the "
          + (prefix.length + suffix.length) + " special tokens, got " + maxLength);
    }
  }

  /**
   * Appends the text tokens of {@code text} (no special tokens) to {@code out}; may stop as soon as
   * {@code out} holds {@code limit} ids.
   */
  abstract void tokenize(String text, IntList out, int limit);

  @Override
  public Encoding encode(String text) {
    Objects.requireNonNull(text, "text");
    return frame(text, padding == Padding.MAX_LENGTH ? maxLength : 0);
  }

  @Override
  public EncodingBatch encodeAll(List<String> texts) {
    Objects.requireNonNull(texts, "texts");
    List<Encoding> rows = new ArrayList<>(texts.size());
    int longest = 0;
    for (int i = 0; i < texts.size(); i++) {
      String t = texts.get(i);
      if (t == null) {
        throw new NullPointerException("texts[" + i + "] is null");
      }
      Encoding e = frame(t, padding == Padding.MAX_LENGTH ? maxLength : 0);
      longest = Math.max(longest, e.tokenCount());
      rows.add(e);
    }
    return pad(rows, longest);
  }

  @Override
  public EncodingBatch encodeWindows(String text, int overlap) {
    Objects.requireNonNull(text, "text");
    if (overlap < 0 || overlap >= content) {
      throw new IllegalArgumentException("overlap must be in [0, " + content + ") for max length " + maxLength
          + ", got " + overlap);
    }
    IntList tokens = new IntList(64);
    tokenize(text, tokens, Integer.MAX_VALUE);
    List<Encoding> windows = new ArrayList<>();
    int step = content - overlap;
    int longest = 0;
    for (int start = 0; ; start += step) {
      int end = Math.min(tokens.size(), start + content);
      Encoding e = framed(tokens, start, end, false, padding == Padding.MAX_LENGTH ? maxLength : 0);
      windows.add(e);
      longest = Math.max(longest, e.tokenCount());
      if (end >= tokens.size()) {
        break;
      }
    }
    return pad(windows, longest);
  }

  /** Tokenizes, cuts and frames {@code text}; pads to {@code length} when it is above the token count. */
  private Encoding frame(String text, int length) {
    IntList tokens = new IntList(32);
    tokenize(text, tokens, content + 1);
    boolean truncated = tokens.size() > content;
    return framed(tokens, 0, Math.min(tokens.size(), content), truncated, length);
  }

  private Encoding framed(IntList tokens, int from, int to, boolean truncated, int length) {
    int n = prefix.length + (to - from) + suffix.length;
    int size = Math.max(n, length);
    int[] ids = new int[size];
    System.arraycopy(prefix, 0, ids, 0, prefix.length);
    for (int k = from; k < to; k++) {
      ids[prefix.length + k - from] = tokens.get(k);
    }
    System.arraycopy(suffix, 0, ids, n - suffix.length, suffix.length);
    if (padId != 0) {
      Arrays.fill(ids, n, size, padId);
    }
    int[] mask = new int[size];
    Arrays.fill(mask, 0, n, 1);
    return new Encoding(ids, mask, new int[size], n, truncated);
  }

  private EncodingBatch pad(List<Encoding> rows, int longest) {
    int length = padding == Padding.MAX_LENGTH ? maxLength : longest;
    rows.replaceAll(e -> e.padded(length, padId));
    return new EncodingBatch(rows, rows.isEmpty() && padding == Padding.LONGEST ? 0 : length);
  }

  @Override
  public int maxLength() {
    return maxLength;
  }

  @Override
  public Padding padding() {
    return padding;
  }

  @Override
  public int padId() {
    return padId;
  }
}
