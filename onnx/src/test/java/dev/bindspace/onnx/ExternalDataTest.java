package dev.bindspace.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bindspace.MediaKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graph whose weights live in an ONNX external-data file (how ImageBind-Huge's >2 GB vision graph
 * is exported): the data file is verified like any other, and ORT finds it next to the graph, from a
 * directory and from an extracted zip.
 */
class ExternalDataTest {
  @TempDir Path tmp;

  static JsonNode thermalCase() {
    for (JsonNode c : OnnxFixtures.expected().get("cases")) {
      if (c.get("name").asText().equals("thermal_b1")) {
        return c;
      }
    }
    throw new IllegalStateException("no thermal_b1 case");
  }

  static void assertParity(Path bundle) {
    JsonNode c = thermalCase();
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(bundle)) {
      GraphSpec spec = model.manifest().graph(MediaKind.THERMAL).orElseThrow();
      assertThat(spec.dataFiles()).extracting(FileRef::path).containsExactly("thermal.onnx.data");
      float[] raw = model.tensorEncoder(MediaKind.THERMAL)
          .encode(TensorEncoderParityTest.inputs(c).get(0)).raw().toArray();
      double worst = 0;
      for (int j = 0; j < raw.length; j++) {
        worst = Math.max(worst, Math.abs(raw[j] - c.get("expected").get(0).get(j).asDouble()));
      }
      assertThat(worst).isLessThanOrEqualTo(1e-5 * 10.0); // thermal raw norm is 10
    }
  }

  @Test
  void should_load_external_weights_from_a_directory_and_a_zip() throws IOException {
    Path dir = OnnxFixtures.resource("bundles/external");
    assertParity(dir);
    Path z = tmp.resolve("external.zip");
    BundleLoaderTest.zip(dir, z);
    assertParity(z);
  }

  @Test
  void should_refuse_a_tampered_external_data_file() throws IOException {
    Path dir = tmp.resolve("external");
    Files.createDirectories(dir);
    try (Stream<Path> s = Files.list(OnnxFixtures.resource("bundles/external"))) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.copy(p, dir.resolve(p.getFileName()));
      }
    }
    byte[] data = Files.readAllBytes(dir.resolve("thermal.onnx.data"));
    data[0] ^= 0x40;
    Files.write(dir.resolve("thermal.onnx.data"), data);
    assertThatThrownBy(() -> OnnxEmbeddingModel.open(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("SHA-256 mismatch for 'thermal.onnx.data'");
  }
}
