package dev.bindspace.text;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes a one-graph text bundle for tests: one of the onnx module's fixture text graphs ({@code int64 [-1, 77]}
 * → {@code [-1, 32]}, post-processing inside the graph) with the real CLIP vocabulary from {@code ../shared}
 * (the calling test is skipped when either is missing).
 */
final class ClipTextBundle {
  private ClipTextBundle() {}

  /**
   * Copies {@code graph} and the CLIP vocabulary into {@code dir} and writes its bundle.json.
   *
   * @param precision the graph's {@code precision} field ({@code "int8"}), or null to leave it out (float32)
   */
  static Path write(Path dir, Path graph, String precision) throws IOException {
    Path vocab = TestData.sharedOrSkip(TestData.CLIP_VOCAB);
    assumeTrue(Files.isRegularFile(graph), "the onnx module's fixture text graph is not at " + graph.toAbsolutePath());
    Files.copy(graph, dir.resolve("text.onnx"));
    Files.copy(vocab, dir.resolve("bpe_simple_vocab_16e6.txt.gz"));
    Files.writeString(dir.resolve("bundle.json"), """
        {"format_version": 1, "model": {"name": "standin-text", "version": "1"}, "space": "bindspace-test-standin",
         "dimension": 32, "license": {"id": "Apache-2.0", "name": "Apache License 2.0", "attribution": "bindspace"},
         "graphs": {"text": {
           "file": {"path": "text.onnx", "sha256": "%s"}, "data_files": [],
           "inputs": [{"name": "text", "dtype": "int64", "shape": [-1, 77]}],
           "outputs": [{"name": "embedding", "dtype": "float32", "shape": [-1, 32]}],
           "preprocessing": {"kind": "text", "tokenizer": "clip_bpe", "context_length": 77,
                             "vocabulary": {"path": "bpe_simple_vocab_16e6.txt.gz", "sha256": "%s"}},
           "postprocessing": {"applied_in": "graph", "l2_normalize": true, "logit_scale": 23.5},
           "aggregation": {"mode": "none", "views": 1}%s}}}
        """.formatted(sha(dir.resolve("text.onnx")), sha(dir.resolve("bpe_simple_vocab_16e6.txt.gz")),
        precision == null ? "" : ", \"precision\": \"" + precision + "\""), StandardCharsets.UTF_8);
    return dir;
  }

  static String sha(Path p) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
