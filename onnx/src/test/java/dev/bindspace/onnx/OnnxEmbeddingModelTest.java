package dev.bindspace.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bindspace.Embedding;
import dev.bindspace.Encoder;
import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.UnsupportedModalityException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxEmbeddingModelTest {
  @TempDir Path tmp;

  @Test
  void should_say_which_modalities_the_bundle_has_and_which_modules_are_missing() {
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(OnnxFixtures.standinDir())) {
      assertThat(model.name()).isEqualTo("standin");
      assertThat(model.space()).isEqualTo("bindspace-test-standin");
      assertThat(model.dimension()).isEqualTo(32);
      assertThat(model.bundleModalities()).containsExactlyInAnyOrder(Modality.values());
      // tensor-only graphs are served by the built-in TensorEncoder
      assertThat(model.modalities()).containsExactlyInAnyOrder(Modality.DEPTH, Modality.THERMAL, Modality.IMU);
      assertThat(model.missingEncoderModules()).containsExactlyInAnyOrderEntriesOf(Map.of(
          Modality.TEXT, "bindspace-encoders-text",
          Modality.VISION, "bindspace-encoders-vision",
          Modality.AUDIO, "bindspace-encoders-audio"));
      assertThat(model.describe()).contains("graph imu: imu:float32[-1, 6, 2000] -> embedding:float32[-1, 32] on CPU")
          .contains("AUDIO needs bindspace-encoders-audio");
      assertThatThrownBy(() -> model.encoder(Modality.AUDIO))
          .isInstanceOf(UnsupportedModalityException.class)
          .hasMessageContaining("supported modalities: [DEPTH, THERMAL, IMU]");
      Encoder<Tensor> imu = model.encoder(Modality.IMU, Tensor.class);
      Embedding e = imu.embed(Tensor.ofFloats(new long[] {6, 2000}, OnnxFixtures.genFloats(7, 12000)));
      assertThat(e.isNormalized()).isTrue();
      assertThat(e.media()).isEqualTo(MediaKind.IMU);
      assertThat(imu.dimension()).isEqualTo(32);
      assertThatThrownBy(() -> model.tensorEncoder(MediaKind.IMU).embed(Tensor.ofLongs(new long[] {77}, new long[77])))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** A provider as an encoders-* module would ship it: here it just wraps the audio tensor encoder. */
  public static final class FakeAudioProvider implements EncoderProvider {
    @Override
    public Modality modality() {
      return Modality.AUDIO;
    }

    @Override
    public String module() {
      return "fake-audio";
    }

    @Override
    public boolean supports(Map<MediaKind, GraphSpec> graphs) {
      return graphs.get(MediaKind.AUDIO).preprocessing() instanceof Preprocessing.Audio;
    }

    @Override
    public OnnxEncoder<?> create(Context context) {
      return new TensorEncoder(context.graph(MediaKind.AUDIO), context.manifest().space(),
          context.manifest().dimension(), context.options().maxBatchSize(), false);
    }
  }

  @Test
  void should_use_encoder_providers_found_by_service_loader() throws IOException {
    Path services = tmp.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(EncoderProvider.class.getName()), FakeAudioProvider.class.getName() + "\n",
        StandardCharsets.UTF_8);
    try (URLClassLoader cl = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader());
         Bundle b = Bundle.open(OnnxFixtures.standinDir());
         OnnxEmbeddingModel model = OnnxEmbeddingModel.of(b, OnnxRuntimeOptions.defaults(), cl)) {
      assertThat(model.modalities()).contains(Modality.AUDIO);
      assertThat(model.missingEncoderModules()).doesNotContainKey(Modality.AUDIO);
      OnnxEncoder<?> audio = model.encoder(Modality.AUDIO);
      assertThat(audio.modality()).isEqualTo(Modality.AUDIO);
    }
  }

  @Test
  void should_refuse_a_graph_whose_input_name_differs_from_the_manifest() throws IOException {
    Path dir = OnnxFixtures.copyStandin(tmp);
    ObjectNode m = OnnxFixtures.readManifest(dir);
    ((ObjectNode) m.get("graphs").get("imu").get("inputs").get(0)).put("name", "sensor");
    OnnxFixtures.writeManifest(dir, m);
    assertThatThrownBy(() -> OnnxEmbeddingModel.open(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("graph imu (imu.onnx): input names differ from bundle.json: expected [sensor], found [imu]");
  }

  @Test
  void should_refuse_a_graph_whose_shape_or_type_differs_from_the_manifest() throws IOException {
    Path dir = OnnxFixtures.copyStandin(tmp);
    ObjectNode m = OnnxFixtures.readManifest(dir);
    ArrayNode shape = ((ObjectNode) m.get("graphs").get("audio").get("inputs").get(0)).putArray("shape");
    shape.add(-1).add(1).add(128).add(200);
    OnnxFixtures.writeManifest(dir, m);
    assertThatThrownBy(() -> OnnxEmbeddingModel.open(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("graph audio (audio.onnx): input 'audio' has shape: expected [-1, 1, 128, 200] "
            + "(from bundle.json), found [-1, 1, 128, 204] in the graph");
    m = OnnxFixtures.readManifest(OnnxFixtures.standinDir());
    ((ObjectNode) m.get("graphs").get("text").get("inputs").get(0)).put("dtype", "float32");
    OnnxFixtures.writeManifest(dir, m);
    assertThatThrownBy(() -> OnnxEmbeddingModel.open(dir))
        .hasMessageContaining("input 'text' has element type: expected float32, found INT64");
  }

  @Test
  void should_refuse_a_truncated_graph_even_with_a_matching_hash() throws IOException {
    Path dir = OnnxFixtures.copyStandin(tmp);
    Path graph = dir.resolve("depth.onnx");
    byte[] bytes = Files.readAllBytes(graph);
    Files.write(graph, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    ObjectNode m = OnnxFixtures.readManifest(dir);
    ((ObjectNode) m.get("graphs").get("depth").get("file")).put("sha256", OnnxFixtures.sha256(graph));
    OnnxFixtures.writeManifest(dir, m);
    assertThatThrownBy(() -> OnnxEmbeddingModel.open(dir))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("graph depth (depth.onnx): ONNX Runtime cannot load the graph");
  }

  @Test
  void should_apply_host_post_processing_when_the_manifest_asks_for_it() throws IOException {
    // same graph, but declared as 'host' with scale 3: Java normalises and scales again -> norm 3
    Path dir = OnnxFixtures.copyStandin(tmp);
    ObjectNode m = OnnxFixtures.readManifest(dir);
    ((ObjectNode) m.get("graphs").get("imu").get("postprocessing")).put("applied_in", "host").put("logit_scale", 3.0);
    OnnxFixtures.writeManifest(dir, m);
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(dir)) {
      EmbeddingResult r = model.tensorEncoder(MediaKind.IMU)
          .encode(Tensor.ofFloats(new long[] {6, 2000}, OnnxFixtures.genFloats(9, 12000)));
      assertThat(r.raw().norm()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-5));
    }
  }

  @Test
  void should_close_idempotently_and_refuse_use_after_close() {
    OnnxEmbeddingModel model = OnnxEmbeddingModel.open(OnnxFixtures.standinDir());
    TensorEncoder imu = model.tensorEncoder(MediaKind.IMU);
    model.close();
    model.close();
    assertThatThrownBy(() -> model.encoder(Modality.IMU)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> imu.embedAll(List.of(Tensor.ofFloats(new long[] {6, 2000}, new float[12000]))))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void should_validate_runtime_options_and_run_on_cpu_here() {
    assertThatThrownBy(() -> OnnxRuntimeOptions.builder().maxBatchSize(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxBatchSize must be >= 1, got 0");
    assertThatThrownBy(() -> OnnxRuntimeOptions.builder().intraOpThreads(-1).build())
        .hasMessageContaining("got -1");
    OnnxRuntimeOptions o = OnnxRuntimeOptions.builder().intraOpThreads(1).interOpThreads(1)
        .optimizationLevel(OnnxRuntimeOptions.OptimizationLevel.BASIC).memoryArena(false).maxBatchSize(2).build();
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(OnnxFixtures.standinDir(), o)) {
      assertThat(model.describe()).contains("on CPU");
    }
  }
}
