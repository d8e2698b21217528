package dev.bindspace.vision.video;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The committed fixtures of tools/goldens/make_video_goldens.py. */
final class VideoFixtures {
  static final Path ROOT;

  static {
    try {
      ROOT = Path.of(VideoFixtures.class.getResource("/video/goldens/index.txt").toURI()).getParent().getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private VideoFixtures() {}

  static List<String> names() {
    try {
      return Files.readAllLines(ROOT.resolve("goldens/index.txt")).stream().filter(s -> !s.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode golden(String name) {
    try {
      return new ObjectMapper().readTree(ROOT.resolve("goldens/" + name + ".json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path clip(String name) {
    return ROOT.resolve(golden(name).get("clip").asText());
  }

  static Path bundle(String name) {
    return ROOT.resolve("bundles/" + name);
  }

  static byte[] gunzip(Path p) {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static float[] floatsLe(byte[] b) {
    java.nio.FloatBuffer fb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] out = new float[fb.remaining()];
    fb.get(out);
    return out;
  }
}
