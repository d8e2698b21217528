package dev.bindspace.benchmarks;

import dev.bindspace.Modality;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxEncoder;
import dev.bindspace.onnx.OnnxRuntimeOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sentences per second of the MiniLM text encoder (all-MiniLM-L6-v2, quantized, from the LangChain4j
 * jar on the classpath, written to a temporary bundle at setup): tokenisation, ONNX Runtime on the
 * CPU, mean pooling and normalisation. One operation embeds {@code batch} caption-like English
 * sentences (6–25 words) in one {@code embedAll} call; the {@code sentences} counter is reported by
 * JMH as sentences/s. ORT uses its default thread count. See docs/text-encoder.md for the command
 * and figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Threads(1)
public class TextEncoderBenchmark {
  private static final String[] WORDS = ("a man woman dog cat child playing guitar piano running park street city "
      + "beach red blue green small large old young sitting standing on in at with the of near under over "
      + "photo picture of two three people car bicycle train station market sunset river mountain snow")
      .split(" ");
  private static final int TEXTS = 2048;

  @Param({"1", "32"})
  public int batch;

  private Path dir;
  private OnnxEmbeddingModel model;
  private OnnxEncoder<String> encoder;
  private List<String> texts;
  private int next;

  /** Sentences embedded, reported by JMH as a rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long sentences;

    @Setup(Level.Iteration)
    public void reset() {
      sentences = 0;
    }
  }

  @SuppressWarnings("unchecked")
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("bindspace-minilm-bench");
    writeBundle(dir);
    model = OnnxEmbeddingModel.open(dir, OnnxRuntimeOptions.builder().maxBatchSize(Math.max(batch, 1)).build());
    encoder = (OnnxEncoder<String>) model.encoder(Modality.TEXT);
    Random r = new Random(20261128);
    texts = new ArrayList<>(TEXTS);
    for (int i = 0; i < TEXTS; i++) {
      int n = 6 + r.nextInt(20);
      StringBuilder b = new StringBuilder();
      for (int w = 0; w < n; w++) {
        b.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
      }
      texts.add(b.append('.').toString());
    }
    if (encoder.embedAll(texts.subList(0, batch)).size() != batch) {
      throw new IllegalStateException("encoder returned the wrong number of embeddings");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    model.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public Object embed(Counters c) {
    if (next + batch > TEXTS) {
      next = 0;
    }
    Object out = encoder.embedAll(texts.subList(next, next + batch));
    next += batch;
    c.sentences += batch;
    return out;
  }

  private static void writeBundle(Path dir) throws IOException {
    String onnx = copy("/all-minilm-l6-v2-q.onnx", dir.resolve("model.onnx"));
    String tok = copy("/all-minilm-l6-v2-q-tokenizer.json", dir.resolve("tokenizer.json"));
    String json = """
        {"format_version": 1, "model": {"name": "all-minilm-l6-v2-q", "version": "1"},
         "space": "bench-minilm", "dimension": 384,
         "license": {"id": "Apache-2.0", "name": "Apache License 2.0", "attribution": "sentence-transformers"},
         "graphs": {"text": {
           "file": {"path": "model.onnx", "sha256": "%s"}, "data_files": [],
           "inputs": [{"name": "input_ids", "dtype": "int64", "shape": [-1, -1]},
                      {"name": "attention_mask", "dtype": "int64", "shape": [-1, -1]},
                      {"name": "token_type_ids", "dtype": "int64", "shape": [-1, -1]}],
           "outputs": [{"name": "last_hidden_state", "dtype": "float32", "shape": [-1, -1, 384]}],
           "preprocessing": {"kind": "text", "tokenizer": "wordpiece",
                             "vocabulary": {"path": "tokenizer.json", "sha256": "%s"}, "context_length": 128},
           "postprocessing": {"applied_in": "host", "l2_normalize": false, "logit_scale": 1.0},
           "aggregation": {"mode": "none", "views": 1}}}}
        """.formatted(onnx, tok);
    Files.writeString(dir.resolve("bundle.json"), json, StandardCharsets.UTF_8);
  }

  private static String copy(String resource, Path target) throws IOException {
    try (InputStream in = TextEncoderBenchmark.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new UncheckedIOException(new IOException(resource + " is not on the classpath"));
      }
      Files.copy(in, target);
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(target)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
