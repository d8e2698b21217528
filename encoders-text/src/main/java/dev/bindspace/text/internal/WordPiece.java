package dev.bindspace.text.internal;

import java.util.Map;

/**
 * The WordPiece model of HuggingFace {@code tokenizers}: greedy longest-match-first over the
 * vocabulary, continuation pieces carry a prefix ({@code ##}), and a word that is longer than
 * {@code maxInputCharsPerWord} code points, or that cannot be covered by vocabulary pieces, becomes
 * the single unknown token.
 */
public final class WordPiece {
  private final Map<String, Integer> vocab;
  private final String prefix;
  private final int unkId;
  private final int maxInputCharsPerWord;
  /** Longest vocabulary entry in chars: no longer piece can match, so the search starts there. */
  private final int longestPiece;

  public WordPiece(Map<String, Integer> vocab, String continuingSubwordPrefix, int unkId, int maxInputCharsPerWord) {
    this.vocab = vocab;
    this.prefix = continuingSubwordPrefix;
    this.unkId = unkId;
    this.maxInputCharsPerWord = maxInputCharsPerWord;
    int longest = 0;
    for (String k : vocab.keySet()) {
      longest = Math.max(longest, k.length());
    }
    this.longestPiece = longest;
  }

  /** The ids of {@code word} (non-empty, already normalized and pre-tokenized). */
  public int[] tokenize(String word) {
    int n = word.length();
    if (n > maxInputCharsPerWord && word.codePointCount(0, n) > maxInputCharsPerWord) {
      return new int[] {unkId};
    }
    IntList out = new IntList(4);
    int start = 0;
    while (start < n) {
      int extra = start > 0 ? prefix.length() : 0;
      int end = Math.min(n, start + Math.max(1, longestPiece - extra));
      if (end < n && Character.isLowSurrogate(word.charAt(end))) {
        end++; // never split a surrogate pair
      }
      Integer id = null;
      while (end > start) {
        String piece = start > 0 ? prefix + word.substring(start, end) : word.substring(start, end);
        id = vocab.get(piece);
        if (id != null) {
          break;
        }
        boolean pair = end - 2 >= start && Character.isLowSurrogate(word.charAt(end - 1))
            && Character.isHighSurrogate(word.charAt(end - 2));
        end -= pair ? 2 : 1; // one code point shorter
      }
      if (id == null) {
        return new int[] {unkId};
      }
      out.add(id);
      start = end;
    }
    return out.toArray();
  }
}
