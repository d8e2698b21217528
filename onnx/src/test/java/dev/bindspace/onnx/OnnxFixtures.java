package dev.bindspace.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * The committed stand-in bundle (tools/fixtures/make_onnx_fixtures.py) and the deterministic input
 * formulas shared with that script.
 */
final class OnnxFixtures {
  static final ObjectMapper JSON = new ObjectMapper();

  private OnnxFixtures() {}

  /** The fixture bundle directory in target/test-classes. */
  static Path standinDir() {
    return resource("bundles/standin");
  }

  static Path resource(String name) {
    try {
      return Path.of(OnnxFixtures.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource " + name + " missing; run tools/fixtures/make_onnx_fixtures.py", e);
    }
  }

  static JsonNode expected() {
    try {
      return JSON.readTree(resource("bundles/standin-expected.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Same formula as gen_floats in make_onnx_fixtures.py: values in [-1, 1), exact in float32. */
  static float[] genFloats(int seed, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      long k = Math.floorMod((long) i * 1103515245L + 12345L * (seed + 1), 1L << 31);
      out[i] = (float) ((double) (k >> 7) / (1 << 24) * 2.0 - 1.0);
    }
    return out;
  }

  /** Same as gen_text: row r holds SOT, 3+seed+r ids, EOT, zero padding. */
  static long[] genText(int seed, int row, int context) {
    long[] ids = new long[context];
    int n = 3 + seed + row;
    ids[0] = 49406;
    for (int j = 0; j < n; j++) {
      long i = j + 1000L * row;
      long k = Math.floorMod(i * 1103515245L + 12345L * (seed + 1), 1L << 31);
      ids[1 + j] = 1 + (k >> 7) % 49405;
    }
    ids[1 + n] = 49407;
    return ids;
  }

  /** A writable copy of the stand-in bundle. */
  static Path copyStandin(Path dir) throws IOException {
    Path target = dir.resolve("standin");
    Files.createDirectories(target);
    try (Stream<Path> s = Files.list(standinDir())) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.copy(p, target.resolve(p.getFileName()));
      }
    }
    return target;
  }

  static ObjectNode readManifest(Path bundleDir) throws IOException {
    return (ObjectNode) JSON.readTree(bundleDir.resolve("bundle.json").toFile());
  }

  static void writeManifest(Path bundleDir, JsonNode manifest) throws IOException {
    JSON.writerWithDefaultPrettyPrinter().writeValue(bundleDir.resolve("bundle.json").toFile(), manifest);
  }

  static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Resident set size of this process in kB, from /proc/self/status (Linux). */
  static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
