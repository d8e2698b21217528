package dev.bindspace.text;

import dev.bindspace.BindspaceException;
import dev.bindspace.text.internal.ClipBpe;
import dev.bindspace.text.internal.ClipText;
import dev.bindspace.text.internal.IntList;
import dev.bindspace.text.internal.TokenCache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * OpenAI CLIP's byte-level BPE tokenizer exactly as ImageBind runs it ({@code SimpleTokenizer} in
 * {@code imagebind/models/multimodal_preprocessors.py}), token for token:
 * <ol>
 *   <li>clean-up: {@code ftfy.fix_text} (ftfy 6.3.1 defaults: mojibake repair, HTML entities, curly
 *       quotes, ligatures, full-width forms, control characters, line breaks, NFC), then
 *       {@code html.unescape} twice, strip, every whitespace run to one space, strip, lower case — see
 *       {@link #clean(String)};
 *   <li>pre-tokenization with CLIP's pattern (case-insensitive): the literals {@code <|startoftext|>}
 *       and {@code <|endoftext|>}, the contractions {@code 's 't 're 've 'm 'll 'd}, runs of letters,
 *       single digits, runs of other non-space symbols;
 *   <li>each piece's UTF-8 bytes through CLIP's byte→unicode table, {@code </w>} on the last symbol,
 *       BPE merges by rank;
 *   <li>framing: {@code <|startoftext|>} (49406) + the tokens, cut to {@code contextLength - 1}
 *       entries, + {@code <|endoftext|>} (49407), padded with 0 — the framing of ImageBind since commit
 *       {@code 1125e1e}, which keeps the end-of-text token on over-long input.
 * </ol>
 *
 * <p>Unicode data (letters, numbers, lower case) is that of ImageBind's reference environment (Python
 * 3.11, regex 2.5.123), shipped as a table, so results do not change with the JDK.
 *
 * <p>A literal {@code <|endoftext|>} (any case, also written with HTML entities) in the text becomes
 * id 49407 where it stands, as in the original, so ImageBind's head (which pools at the first
 * maximum id) pools there.
 *
 * <p>By default batches are padded to the full context length ({@link Padding#MAX_LENGTH}, 77), because
 * ImageBind's text graph adds a 77-position embedding and a 77×77 causal mask; choose
 * {@link Padding#LONGEST} for a graph that takes shorter sequences.
 *
 * <pre>{@code
 * ClipBpeTokenizer clip = ClipBpeTokenizer.builder(Path.of("bpe_simple_vocab_16e6.txt.gz")).build();
 * Encoding e = clip.encode("A dog.");        // [49406, 320, 1929, 269, 49407, 0, 0, ...], length 77
 * EncodingBatch b = clip.encodeAll(List.of("a dog", "a cat"));
 * long[] input = b.idsAsLongs();             // int64 [2 × 77] for the ONNX graph
 * }</pre>
 *
 * <p>Recently seen words are cached (a bounded, thread-safe cache, {@link Builder#cacheCapacity}).
 * Instances are immutable and thread-safe.
 */
public final class ClipBpeTokenizer extends BaseTokenizer {
  /** ImageBind's (and CLIP's) context length. */
  public static final int CONTEXT_LENGTH = 77;
  /** Default number of cached words. */
  public static final int DEFAULT_CACHE_CAPACITY = 50_000;
  /** Words longer than this (in chars) are not cached. */
  static final int MAX_CACHED_WORD = 64;
  /** Long texts are cleaned in pieces of about this many chars (whole lines) until enough tokens exist. */
  static final int CHUNK_CHARS = 4096;

  private final ClipBpe bpe;
  private final TokenCache cache;
  private final int chunkChars;

  private ClipBpeTokenizer(ClipBpe bpe, int contextLength, Padding padding, int cacheCapacity, int chunkChars) {
    super(contextLength, padding, 0, new int[] {bpe.startOfText()}, new int[] {bpe.endOfText()});
    this.bpe = bpe;
    this.cache = new TokenCache(cacheCapacity);
    this.chunkChars = chunkChars;
  }

  /** A builder that reads the vocabulary from {@code bpe_simple_vocab_16e6.txt.gz} at {@code vocabulary}. */
  public static Builder builder(Path vocabulary) {
    Objects.requireNonNull(vocabulary, "vocabulary");
    return new Builder(vocabulary, null);
  }

  /**
   * A builder that reads the vocabulary (the gzip file's bytes) from {@code vocabulary} when
   * {@link Builder#build()} runs. The stream is read to its end but not closed.
   */
  public static Builder builder(InputStream vocabulary) {
    Objects.requireNonNull(vocabulary, "vocabulary");
    return new Builder(null, vocabulary);
  }

  /**
   * ImageBind's clean-up of {@code text} alone:
   * {@code whitespace_clean(basic_clean(text)).lower()}, where {@code basic_clean} is
   * {@code ftfy.fix_text} then {@code html.unescape} twice and a strip.
   *
   * @throws NullPointerException if {@code text} is null
   */
  public static String clean(String text) {
    Objects.requireNonNull(text, "text");
    return ClipText.clean(text);
  }

  /**
   * When only the first {@code limit} tokens are needed (truncation), a long text is cleaned and
   * tokenized a few lines at a time, stopping once there are enough. That is exact: ftfy fixes each
   * line on its own (carrying only its "still decode entities" state, which is passed on), no HTML
   * reference, whitespace run, lower-casing context or pre-token crosses a line break, and the
   * strips only drop whitespace.
   */
  @Override
  void tokenize(String text, IntList out, int limit) {
    if (limit == Integer.MAX_VALUE || text.length() <= chunkChars) {
      tokenizeCleaned(ClipText.clean(text), out, limit);
      return;
    }
    boolean[] unescapeHtml = {true};
    int pos = 0;
    while (pos < text.length() && out.size() < limit) {
      int end = pos + chunkChars;
      if (end >= text.length()) {
        end = text.length();
      } else {
        int nl = text.indexOf('\n', end - 1);
        end = nl < 0 ? text.length() : nl + 1; // a piece always ends with a whole line
      }
      tokenizeCleaned(ClipText.clean(text.substring(pos, end), unescapeHtml[0], unescapeHtml), out, limit);
      pos = end;
    }
  }

  private void tokenizeCleaned(String s, IntList out, int limit) {
    int[] bounds = new int[2];
    int pos = 0;
    while (out.size() < limit && ClipText.next(s, pos, bounds)) {
      pos = bounds[1];
      String word = s.substring(bounds[0], bounds[1]);
      if (word.equals(ClipBpe.START_OF_TEXT)) {
        out.add(bpe.startOfText());
        continue;
      }
      if (word.equals(ClipBpe.END_OF_TEXT)) {
        out.add(bpe.endOfText());
        continue;
      }
      int[] ids = cache.get(word);
      if (ids == null) {
        ids = bpe.encodeWord(word.getBytes(StandardCharsets.UTF_8));
        if (word.length() <= MAX_CACHED_WORD) {
          cache.put(word, ids);
        }
      }
      out.addAll(ids);
    }
  }

  /** {@code <|startoftext|>}'s id (49406 with the standard vocabulary). */
  public int startOfTextId() {
    return bpe.startOfText();
  }

  /** {@code <|endoftext|>}'s id (49407 with the standard vocabulary). */
  public int endOfTextId() {
    return bpe.endOfText();
  }

  @Override
  public int vocabularySize() {
    return bpe.vocabularySize();
  }

  @Override
  public String token(int id) {
    Objects.checkIndex(id, bpe.vocabularySize());
    return bpe.token(id);
  }

  @Override
  public String toString() {
    return "ClipBpeTokenizer{contextLength=" + maxLength() + ", padding=" + padding() + ", vocabulary="
        + vocabularySize() + ", cacheCapacity=" + cache.capacity() + "}";
  }

  /** Options of a {@link ClipBpeTokenizer}; validated by {@link #build()}. */
  public static final class Builder {
    private final Path path;
    private final InputStream stream;
    private int contextLength = CONTEXT_LENGTH;
    private Padding padding = Padding.MAX_LENGTH;
    private int cacheCapacity = DEFAULT_CACHE_CAPACITY;
    private int chunkChars = CHUNK_CHARS;

    private Builder(Path path, InputStream stream) {
      this.path = path;
      this.stream = stream;
    }

    /** Sequence length including both special tokens; default {@value ClipBpeTokenizer#CONTEXT_LENGTH}. */
    public Builder contextLength(int contextLength) {
      this.contextLength = contextLength;
      return this;
    }

    /** How batches are padded; default {@link Padding#MAX_LENGTH} (ImageBind's graph needs 77). */
    public Builder padding(Padding padding) {
      this.padding = Objects.requireNonNull(padding, "padding");
      return this;
    }

    /** Words kept in the BPE cache; 0 disables it; default {@value ClipBpeTokenizer#DEFAULT_CACHE_CAPACITY}. */
    public Builder cacheCapacity(int cacheCapacity) {
      this.cacheCapacity = cacheCapacity;
      return this;
    }

    /** Piece size for cleaning long texts line-wise; tests compare small pieces with none. */
    Builder chunkChars(int chunkChars) {
      this.chunkChars = chunkChars;
      return this;
    }

    /**
     * Reads the vocabulary and builds the tokenizer (about 0.2 s).
     *
     * @throws IllegalArgumentException if the context length is below 3 or the cache capacity negative
     * @throws BindspaceException if the vocabulary cannot be read or is not a CLIP BPE merges file
     */
    public ClipBpeTokenizer build() {
      if (contextLength < 3) {
        throw new IllegalArgumentException("context length must be >= 3 (two special tokens and one more), got "
            + contextLength);
      }
      if (cacheCapacity < 0) {
        throw new IllegalArgumentException("cache capacity must be >= 0, got " + cacheCapacity);
      }
      String source = path != null ? path.toString() : "the given stream";
      ClipBpe bpe;
      try {
        if (path != null) {
          try (InputStream in = Files.newInputStream(path)) {
            bpe = ClipBpe.read(in);
          }
        } else {
          bpe = ClipBpe.read(stream);
        }
      } catch (IOException | IllegalArgumentException e) {
        throw new BindspaceException("cannot read the CLIP BPE vocabulary from " + source + ": " + e.getMessage(), e);
      }
      return new ClipBpeTokenizer(bpe, contextLength, padding, cacheCapacity, chunkChars);
    }
  }
}
