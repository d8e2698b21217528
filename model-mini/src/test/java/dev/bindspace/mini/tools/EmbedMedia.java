package dev.bindspace.mini.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bindspace.Embedding;
import dev.bindspace.Encoder;
import dev.bindspace.Modality;
import dev.bindspace.audio.AudioInput;
import dev.bindspace.mini.BindspaceMini;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.vision.VisionInput;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark-data tool: embeds the media files listed in a training manifest with the shipped
 * bindspace-mini bundle, as a user's {@code embed} call would, and writes them as a NumPy
 * {@code .npy} file, {@code float32 [N, 384]}, unit rows, in manifest order. The ANN benchmark
 * ({@code index-lucene/src/bench/python/ann_real_data.py}) uses these as its real-embedding set.
 *
 * <p>Input: a {@code manifest.jsonl} of {@code tools/mini-train} (one JSON object per line with a
 * {@code "file"} path relative to {@code ROOT}). Files that fail to decode are reported and
 * skipped; their count is printed.
 *
 * <p>Run: {@code java -cp ... dev.bindspace.mini.tools.EmbedMedia image|audio ROOT MANIFEST.jsonl OUT.npy}
 */
public final class EmbedMedia {
  private EmbedMedia() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 4 || !(args[0].equals("image") || args[0].equals("audio"))) {
      System.err.println("usage: EmbedMedia image|audio ROOT MANIFEST.jsonl OUT.npy");
      System.exit(2);
    }
    boolean image = args[0].equals("image");
    Path root = Path.of(args[1]);
    ObjectMapper json = new ObjectMapper();
    List<Path> files = new ArrayList<>();
    List<String> lines = Files.readAllLines(Path.of(args[2]), StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonNode file = json.readTree(lines.get(i)).get("file");
      if (file == null || !file.isTextual()) {
        throw new IllegalArgumentException(args[2] + ": line " + (i + 1) + " has no \"file\" string");
      }
      files.add(root.resolve(file.asText()));
    }
    long t0 = System.nanoTime();
    List<float[]> rows = new ArrayList<>(files.size());
    int failed = 0;
    try (OnnxEmbeddingModel model = BindspaceMini.open()) {
      @SuppressWarnings("unchecked")
      Encoder<Object> enc = (Encoder<Object>) model.encoder(image ? Modality.VISION : Modality.AUDIO);
      for (int i = 0; i < files.size(); i++) {
        Path f = files.get(i);
        try {
          Embedding e = enc.embed(image ? VisionInput.file(f) : AudioInput.file(f));
          rows.add(e.toArray());
        } catch (RuntimeException e) {
          failed++;
          System.err.println("skipped " + f + ": " + e.getMessage());
        }
        if ((i + 1) % 1000 == 0) {
          System.err.printf("%d / %d files, %.1f s%n", i + 1, files.size(), (System.nanoTime() - t0) / 1e9);
        }
      }
    }
    int dim = rows.isEmpty() ? 0 : rows.get(0).length;
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(Path.of(args[3])), 1 << 20)) {
      EmbedCaptions.writeNpyHeader(os, rows.size(), dim);
      ByteBuffer row = ByteBuffer.allocate(dim * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (float[] r : rows) {
        row.clear();
        for (float v : r) {
          row.putFloat(v);
        }
        os.write(row.array());
      }
    }
    System.err.printf("embedded %d %s files (%d skipped) in %.1f s -> %s%n", rows.size(), args[0], failed,
        (System.nanoTime() - t0) / 1e9, args[3]);
  }
}
