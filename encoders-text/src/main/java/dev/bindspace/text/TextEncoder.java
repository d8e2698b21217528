package dev.bindspace.text;

import dev.bindspace.Embedding;
import dev.bindspace.EncodingException;
import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.StagedEncoder;
import dev.bindspace.onnx.EmbeddingResult;
import dev.bindspace.onnx.GraphSpec;
import dev.bindspace.onnx.OnnxEncoder;
import dev.bindspace.onnx.OnnxGraph;
import dev.bindspace.onnx.PostProcessing;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The text encoder over a bundle's {@code text} graph: tokenises, runs the graph in batches of at
 * most {@code maxBatchSize} texts and pools.
 *
 * <ul>
 *   <li>{@code clip_bpe} (ImageBind): the graph takes the ids alone and does end-of-text pooling,
 *       projection and logit scaling itself. Every row is padded to the context length (77), or, when
 *       the profile says {@code "padding": "longest"} (a causal graph exported by our tool), each batch
 *       only to its longest row: a 6-token query then costs a fraction of a 77-token run and gives the
 *       same embedding.
 *   <li>{@code wordpiece} (all-MiniLM-L6-v2): each batch is padded to its longest row; the graph
 *       takes ids, attention mask (and token type ids) and returns per-token states, which are
 *       mean-pooled over the attention mask here (sentence-transformers' pooling).
 * </ul>
 *
 * An int8 graph runs one text (all its windows) per run unless the model's options say
 * {@code QuantizedBatching.SHARED} ({@link OnnxGraph#batchesAcrossInputs()}): its activations are quantised
 * per run, so a shared run would make a text's embedding depend on the other texts of the call.
 *
 * <p>Then the bundle's host post-processing, if any. {@link EmbeddingResult#raw()} is that vector (for
 * MiniLM the pooled, un-normalised mean); {@link EmbeddingResult#joint()} is it scaled to unit norm.
 *
 * <p><b>Long texts.</b> By default a text is truncated to the tokenizer's maximum length (CLIP 77,
 * MiniLM 128 tokens, special tokens included), as the original models do. {@link #windowed(int)}
 * returns an encoder that instead cuts a long text into windows of at most that length sharing
 * {@code overlap} tokens with the previous window, embeds every window and takes the mean of the
 * window vectors weighted by each window's token count; the joint embedding is that mean scaled to
 * unit norm. A text that fits gives exactly one window, so short texts embed identically in both
 * modes.
 *
 * <p>Thread-safe; the graph is owned by the model, {@link #close()} only stops this encoder.
 */
public final class TextEncoder implements OnnxEncoder<String>, StagedEncoder<String, List<Encoding>> {
  private final OnnxGraph graph;
  private final GraphSpec spec;
  private final Tokenizer tokenizer;
  private final String space;
  private final int dimension;
  private final int maxBatch;
  private final int overlap; // -1: truncate
  private volatile boolean closed;

  TextEncoder(OnnxGraph graph, Tokenizer tokenizer, String space, int dimension, int maxBatchSize) {
    this(graph, tokenizer, space, dimension, maxBatchSize, -1);
  }

  private TextEncoder(OnnxGraph graph, Tokenizer tokenizer, String space, int dimension, int maxBatchSize,
      int overlap) {
    this.graph = Objects.requireNonNull(graph, "graph");
    this.spec = graph.spec();
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.space = Embedding.checkSpace(space);
    this.dimension = dimension;
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + maxBatchSize);
    }
    this.maxBatch = maxBatchSize;
    this.overlap = overlap;
  }

  /**
   * An encoder over the same graph and tokenizer that splits texts longer than
   * {@link Tokenizer#maxLength()} into overlapping windows and averages them (see the class
   * comment) instead of truncating.
   *
   * @param overlap tokens each window shares with the previous one, {@code 0 <= overlap <
   *     maxLength - 2}
   */
  public TextEncoder windowed(int overlap) {
    int text = tokenizer.maxLength() - 2;
    if (overlap < 0 || overlap >= text) {
      throw new IllegalArgumentException("overlap must be in [0, " + text + "), found " + overlap);
    }
    return new TextEncoder(graph, tokenizer, space, dimension, maxBatch, overlap);
  }

  /** The tokenizer this encoder uses. */
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /** Whether long texts are split into windows ({@link #windowed}) rather than truncated. */
  public boolean isWindowed() {
    return overlap >= 0;
  }

  @Override
  public Modality modality() {
    return Modality.TEXT;
  }

  @Override
  public Class<String> inputType() {
    return String.class;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public String space() {
    return space;
  }

  @Override
  public List<EmbeddingResult> encodeAll(List<? extends String> texts) {
    Objects.requireNonNull(texts, "texts");
    if (closed) {
      throw new IllegalStateException("the text encoder is closed");
    }
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i) == null) {
        throw new NullPointerException("texts[" + i + "] is null");
      }
    }
    List<List<Encoding>> prepared = new ArrayList<>(texts.size());
    for (String t : texts) {
      prepared.add(tokenize(t));
    }
    return encodePrepared(prepared);
  }

  /**
   * The host stage: tokenises {@code text} (one encoding, or its windows for a {@link #windowed}
   * encoder) on the calling thread.
   */
  @Override
  public List<Encoding> prepare(String text) {
    Objects.requireNonNull(text, "text");
    if (closed) {
      throw new IllegalStateException("the text encoder is closed");
    }
    return tokenize(text);
  }

  /** The model stage over {@link #prepare}d texts: batched graph runs and pooling. */
  @Override
  public List<Embedding> embedPrepared(List<? extends List<Encoding>> prepared) {
    Objects.requireNonNull(prepared, "prepared");
    if (closed) {
      throw new IllegalStateException("the text encoder is closed");
    }
    List<Embedding> out = new ArrayList<>(prepared.size());
    for (EmbeddingResult r : encodePrepared(prepared)) {
      out.add(r.joint());
    }
    return out;
  }

  private List<Encoding> tokenize(String text) {
    return overlap < 0 ? List.of(tokenizer.encode(text)) : tokenizer.encodeWindows(text, overlap).encodings();
  }

  private List<EmbeddingResult> encodePrepared(List<? extends List<Encoding>> prepared) {
    List<EmbeddingResult> out = new ArrayList<>(prepared.size());
    if (overlap < 0) {
      // Batch texts of similar length together (as sentence-transformers does): less padding,
      // faster, and rows of one batch see similar neighbours.
      Encoding[] enc = new Encoding[prepared.size()];
      Integer[] order = new Integer[prepared.size()];
      for (int i = 0; i < enc.length; i++) {
        List<Encoding> p = Objects.requireNonNull(prepared.get(i), "prepared[" + i + "]");
        if (p.size() != 1) {
          throw new IllegalArgumentException("prepared[" + i + "] has " + p.size() + " windows; this encoder "
              + "truncates, expected 1 (prepare it with this encoder)");
        }
        enc[i] = p.get(0);
        order[i] = i;
      }
      java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> effectiveLength(enc[i])));
      EmbeddingResult[] res = new EmbeddingResult[enc.length];
      int step = graph.batchesAcrossInputs() ? maxBatch : 1;
      for (int from = 0; from < enc.length; from += step) {
        int to = Math.min(enc.length, from + step);
        List<Encoding> chunk = new ArrayList<>(to - from);
        for (int k = from; k < to; k++) {
          chunk.add(enc[order[k]]);
        }
        float[] pooled = run(chunk);
        for (int k = from; k < to; k++) {
          res[order[k]] = result(order[k], pooled, k - from);
        }
      }
      return java.util.Arrays.asList(res);
    }
    // windows: all windows of all texts, batched together, then a token-weighted mean per text
    List<Encoding> windows = new ArrayList<>();
    int[] count = new int[prepared.size()];
    for (int i = 0; i < prepared.size(); i++) {
      List<Encoding> w = Objects.requireNonNull(prepared.get(i), "prepared[" + i + "]");
      count[i] = w.size();
      windows.addAll(w);
    }
    float[] all = new float[Math.multiplyExact(windows.size(), dimension)];
    boolean across = graph.batchesAcrossInputs();
    int text = 0;
    int textEnd = count.length == 0 ? 0 : count[0];
    for (int from = 0; from < windows.size(); ) {
      int to = Math.min(windows.size(), from + maxBatch);
      if (!across) {
        // int8, one text per run: stop at the end of the current text's windows
        while (textEnd <= from) {
          textEnd += count[++text];
        }
        to = Math.min(to, textEnd);
      }
      float[] pooled = run(windows.subList(from, to));
      System.arraycopy(pooled, 0, all, from * dimension, pooled.length);
      from = to;
    }
    int w = 0;
    for (int i = 0; i < prepared.size(); i++) {
      double[] acc = new double[dimension];
      double weight = 0;
      for (int k = 0; k < count[i]; k++, w++) {
        int tokens = Math.max(1, windows.get(w).tokenCount());
        weight += tokens;
        for (int j = 0; j < dimension; j++) {
          acc[j] += (double) tokens * all[w * dimension + j];
        }
      }
      float[] mean = new float[dimension];
      for (int j = 0; j < dimension; j++) {
        mean[j] = (float) (acc[j] / weight);
      }
      out.add(result(i, mean, 0));
    }
    return out;
  }

  private EmbeddingResult result(int index, float[] pooled, int row) {
    float[] v = new float[dimension];
    System.arraycopy(pooled, row * dimension, v, 0, dimension);
    Embedding raw;
    try {
      raw = Embedding.of(space, MediaKind.TEXT, v);
    } catch (IllegalArgumentException e) {
      throw new EncodingException("text " + index + ": the text graph produced a non-finite value: "
          + e.getMessage(), e);
    }
    if (raw.norm() == 0) {
      throw new EncodingException("text " + index + ": the text graph produced a zero vector, which has no "
          + "direction to normalise");
    }
    return new EmbeddingResult(raw.normalize(), raw);
  }

  /** Runs one batch of encodings; returns {@code rows × dimension} post-processed vectors. */
  private float[] run(List<Encoding> rows) {
    int n = rows.size();
    int seq = 0;
    for (Encoding e : rows) {
      seq = Math.max(seq, effectiveLength(e));
    }
    boolean variable = spec.tokenSequence() || spec.variableLengthIds();
    if (!variable || tokenizer.padding() == Padding.MAX_LENGTH) {
      seq = Math.max(seq, tokenizer.maxLength());
    }
    long[] ids = new long[n * seq];
    long[] mask = new long[n * seq];
    long[] types = new long[n * seq];
    java.util.Arrays.fill(ids, tokenizer.padId());
    for (int r = 0; r < n; r++) {
      Encoding e = rows.get(r);
      int[] id = e.ids();
      int[] m = e.attentionMask();
      int[] t = e.typeIds();
      int len = Math.min(seq, id.length);
      for (int c = 0; c < len; c++) {
        ids[r * seq + c] = id[c];
        mask[r * seq + c] = m[c];
        types[r * seq + c] = t[c];
      }
    }
    float[] out;
    if (spec.tokenSequence()) {
      long[][] feed = spec.inputs().size() == 2 ? new long[][] {ids, mask} : new long[][] {ids, mask, types};
      float[] states = graph.runTokens(feed, n, seq);
      out = meanPool(states, mask, n, seq);
    } else {
      out = graph.runIds(ids, n, seq);
    }
    PostProcessing post = spec.postprocessing();
    if (post.appliedIn() == PostProcessing.Stage.HOST) {
      for (int r = 0; r < n; r++) {
        postProcess(out, r * dimension, post);
      }
    }
    return out;
  }

  /** Mean of the token states where the attention mask is 1 (sentence-transformers: sum / max(count, 1e-9)). */
  private float[] meanPool(float[] states, long[] mask, int n, int seq) {
    float[] out = new float[n * dimension];
    double[] acc = new double[dimension];
    for (int r = 0; r < n; r++) {
      java.util.Arrays.fill(acc, 0);
      long count = 0;
      for (int c = 0; c < seq; c++) {
        if (mask[r * seq + c] == 0) {
          continue;
        }
        count++;
        int base = (r * seq + c) * dimension;
        for (int j = 0; j < dimension; j++) {
          acc[j] += states[base + j];
        }
      }
      double div = Math.max(count, 1e-9);
      for (int j = 0; j < dimension; j++) {
        out[r * dimension + j] = (float) (acc[j] / div);
      }
    }
    return out;
  }

  private void postProcess(float[] out, int base, PostProcessing post) {
    double scale = post.logitScale();
    if (post.l2Normalize()) {
      double s = 0;
      for (int j = base; j < base + dimension; j++) {
        s += (double) out[j] * out[j];
      }
      scale = scale / Math.max(Math.sqrt(s), 1e-12);
    }
    if (scale != 1.0) {
      for (int j = base; j < base + dimension; j++) {
        out[j] = (float) (out[j] * scale);
      }
    }
  }

  private static int effectiveLength(Encoding e) {
    int[] m = e.attentionMask();
    int last = m.length;
    while (last > 0 && m[last - 1] == 0) {
      last--;
    }
    return Math.max(1, last);
  }

  /** Stops this encoder; the graph belongs to the model. Idempotent. */
  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "TextEncoder[" + tokenizer.getClass().getSimpleName() + ", max " + tokenizer.maxLength() + " tokens, "
        + (overlap < 0 ? "truncating" : "windows overlapping by " + overlap) + ", " + graph.executionProvider() + "]";
  }
}
