package dev.bindspace.text.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * OpenAI CLIP's byte-level BPE model as ImageBind builds it from {@code bpe_simple_vocab_16e6.txt.gz}:
 * the vocabulary (256 byte symbols, the same 256 with {@code </w>}, one entry per merge, then
 * {@code <|startoftext|>} and {@code <|endoftext|>}), the merge ranks, and the merge loop.
 *
 * <p>Symbols are vocabulary ids throughout: a merge rank is looked up by the pair of ids and produces
 * the id of the concatenated string, which is what the string-based original computes because the
 * string → id map is one-to-one. Short words use the original's loop (lowest-ranked pair, all its
 * occurrences left to right, repeat); long words use a priority queue over (rank, position), which
 * gives the same result when every merge ranks below the merges that use its output — checked at load.
 */
public final class ClipBpe {
  /** Lines 1..48,894 of the file are used as merges (ImageBind: {@code merges[1:49152-256-2+1]}). */
  public static final int MERGES = 49152 - 256 - 2;
  public static final String START_OF_TEXT = "<|startoftext|>";
  public static final String END_OF_TEXT = "<|endoftext|>";
  /** Words with more bytes than this use the priority-queue merge. */
  static final int LONG_WORD = 48;

  private final int[] byteToId = new int[256];
  private final int[] byteToEndId = new int[256];
  private final LongIntMap pairRank;
  private final int[] mergeResult;
  private final int[] mergeLeft;
  private final int[] mergeRight;
  private final String[] vocabulary;
  private final int startOfText;
  private final int endOfText;
  private final boolean queueSafe;

