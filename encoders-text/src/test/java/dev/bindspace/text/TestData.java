package dev.bindspace.text;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bindspace.text.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Locates test data: the shared folder beside the repository, classpath resources, the tokenizers. */
public final class TestData {
  /** The CLIP BPE vocabulary inside the shared folder (MIT, OpenAI CLIP; never committed here). */
  public static final String CLIP_VOCAB = "data/clip-bpe/bpe_simple_vocab_16e6.txt.gz";
  /** The ImageBind preprocessing goldens' text part inside the shared folder. */
  public static final String CLIP_GOLDENS = "goldens/imagebind-preprocessing/text";
  /** The MiniLM tokenizer.json, a resource of the test-scope langchain4j MiniLM jar. */
  public static final String MINILM_TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";

  private static ClipBpeTokenizer clip;
  private static WordPieceTokenizer miniLm;

  private TestData() {}

  /**
   * {@code shared/<relative>} in the first ancestor of the working directory (the module directory
   * under Maven) that has it: {@code ../shared} seen from the repository root. The system property
   * {@code bindspace.shared} overrides the search.
   */
  public static Optional<Path> shared(String relative) {
    String override = System.getProperty("bindspace.shared");
    if (override != null) {
      Path p = Path.of(override).resolve(relative);
      return Files.exists(p) ? Optional.of(p) : Optional.empty();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path p = dir.resolve("shared").resolve(relative);
      if (Files.exists(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** {@link #shared}, or skips the calling test with a message saying what is missing. */
  public static Path sharedOrSkip(String relative) {
    Optional<Path> p = shared(relative);
    if (p.isEmpty()) {
      String why = "SKIPPED: ../shared/" + relative + " not found (searched the ancestors of "
          + Path.of("").toAbsolutePath() + "; set -Dbindspace.shared=DIR to point at it)";
      System.out.println(why); // visible in the build log, not only in the surefire report
      assumeTrue(false, why);
    }
    return p.get();
  }

  /** The CLIP tokenizer with ImageBind's settings, or a skip when the vocabulary is absent. */
  public static synchronized ClipBpeTokenizer clip() {
    if (clip == null) {
      clip = ClipBpeTokenizer.builder(sharedOrSkip(CLIP_VOCAB)).build();
    }
    return clip;
  }

  /** all-MiniLM-L6-v2's WordPiece tokenizer, read from the test classpath. */
  public static synchronized WordPieceTokenizer miniLm() {
    if (miniLm == null) {
      try (InputStream in = TestData.class.getResourceAsStream(MINILM_TOKENIZER)) {
        if (in == null) {
          throw new IllegalStateException(MINILM_TOKENIZER + " is not on the test classpath");
        }
        miniLm = WordPieceTokenizer.builder(in).build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return miniLm;
  }

  /** The objects of a JSON-lines classpath resource. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> jsonLines(String resource) {
    try (InputStream in = TestData.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the test classpath");
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isEmpty()) {
          rows.add((Map<String, Object>) Json.parse(line));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON array of integers. */
  @SuppressWarnings("unchecked")
  public static int[] ints(Object jsonArray) {
    return ((List<Object>) jsonArray).stream().mapToInt(o -> ((Long) o).intValue()).toArray();
  }

  /** The rows of a little-endian int64 2-D {@code .npy} file (format 1.0). */
  public static long[][] readInt64Matrix(Path npy) throws IOException {
    byte[] b = Files.readAllBytes(npy);
    if (b.length < 10 || b[0] != (byte) 0x93 || !new String(b, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
      throw new IOException(npy + " is not a .npy file");
    }
    int headerLen = (b[8] & 0xFF) | ((b[9] & 0xFF) << 8);
    String header = new String(b, 10, headerLen, StandardCharsets.US_ASCII);
    if (!header.contains("'descr': '<i8'") || !header.contains("'fortran_order': False")) {
      throw new IOException("expected a C-order <i8 array, header " + header);
    }
    String shape = header.substring(header.indexOf("'shape': (") + 10);
    String[] dims = shape.substring(0, shape.indexOf(')')).split(",");
    int rows = Integer.parseInt(dims[0].trim());
    int cols = Integer.parseInt(dims[1].trim());
    ByteBuffer bb = ByteBuffer.wrap(b, 10 + headerLen, b.length - 10 - headerLen).order(ByteOrder.LITTLE_ENDIAN);
    long[][] m = new long[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        m[r][c] = bb.getLong();
      }
    }
    return m;
  }

  /** Text with every non-printable-ASCII char as \\uXXXX, for failure messages. */
  public static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    for (char ch : s.toCharArray()) {
      if (ch < 0x20 || ch > 0x7e) {
        sb.append(String.format("\\u%04x", (int) ch));
      } else {
        sb.append(ch);
      }
    }
    return sb.length() > 400 ? sb.substring(0, 400) + "..." : sb.toString();
  }
}
