package dev.bindspace.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindspace.EncodingException;
import dev.bindspace.MediaKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The torch 1.13 pitfall the exporter works around: an IMU graph exported with {@code unfold(-1, …)}
 * passes onnx.checker but fails in ONNX Runtime; the exporter's graph (same module) runs.
 */
class ImuUnfoldPitfallTest {

  @Test
  void should_show_the_naive_export_fails_in_ort_while_the_exported_bundle_graph_runs() {
    GraphSpec imu;
    try (Bundle b = Bundle.open(OnnxFixtures.standinDir())) {
      imu = b.manifest().graph(MediaKind.IMU).orElseThrow();
      try (OnnxGraph good = OnnxGraph.open(b, imu, OnnxRuntimeOptions.defaults())) {
        assertThat(good.runFloats(OnnxFixtures.genFloats(1, 2 * 6 * 2000), 2)).hasSize(2 * 32);
      }
    }
    Path naive = OnnxFixtures.resource("bundles/imu-negative-unfold.onnx");
    try (OnnxGraph bad = OnnxGraph.open(naive, imu, OnnxRuntimeOptions.defaults(), "naive imu export")) {
      assertThatThrownBy(() -> bad.runFloats(OnnxFixtures.genFloats(1, 2 * 6 * 2000), 2))
          .isInstanceOf(EncodingException.class)
          .hasMessageContaining("naive imu export: ONNX Runtime failed on a batch of 2");
    }
  }
}