  private ClipBpe(List<String[]> merges) {
    int[] bs = new int[256];
    int[] cs = new int[256];
    int k = 0;
    for (int b = '!'; b <= '~'; b++) {
      bs[k] = b;
      cs[k++] = b;
    }
    for (int b = 0xA1; b <= 0xAC; b++) {
      bs[k] = b;
      cs[k++] = b;
    }
    for (int b = 0xAE; b <= 0xFF; b++) {
      bs[k] = b;
      cs[k++] = b;
    }
    int extra = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
      if (!printable) {
        bs[k] = b;
        cs[k++] = 256 + extra++;
      }
    }
    List<String> vocab = new ArrayList<>(512 + merges.size() + 2);
    for (int i = 0; i < 256; i++) {
      vocab.add(new String(Character.toChars(cs[i])));
    }
    for (int i = 0; i < 256; i++) {
      vocab.add(vocab.get(i) + "</w>");
    }
    for (String[] m : merges) {
      vocab.add(m[0] + m[1]);
    }
    vocab.add(START_OF_TEXT);
    vocab.add(END_OF_TEXT);
    Map<String, Integer> encoder = new HashMap<>(vocab.size() * 2);
    for (int i = 0; i < vocab.size(); i++) {
      encoder.put(vocab.get(i), i); // a repeated string keeps its last index, like dict(zip(...))
    }
    vocabulary = vocab.toArray(new String[0]);
    for (int i = 0; i < 256; i++) {
      String sym = vocab.get(i);
      byteToId[bs[i]] = encoder.get(sym);
      byteToEndId[bs[i]] = encoder.get(sym + "</w>");
    }
    pairRank = new LongIntMap(merges.size() * 2);
    mergeResult = new int[merges.size()];
    mergeLeft = new int[merges.size()];
    mergeRight = new int[merges.size()];
    for (int r = 0; r < merges.size(); r++) {
      String[] m = merges.get(r);
      Integer a = encoder.get(m[0]);
      Integer b = encoder.get(m[1]);
      mergeResult[r] = encoder.get(m[0] + m[1]);
      mergeLeft[r] = a == null ? -1 : a;
      mergeRight[r] = b == null ? -1 : b;
      if (a != null && b != null) { // otherwise the pair can never form
        pairRank.put(key(a, b), r); // a repeated pair keeps its last rank, like dict(zip(...))
      }
    }
    startOfText = encoder.get(START_OF_TEXT);
    endOfText = encoder.get(END_OF_TEXT);
    queueSafe = ranksAreOrdered(merges, encoder);
  }

  private boolean ranksAreOrdered(List<String[]> merges, Map<String, Integer> encoder) {
    int[] createdAt = new int[vocabulary.length];
    Arrays.fill(createdAt, -1);
    for (int r = 0; r < merges.size(); r++) {
      String[] m = merges.get(r);
      Integer a = encoder.get(m[0]);
      Integer b = encoder.get(m[1]);
      if (a != null && b != null && pairRank.get(key(a, b)) == r) {
        createdAt[mergeResult[r]] = Math.max(createdAt[mergeResult[r]], r);
      }
    }
    for (int r = 0; r < merges.size(); r++) {
      String[] m = merges.get(r);
      Integer a = encoder.get(m[0]);
      Integer b = encoder.get(m[1]);
      if (a != null && b != null && pairRank.get(key(a, b)) == r && (createdAt[a] >= r || createdAt[b] >= r)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads {@code bpe_simple_vocab_16e6.txt.gz} (gzip, UTF-8: a header line, then one merge per line as
   * two space-separated symbols). Does not close {@code gz}.
   *
   * @throws IOException if the stream cannot be read, is not gzip, or is not UTF-8
   * @throws IllegalArgumentException if it holds fewer than {@value #MERGES} merges or a malformed one
   */
  public static ClipBpe read(InputStream gz) throws IOException {
    byte[] raw;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.readAllBytes()))) {
      raw = in.readAllBytes();
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw)).toString();
    } catch (CharacterCodingException e) {
      throw new IOException("the BPE vocabulary is not valid UTF-8", e);
    }
    String[] lines = text.split("\n", -1);
    if (lines.length - 1 < MERGES) {
      throw new IllegalArgumentException("expected at least " + MERGES + " merge lines after the header, found "
          + Math.max(0, lines.length - 1));
    }
    List<String[]> merges = new ArrayList<>(MERGES);
    for (int i = 1; i <= MERGES; i++) {
      String[] parts = PyText.split(lines[i]);
      if (parts.length != 2) {
        throw new IllegalArgumentException("merge line " + (i + 1) + " has " + parts.length
            + " symbols, expected 2: '" + lines[i] + "'");
      }
      merges.add(parts);
    }
    return new ClipBpe(merges);
  }

  public int startOfText() {
    return startOfText;
  }

  public int endOfText() {
    return endOfText;
  }

  public int vocabularySize() {
    return vocabulary.length;
  }

  /** The vocabulary string of {@code id} (byte symbols shown through CLIP's byte→unicode table). */
  public String token(int id) {
    return vocabulary[id];
  }

  /** Whether long words take the priority-queue path (false only for an unusual merges file). */
  public boolean queueSafe() {
    return queueSafe;
  }

  /** The ids of one pre-tokenized word (its UTF-8 bytes, last byte marked end-of-word). */
  public int[] encodeWord(byte[] utf8) {
    int[] syms = initialSymbols(utf8);
    if (syms.length == 1) {
      return syms;
    }
    return syms.length > LONG_WORD && queueSafe ? mergeWithQueue(syms) : mergeInPasses(syms);
  }

  /** One symbol per byte, the last one with {@code </w>}. */
  int[] initialSymbols(byte[] utf8) {
    int n = utf8.length;
    int[] syms = new int[n];
    for (int i = 0; i < n - 1; i++) {
      syms[i] = byteToId[utf8[i] & 0xFF];
    }
    syms[n - 1] = byteToEndId[utf8[n - 1] & 0xFF];
    return syms;
  }

  /** The original's loop. */
  int[] mergeInPasses(int[] syms) {
    int len = syms.length;
    while (len > 1) {
      int best = Integer.MAX_VALUE;
      for (int i = 0; i < len - 1; i++) {
        int r = pairRank.get(key(syms[i], syms[i + 1]));
        if (r >= 0 && r < best) {
          best = r;
        }
      }
      if (best == Integer.MAX_VALUE) {
        break;
      }
      int merged = mergeResult[best];
      int left = mergeLeft[best];
      int right = mergeRight[best];
      int j = 0;
      int i = 0;
      while (i < len) {
        if (syms[i] == left && i < len - 1 && syms[i + 1] == right) {
          syms[j++] = merged;
          i += 2;
        } else {
          syms[j++] = syms[i++];
        }
      }
      len = j;
    }
    return len == syms.length ? syms : Arrays.copyOf(syms, len);
  }

  /** O(n log n) for long words: a doubly-linked symbol list and a queue of (rank, position). */
  int[] mergeWithQueue(int[] syms) {
    int n = syms.length;
    int[] sym = syms.clone();
    int[] prev = new int[n];
    int[] next = new int[n];
    for (int i = 0; i < n; i++) {
      prev[i] = i - 1;
      next[i] = i + 1 < n ? i + 1 : -1;
    }
    LongHeap queue = new LongHeap(n);
    for (int i = 0; i < n - 1; i++) {
      offer(queue, sym[i], sym[i + 1], i);
    }
    while (!queue.isEmpty()) {
      long e = queue.poll();
      int rank = (int) (e >>> 32);
      int pos = (int) e;
      int right = next[pos];
      // stale entries: the left symbol was merged away (sym = -1) or the pair changed
      if (sym[pos] < 0 || right < 0 || pairRank.get(key(sym[pos], sym[right])) != rank) {
        continue;
      }
      sym[pos] = mergeResult[rank];
      sym[right] = -1;
      int after = next[right];
      next[pos] = after;
      if (after >= 0) {
        prev[after] = pos;
        offer(queue, sym[pos], sym[after], pos);
      }
      if (prev[pos] >= 0) {
        offer(queue, sym[prev[pos]], sym[pos], prev[pos]);
      }
    }
    IntList out = new IntList(n);
    for (int i = 0; i >= 0; i = next[i]) {
      out.add(sym[i]);
    }
    return out.toArray();
  }

  private void offer(LongHeap queue, int a, int b, int pos) {
    int r = pairRank.get(key(a, b));
    if (r >= 0) {
      queue.add(((long) r << 32) | pos);
    }
  }

  private static long key(int a, int b) {
    return ((long) a << 32) | (b & 0xFFFFFFFFL);
  }

  /** A binary min-heap of longs ((rank << 32) | position): no boxing for million-byte words. */
  private static final class LongHeap {
    private long[] a;
    private int size;

    LongHeap(int capacity) {
      a = new long[Math.max(4, capacity)];
    }

    boolean isEmpty() {
      return size == 0;
    }

    void add(long v) {
      if (size == a.length) {
        a = java.util.Arrays.copyOf(a, a.length * 2);
      }
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (a[parent] <= v) {
          break;
        }
        a[i] = a[parent];
        i = parent;
      }
      a[i] = v;
    }

    long poll() {
      long top = a[0];
      long last = a[--size];
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size && a[child + 1] < a[child]) {
          child++;
        }
        if (a[child] >= last) {
          break;
        }
        a[i] = a[child];
        i = child;
      }
      a[i] = last;
      return top;
    }
  }
}
