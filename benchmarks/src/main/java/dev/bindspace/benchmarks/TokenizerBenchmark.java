package dev.bindspace.benchmarks;

import dev.bindspace.text.ClipBpeTokenizer;
import dev.bindspace.text.Encoding;
import dev.bindspace.text.Tokenizer;
import dev.bindspace.text.WordPieceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Tokens per second of the text tokenizers on one core: each operation tokenizes one text of a
 * fixed, generated corpus (clean-up, pre-tokenization, BPE/WordPiece, framing and padding included);
 * the {@code tokens} counter is the number of text tokens produced (special tokens and padding not
 * counted), so JMH reports it as tokens/s.
 *
 * <ul>
 *   <li>{@code tokenizer}: {@code clip} (ImageBind's CLIP BPE, ftfy clean-up included) or
 *       {@code wordpiece} (all-MiniLM-L6-v2);
 *   <li>{@code corpus}: {@code english} (caption-like ASCII sentences) or {@code multilingual}
 *       (accented Latin, Cyrillic, Greek, CJK, emoji, mojibake and HTML entities mixed with English);
 *   <li>{@code cache}: {@code on} (the default 50,000-word cache) or {@code off} (every word through
 *       BPE/WordPiece).
 * </ul>
 *
 * Texts stay under both tokenizers' limits, so no work is cut by truncation. Setup checks that every
 * text yields tokens. Needs the CLIP vocabulary: {@code -Dbindspace.clipVocab=PATH}, or
 * {@code shared/data/clip-bpe/bpe_simple_vocab_16e6.txt.gz} in an ancestor of the working directory.
 * Not part of {@code benchmarks/run.sh}'s default set; see docs/tokenizers.md for the command.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class TokenizerBenchmark {
  private static final String VOCAB = "shared/data/clip-bpe/bpe_simple_vocab_16e6.txt.gz";
  private static final String MINILM = "/all-minilm-l6-v2-q-tokenizer.json";
  private static final int TEXTS = 4096;

  @Param({"clip", "wordpiece"})
  public String tokenizer;

  @Param({"english", "multilingual"})
  public String corpus;

  @Param({"on", "off"})
  public String cache;

  private Tokenizer tok;
  private String[] texts;
  private int next;

  /** Text tokens produced, reported by JMH as a rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long tokens;
  }

  @Setup(Level.Trial)
  public void setup() throws IOException {
    int capacity = cache.equals("on") ? ClipBpeTokenizer.DEFAULT_CACHE_CAPACITY : 0;
    if (tokenizer.equals("clip")) {
      tok = ClipBpeTokenizer.builder(clipVocab()).cacheCapacity(capacity).build();
    } else {
      try (InputStream in = TokenizerBenchmark.class.getResourceAsStream(MINILM)) {
        if (in == null) {
          throw new IllegalStateException(MINILM + " is not on the classpath (langchain4j MiniLM jar)");
        }
        tok = WordPieceTokenizer.builder(in).cacheCapacity(capacity).build();
      }
    }
    texts = generate(corpus, TEXTS).toArray(new String[0]);
    for (String t : texts) {
      Encoding e = tok.encode(t);
      if (e.truncated() || e.tokenCount() <= 2) {
        throw new IllegalStateException("corpus text gives " + e.tokenCount() + " tokens"
            + (e.truncated() ? " (truncated)" : "") + ": " + t);
      }
    }
  }

  @Benchmark
  public Encoding encode(Counters counters) {
    String t = texts[next];
    next = next + 1 == texts.length ? 0 : next + 1;
    Encoding e = tok.encode(t);
    counters.tokens += e.tokenCount() - 2;
    return e;
  }

  static Path clipVocab() {
    String p = System.getProperty("bindspace.clipVocab");
    if (p != null) {
      return Path.of(p);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path f = dir.resolve(VOCAB);
      if (Files.exists(f)) {
        return f;
      }
    }
    throw new UncheckedIOException(new IOException("CLIP vocabulary not found: pass -Dbindspace.clipVocab=PATH or run "
        + "below a folder holding " + VOCAB));
  }

  private static final String[] WORDS = ("a the of in on with and two three small large red blue green old young "
      + "dog cat horse bird man woman child people car bus train bicycle boat plane street road city beach "
      + "mountain river lake forest park garden kitchen table chair window door building bridge tower sky "
      + "sun snow rain grass tree flowers food pizza sandwich cake coffee guitar piano ball frisbee kite "
      + "sitting standing walking running riding playing holding eating looking flying jumping parked "
      + "next near under over through beside front top field water wave surfboard skateboard umbrella "
      + "photograph picture view close-up black white brown wooden colorful busy empty sunny cloudy").split(" ");
  private static final String[] FOREIGN = {"café", "naïve", "Zürich", "straße", "São Paulo", "crème brûlée", "Dvořák",
      "Łódź", "İstanbul", "Ελληνικά", "Привет мир", "Москва", "東京は日本の首都です", "中文文本", "한국어", "😀", "👍🏽",
      "🇯🇵", "don’t", "“quoted”", "Ã©tÃ©", "â€”", "&amp;", "&eacute;", "50 €", "½ cup", "ﬁsh", "ＦＵＬＬ"};

  static List<String> generate(String corpus, int n) {
    Random r = new Random(20261128);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      StringBuilder sb = new StringBuilder();
      // up to ~60 tokens with either tokenizer, so truncation never cuts work short
      int words = corpus.equals("multilingual") ? 5 + r.nextInt(12) : 6 + r.nextInt(20);
      for (int w = 0; w < words; w++) {
        if (w > 0) {
          sb.append(' ');
        }
        if (corpus.equals("multilingual") && r.nextInt(4) == 0) {
          sb.append(FOREIGN[r.nextInt(FOREIGN.length)]);
        } else {
          String word = WORDS[r.nextInt(WORDS.length)];
          sb.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
        }
        if (r.nextInt(12) == 0) {
          sb.append(r.nextBoolean() ? "," : " " + r.nextInt(100));
        }
      }
      sb.append('.');
      out.add(sb.toString());
    }
    return out;
  }
}
