package dev.bindspace.mini.tools;

import dev.bindspace.Embedding;
import dev.bindspace.Encoder;
import dev.bindspace.Modality;
import dev.bindspace.mini.BindspaceMini;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxRuntimeOptions;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Training-pipeline tool (tools/mini-train): embeds caption strings with bindspace-mini's frozen
 * text anchor (all-MiniLM-L6-v2, exactly the Java path users query with) and writes them as a
 * NumPy {@code .npy} file, {@code float32 [N, 384]}, unit rows, in input order.
 *
 * <p>Input: UTF-8 text, one caption per line (empty lines are refused: they would shift rows).
 * Texts are embedded one at a time, because the quantised MiniLM graph's results depend slightly on
 * how a batch is padded; one-at-a-time is what a user's single query gets.
 *
 * <p>Run: {@code ./mvnw -q -o -pl model-mini exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.bindspace.mini.tools.EmbedCaptions -Dexec.args="captions.txt captions.npy"}
 */
public final class EmbedCaptions {
  private EmbedCaptions() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: EmbedCaptions CAPTIONS.txt OUT.npy");
      System.exit(2);
    }
    List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        throw new IllegalArgumentException(args[0] + ": line " + (i + 1) + " is empty: expected one caption per line");
      }
    }
    OnnxRuntimeOptions opts = OnnxRuntimeOptions.builder().maxBatchSize(1).build();
    long t0 = System.nanoTime();
    try (OnnxEmbeddingModel model = BindspaceMini.open(opts)) {
      Encoder<String> text = model.encoder(Modality.TEXT, String.class);
      int dim = model.dimension();
      try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(Path.of(args[1])), 1 << 20)) {
        writeNpyHeader(os, lines.size(), dim);
        java.nio.ByteBuffer row = java.nio.ByteBuffer.allocate(dim * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < lines.size(); i++) {
          Embedding e = text.embed(lines.get(i));
          row.clear();
          for (float v : e.toArray()) {
            row.putFloat(v);
          }
          os.write(row.array());
          if ((i + 1) % 2000 == 0) {
            System.err.printf("%d / %d captions, %.1f s%n", i + 1, lines.size(), (System.nanoTime() - t0) / 1e9);
          }
        }
      }
    }
    System.err.printf("embedded %d captions in %.1f s -> %s%n", lines.size(), (System.nanoTime() - t0) / 1e9, args[1]);
  }

  /** NumPy format 1.0 header for a little-endian float32 C-order array of shape (rows, cols). */
  static void writeNpyHeader(OutputStream os, int rows, int cols) throws IOException {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
    int total = 10 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    DataOutputStream d = new DataOutputStream(os);
    d.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    d.write(header.length() & 0xff);
    d.write((header.length() >> 8) & 0xff);
    d.write(header.getBytes(StandardCharsets.US_ASCII));
    d.flush();
  }
}
