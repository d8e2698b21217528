package dev.bindspace.text;

import dev.bindspace.BindspaceException;
import dev.bindspace.text.internal.BertText;
import dev.bindspace.text.internal.Ftfy;
import dev.bindspace.text.internal.IntList;
import dev.bindspace.text.internal.Json;
import dev.bindspace.text.internal.TokenCache;
import dev.bindspace.text.internal.WordPiece;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * BERT's WordPiece tokenizer, read from a HuggingFace {@code tokenizer.json} and token-exact with
 * HuggingFace {@code tokenizers} (the Rust library behind {@code transformers}' fast tokenizers):
 * <ol>
 *   <li>special tokens written literally in the text ({@code [SEP]}, {@code [MASK]}, ... — the file's
 *       {@code added_tokens}) are matched first, case-sensitively, and kept as their ids;
 *   <li>the rest goes through the {@code BertNormalizer} (drop control characters, U+0000 and U+FFFD;
 *       whitespace to spaces; spaces around CJK ideographs; NFD and removal of non-spacing marks;
 *       lower case) and the {@code BertPreTokenizer} (split on whitespace, every punctuation character a
 *       word of its own);
 *   <li>each word is split greedily into the longest vocabulary pieces, continuations prefixed with
 *       {@code ##}; a word longer than {@code max_input_chars_per_word} (100) or not coverable becomes
 *       {@code [UNK]};
 *   <li>framing {@code [CLS] … [SEP]} from the post-processor, cut to the maximum length (the file's
 *       {@code truncation.max_length}, 128 for all-MiniLM-L6-v2), attention mask and type ids (all 0).
 * </ol>
 *
 * <p>The file's fixed padding (MiniLM's says 128) is deliberately not applied: batches are padded to
 * their longest row by default ({@link Padding#LONGEST}), which is what transformer encoders need
 * and is several times cheaper for short texts; {@link Builder#padding} restores fixed padding.
 *
 * <pre>{@code
 * WordPieceTokenizer bert = WordPieceTokenizer.builder(Path.of("tokenizer.json")).build();
 * Encoding e = bert.encode("A man is playing a guitar.");
 * // [101, 1037, 2158, 2003, 2652, 1037, 2858, 1012, 102]
 * }</pre>
 *
 * <p>Only what BERT-style files use is supported ({@code WordPiece} model, {@code BertNormalizer} or
 * none, {@code BertPreTokenizer}, {@code TemplateProcessing}/{@code BertProcessing} for a single
 * sequence, added tokens matched on the raw text); anything else is refused at load with a message
 * naming it. Instances are immutable and thread-safe.
 */
public final class WordPieceTokenizer extends BaseTokenizer {
  /** Default number of cached words. */
  public static final int DEFAULT_CACHE_CAPACITY = 50_000;
  /** Maximum length when the file sets no truncation (BERT's position embeddings: 512). */
  public static final int DEFAULT_MAX_LENGTH = 512;
  private static final int MAX_CACHED_WORD = 64;

  private final BertText normalizer;
  private final WordPiece model;
  private final String[] addedTokens;
  private final int[] addedIds;
  /** The first char of every added token ("[" for BERT's), a cheap filter before matching. */
  private final String addedFirstChars;
  private final String[] vocabulary;
  private final TokenCache cache;

  private WordPieceTokenizer(Config c, int maxLength, Padding padding, int cacheCapacity) {
    super(maxLength, padding, c.padId, c.prefix, c.suffix);
    this.normalizer = c.normalizer;
    this.model = c.model;
    this.addedTokens = c.addedTokens;
    this.addedIds = c.addedIds;
    StringBuilder first = new StringBuilder();
    for (String t : c.addedTokens) {
      if (first.indexOf(t.substring(0, 1)) < 0) {
        first.append(t.charAt(0));
      }
    }
    this.addedFirstChars = first.toString();
    this.vocabulary = c.vocabulary;
    this.cache = new TokenCache(cacheCapacity);
  }

  /** A builder that reads {@code tokenizer.json} at {@code tokenizerJson}. */
  public static Builder builder(Path tokenizerJson) {
    Objects.requireNonNull(tokenizerJson, "tokenizerJson");
    return new Builder(tokenizerJson, null);
  }

  /**
   * A builder that reads a {@code tokenizer.json} (UTF-8) from {@code tokenizerJson} when
   * {@link Builder#build()} runs; the stream is read to its end but not closed.
   */
  public static Builder builder(InputStream tokenizerJson) {
    Objects.requireNonNull(tokenizerJson, "tokenizerJson");
    return new Builder(null, tokenizerJson);
  }

  @Override
  void tokenize(String text, IntList out, int limit) {
    // The Rust original only ever sees UTF-8: a lone surrogate arrives as U+FFFD (then removed by the
    // clean-up like any U+FFFD).
    text = Ftfy.fixSurrogates(text);
    int n = text.length();
    int piece = 0;
    for (int i = 0; i < n && out.size() < limit; i++) {
      int match = addedTokenAt(text, i);
      if (match < 0) {
        continue;
      }
      tokenizePiece(text.substring(piece, i), out, limit);
      if (out.size() < limit) {
        out.add(addedIds[match]);
      }
      i += addedTokens[match].length() - 1;
      piece = i + 1;
    }
    if (piece < n && out.size() < limit) {
      tokenizePiece(piece == 0 ? text : text.substring(piece), out, limit);
    }
  }

  /** The longest added token starting at {@code i} (leftmost-longest matching), or -1. */
  private int addedTokenAt(String text, int i) {
    if (addedFirstChars.indexOf(text.charAt(i)) < 0) {
      return -1;
    }
    int best = -1;
    for (int k = 0; k < addedTokens.length; k++) {
      String t = addedTokens[k];
      if (text.startsWith(t, i) && (best < 0 || t.length() > addedTokens[best].length())) {
        best = k;
      }
    }
    return best;
  }

  private void tokenizePiece(String piece, IntList out, int limit) {
    if (piece.isEmpty()) {
      return;
    }
    String s = normalizer.normalize(piece);
    normalizer.preTokenize(s, (a, b) -> {
      String word = s.substring(a, b);
      int[] ids = cache.get(word);
      if (ids == null) {
        ids = model.tokenize(word);
        if (word.length() <= MAX_CACHED_WORD) {
          cache.put(word, ids);
        }
      }
      out.addAll(ids);
      return out.size() < limit;
    });
  }

  @Override
  public int vocabularySize() {
    return vocabulary.length;
  }

  @Override
  public String token(int id) {
    Objects.checkIndex(id, vocabulary.length);
    return vocabulary[id];
  }

  @Override
  public String toString() {
    return "WordPieceTokenizer{maxLength=" + maxLength() + ", padding=" + padding() + ", vocabulary="
        + vocabularySize() + ", cacheCapacity=" + cache.capacity() + "}";
  }

  /** Options of a {@link WordPieceTokenizer}; validated by {@link #build()}. */
  public static final class Builder {
    private final Path path;
    private final InputStream stream;
    private Integer maxLength;
    private Padding padding = Padding.LONGEST;
    private int cacheCapacity = DEFAULT_CACHE_CAPACITY;

    private Builder(Path path, InputStream stream) {
      this.path = path;
      this.stream = stream;
    }

    /**
     * Longest sequence including {@code [CLS]} and {@code [SEP]}; default: the file's
     * {@code truncation.max_length}, or {@value WordPieceTokenizer#DEFAULT_MAX_LENGTH} without one.
     */
    public Builder maxLength(int maxLength) {
      this.maxLength = maxLength;
      return this;
    }

    /** How batches are padded; default {@link Padding#LONGEST}. */
    public Builder padding(Padding padding) {
      this.padding = Objects.requireNonNull(padding, "padding");
      return this;
    }

    /** Words kept in the cache; 0 disables it; default {@value WordPieceTokenizer#DEFAULT_CACHE_CAPACITY}. */
    public Builder cacheCapacity(int cacheCapacity) {
      this.cacheCapacity = cacheCapacity;
      return this;
    }

    /**
     * Reads the file and builds the tokenizer.
     *
     * @throws IllegalArgumentException if the maximum length is below 3 or the cache capacity negative
     * @throws BindspaceException if the file cannot be read, is not JSON, or describes something other
     *     than a BERT WordPiece tokenizer (the message names the unsupported part)
     */
    public WordPieceTokenizer build() {
      if (maxLength != null && maxLength < 3) {
        throw new IllegalArgumentException("max length must be >= 3 ([CLS], [SEP] and one more), got " + maxLength);
      }
      if (cacheCapacity < 0) {
        throw new IllegalArgumentException("cache capacity must be >= 0, got " + cacheCapacity);
      }
      String source = path != null ? path.toString() : "the given stream";
      Config c;
      try {
        byte[] bytes;
        if (path != null) {
          bytes = Files.readAllBytes(path);
        } else {
          bytes = stream.readAllBytes();
        }
        c = Config.parse(new String(bytes, StandardCharsets.UTF_8));
      } catch (IOException | IllegalArgumentException | ClassCastException e) {
        throw new BindspaceException("cannot load the WordPiece tokenizer from " + source + ": " + e.getMessage(), e);
      }
      int length = maxLength != null ? maxLength : c.maxLength;
      if (length < c.prefix.length + c.suffix.length + 1) {
        throw new IllegalArgumentException("max length " + length + " leaves no room besides "
            + (c.prefix.length + c.suffix.length) + " special tokens");
      }
      return new WordPieceTokenizer(c, length, padding, cacheCapacity);
    }
  }

  /** What the tokenizer.json says, checked. */
  private static final class Config {
    BertText normalizer;
    WordPiece model;
    String[] vocabulary;
    String[] addedTokens;
    int[] addedIds;
    int[] prefix = new int[0];
    int[] suffix = new int[0];
    int padId;
    int maxLength = DEFAULT_MAX_LENGTH;

    @SuppressWarnings("unchecked")
    static Config parse(String json) {
      Object root = Json.parse(json);
      if (!(root instanceof Map)) {
        throw new IllegalArgumentException("not a tokenizer.json: the top level is not an object");
      }
      Map<String, Object> t = (Map<String, Object>) root;
      Config c = new Config();

      Map<String, Object> m = object(t, "model");
      if (m == null || !"WordPiece".equals(m.get("type"))) {
        throw new IllegalArgumentException("model type " + (m == null ? null : m.get("type")) + " is not supported, expected WordPiece");
      }
      Map<String, Object> vocabJson = object(m, "vocab");
      if (vocabJson == null || vocabJson.isEmpty()) {
        throw new IllegalArgumentException("model.vocab is missing or empty");
      }
      Map<String, Integer> vocab = new HashMap<>(vocabJson.size() * 2);
      int maxId = -1;
      for (Map.Entry<String, Object> e : vocabJson.entrySet()) {
        int id = ((Long) e.getValue()).intValue();
        if (id < 0) {
          throw new IllegalArgumentException("negative id " + id + " for '" + e.getKey() + "'");
        }
        vocab.put(e.getKey(), id);
        maxId = Math.max(maxId, id);
      }
      List<Object> added = t.get("added_tokens") == null ? List.of() : (List<Object>) t.get("added_tokens");
      List<String> addedContent = new ArrayList<>();
      List<Integer> addedId = new ArrayList<>();
      for (Object o : added) {
        Map<String, Object> a = (Map<String, Object>) o;
        String content = (String) a.get("content");
        int id = ((Long) a.get("id")).intValue();
        for (String opt : new String[] {"single_word", "lstrip", "rstrip", "normalized"}) {
          if (Boolean.TRUE.equals(a.get(opt))) {
            throw new IllegalArgumentException("added token '" + content + "' uses " + opt + "=true, which is not supported");
          }
        }
        if (content == null || content.isEmpty()) {
          throw new IllegalArgumentException("added token " + id + " has no content");
        }
        addedContent.add(content);
        addedId.add(id);
        maxId = Math.max(maxId, id);
      }
      c.vocabulary = new String[maxId + 1];
      vocab.forEach((k, v) -> c.vocabulary[v] = k);
      for (int i = 0; i < addedContent.size(); i++) {
        c.vocabulary[addedId.get(i)] = addedContent.get(i);
      }
      c.addedTokens = addedContent.toArray(new String[0]);
      c.addedIds = addedId.stream().mapToInt(Integer::intValue).toArray();

      String unk = m.get("unk_token") == null ? "[UNK]" : (String) m.get("unk_token");
      Integer unkId = vocab.get(unk);
      if (unkId == null) {
        throw new IllegalArgumentException("unknown token '" + unk + "' is not in the vocabulary");
      }
      String contPrefix = m.get("continuing_subword_prefix") == null ? "##" : (String) m.get("continuing_subword_prefix");
      int maxChars = m.get("max_input_chars_per_word") == null ? 100 : ((Long) m.get("max_input_chars_per_word")).intValue();
      c.model = new WordPiece(vocab, contPrefix, unkId, maxChars);

      Map<String, Object> n = object(t, "normalizer");
      if (n == null) {
        c.normalizer = new BertText(false, false, false, false);
      } else if ("BertNormalizer".equals(n.get("type"))) {
        boolean lowercase = bool(n, "lowercase", true);
        Object strip = n.get("strip_accents");
        c.normalizer = new BertText(bool(n, "clean_text", true), bool(n, "handle_chinese_chars", true),
            strip == null ? lowercase : (Boolean) strip, lowercase);
      } else {
        throw new IllegalArgumentException("normalizer type " + n.get("type") + " is not supported, expected BertNormalizer");
      }

      Map<String, Object> p = object(t, "pre_tokenizer");
      if (p == null || !"BertPreTokenizer".equals(p.get("type"))) {
        throw new IllegalArgumentException("pre_tokenizer type " + (p == null ? null : p.get("type"))
            + " is not supported, expected BertPreTokenizer");
      }

      Map<String, Object> post = object(t, "post_processor");
      if (post != null) {
        parsePostProcessor(c, post);
      }

      Map<String, Object> trunc = object(t, "truncation");
      if (trunc != null && trunc.get("max_length") != null) {
        c.maxLength = ((Long) trunc.get("max_length")).intValue();
      }
      Map<String, Object> pad = object(t, "padding");
      if (pad != null && pad.get("pad_id") != null) {
        c.padId = ((Long) pad.get("pad_id")).intValue();
      } else {
        c.padId = vocab.getOrDefault("[PAD]", 0);
      }
      return c;
    }

    @SuppressWarnings("unchecked")
    private static void parsePostProcessor(Config c, Map<String, Object> post) {
      Object type = post.get("type");
      if ("BertProcessing".equals(type)) {
        c.prefix = new int[] {((Long) ((List<Object>) post.get("cls")).get(1)).intValue()};
        c.suffix = new int[] {((Long) ((List<Object>) post.get("sep")).get(1)).intValue()};
        return;
      }
      if (!"TemplateProcessing".equals(type)) {
        throw new IllegalArgumentException("post_processor type " + type
            + " is not supported, expected TemplateProcessing or BertProcessing");
      }
      Map<String, Object> specials = object(post, "special_tokens");
      IntList pre = new IntList(2);
      IntList suf = new IntList(2);
      boolean seenSequence = false;
      for (Object piece : (List<Object>) post.get("single")) {
        Map<String, Object> pc = (Map<String, Object>) piece;
        if (pc.containsKey("Sequence")) {
          if (seenSequence) {
            throw new IllegalArgumentException("a single-sequence template with two sequences is not supported");
          }
          seenSequence = true;
          continue;
        }
        Map<String, Object> sp = (Map<String, Object>) pc.get("SpecialToken");
        if (sp == null) {
          throw new IllegalArgumentException("unsupported template piece " + pc.keySet());
        }
        if (((Long) sp.get("type_id")).intValue() != 0) {
          throw new IllegalArgumentException("special token type ids other than 0 are not supported");
        }
        Map<String, Object> def = specials == null ? null : (Map<String, Object>) specials.get(sp.get("id"));
        if (def == null) {
          throw new IllegalArgumentException("template token " + sp.get("id") + " is not in special_tokens");
        }
        for (Object id : (List<Object>) def.get("ids")) {
          (seenSequence ? suf : pre).add(((Long) id).intValue());
        }
      }
      if (!seenSequence) {
        throw new IllegalArgumentException("the single-sequence template has no sequence");
      }
      c.prefix = pre.toArray();
      c.suffix = suf.toArray();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> m, String key) {
      Object o = m.get(key);
      if (o != null && !(o instanceof Map)) {
        throw new IllegalArgumentException(key + " is not an object");
      }
      return (Map<String, Object>) o;
    }

    private static boolean bool(Map<String, Object> m, String key, boolean dflt) {
      Object o = m.get(key);
      return o == null ? dflt : (Boolean) o;
    }
  }
}
