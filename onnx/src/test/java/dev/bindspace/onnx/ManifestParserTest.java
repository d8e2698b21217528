package dev.bindspace.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bindspace.MediaKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ManifestParserTest {

  static ObjectNode fixture() throws IOException {
    return OnnxFixtures.readManifest(OnnxFixtures.standinDir());
  }

  static BundleManifest parse(ObjectNode m) {
    return BundleManifest.parse(m.toString().getBytes(StandardCharsets.UTF_8), "test/bundle.json");
  }

  static void assertRefused(Consumer<ObjectNode> edit, String... fragments) throws IOException {
    ObjectNode m = fixture();
    edit.accept(m);
    var t = assertThatThrownBy(() -> parse(m)).isInstanceOf(BundleException.class)
        .hasMessageStartingWith("test/bundle.json: ");
    for (String f : fragments) {
      t.hasMessageContaining(f);
    }
  }

  static ObjectNode graph(ObjectNode m, String key) {
    return (ObjectNode) m.get("graphs").get(key);
  }

  @Test
  void should_read_the_optional_precision_and_default_to_float32() throws IOException {
    assertThat(parse(fixture()).graph(MediaKind.AUDIO).orElseThrow().precision())
        .isEqualTo(GraphSpec.Precision.FLOAT32);
    ObjectNode m = fixture();
    graph(m, "audio").put("precision", "int8");
    graph(m, "image").put("precision", "float32");
    BundleManifest parsed = parse(m);
    assertThat(parsed.graph(MediaKind.AUDIO).orElseThrow().precision()).isEqualTo(GraphSpec.Precision.INT8);
    assertThat(parsed.graph(MediaKind.IMAGE).orElseThrow().precision()).isEqualTo(GraphSpec.Precision.FLOAT32);
    assertRefused(x -> graph(x, "audio").put("precision", "int4"), "at $.graphs.audio.precision",
        "one of [float32, int8]", "\"int4\"");
  }

  @Test
  void should_parse_every_field_of_the_fixture() throws IOException {
    BundleManifest m = parse(fixture());
    GraphSpec audio = m.graph(MediaKind.AUDIO).orElseThrow();
    assertThat(audio.input().shape()).containsExactly(-1L, 1L, 128L, 204L);
    assertThat(audio.input().type()).isEqualTo(TensorType.FLOAT32);
    assertThat(audio.aggregation()).isEqualTo(new Aggregation(Aggregation.Mode.MEAN, 3));
    assertThat(audio.postprocessing().logitScale()).isCloseTo(20.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(audio.postprocessing().appliedIn()).isEqualTo(PostProcessing.Stage.GRAPH);
    Preprocessing.Audio pa = (Preprocessing.Audio) audio.preprocessing();
    assertThat(pa.sampleRate()).isEqualTo(16000);
    assertThat(pa.targetFrames()).isEqualTo(204);
    assertThat(pa.mean()).isEqualTo(-4.268);
    GraphSpec text = m.graph(MediaKind.TEXT).orElseThrow();
    assertThat(text.input().type()).isEqualTo(TensorType.INT64);
    assertThat(((Preprocessing.Text) text.preprocessing()).contextLength()).isEqualTo(77);
    Preprocessing.Video v = (Preprocessing.Video) m.graph(MediaKind.VIDEO).orElseThrow().preprocessing();
    assertThat(v.clipsPerVideo() * v.cropsPerClip()).isEqualTo(15);
    Preprocessing.Image i = (Preprocessing.Image) m.graph(MediaKind.IMAGE).orElseThrow().preprocessing();
    assertThat(i.mean()).containsExactly(0.48145466, 0.4578275, 0.40821073);
    assertThat(m.graph(MediaKind.IMU).orElseThrow().preprocessing()).isInstanceOf(Preprocessing.Tensor.class);
    assertThat(m.allFiles()).extracting(FileRef::path).contains("imu.onnx", "LICENSE", "clip-vocab-stub.txt.gz");
  }

  @Test
  void should_refuse_missing_fields_naming_the_path() throws IOException {
    assertRefused(m -> m.remove("space"), "at $.space: expected a string, found nothing (the field is missing)");
    assertRefused(m -> m.remove("format_version"), "at $.format_version: expected an integer");
    assertRefused(m -> graph(m, "imu").remove("aggregation"), "at $.graphs.imu.aggregation: expected an object");
    assertRefused(m -> ((ObjectNode) graph(m, "imu").get("file")).remove("sha256"),
        "at $.graphs.imu.file.sha256: expected a string");
    assertRefused(m -> ((ObjectNode) m.get("license")).remove("attribution"), "at $.license.attribution");
  }

  @Test
  void should_refuse_wrong_types_and_values_saying_what_was_found() throws IOException {
    assertRefused(m -> m.put("dimension", "32"), "at $.dimension: expected an integer, found the string \"32\"");
    assertRefused(m -> ((ObjectNode) graph(m, "imu").get("inputs").get(0)).put("dtype", "float16"),
        "at $.graphs.imu.inputs[0].dtype: expected one of [float32, int64], found \"float16\"");
    assertRefused(m -> ((ArrayNode) graph(m, "imu").get("inputs").get(0).get("shape")).set(1, "six"),
        "at $.graphs.imu.inputs[0].shape[1]: expected an integer dimension");
    assertRefused(m -> ((ObjectNode) graph(m, "imu").get("file")).put("sha256", "abc"),
        "sha256 of 'imu.onnx' must be 64 hex digits, found 'abc'");
    assertRefused(m -> ((ObjectNode) graph(m, "audio").get("aggregation")).put("mode", "max"),
        "at $.graphs.audio.aggregation.mode: expected one of [none, mean], found \"max\"");
    assertRefused(m -> ((ObjectNode) graph(m, "audio").get("preprocessing")).put("sample_rate", 0),
        "sample_rate must be at least 1, found 0");
    assertRefused(m -> ((ObjectNode) graph(m, "imu").get("preprocessing")).put("kind", "audio"),
        "at $.graphs.imu.preprocessing.kind: expected one of [tensor] for a imu graph, found \"audio\"");
    assertRefused(m -> ((ObjectNode) m.get("graphs")).set("smell", graph(m, "imu").deepCopy()),
        "at $.graphs.smell: expected one of [text, image, video, audio, depth, thermal, imu], found \"smell\"");
    assertRefused(m -> m.put("colour", "blue"), "at $.colour: expected no such field");
    assertRefused(m -> ((ObjectNode) graph(m, "imu").get("inputs").get(0)).putArray("shape").add(1).add(6).add(2000),
        "expected a dynamic batch axis (-1) first");
    assertRefused(m -> m.putObject("graphs"), "a bundle needs at least one graph, found none");
  }

  @Test
  void should_refuse_malformed_json_and_duplicate_keys() {
    assertThatThrownBy(() -> BundleManifest.parse("{\"format_version\": 1,".getBytes(StandardCharsets.UTF_8), "x"))
        .isInstanceOf(BundleException.class).hasMessageStartingWith("x: not valid JSON");
    assertThatThrownBy(() -> BundleManifest.parse("{\"format_version\": 1, \"format_version\": 1}"
        .getBytes(StandardCharsets.UTF_8), "x")).hasMessageContaining("Duplicate field 'format_version'");
    assertThatThrownBy(() -> BundleManifest.parse("[]".getBytes(StandardCharsets.UTF_8), "x"))
        .hasMessageContaining("at $: expected a JSON object, found an array");
    assertThatThrownBy(() -> BundleManifest.parse(new byte[0], "x")).hasMessageContaining("x: expected a JSON object");
  }

  @Test
  void should_round_trip_the_docs_example() throws IOException {
    // docs/bundle-format.md embeds the fixture's shape of manifest; keep the documented field names honest
    String doc = Files.readString(OnnxFixtures.standinDir().resolve("../../../../../docs/bundle-format.md")
        .normalize());
    for (String field : new String[] {"format_version", "data_files", "applied_in", "logit_scale", "clips_per_file",
        "target_frames", "context_length", "crops_per_clip", "views"}) {
      assertThat(doc).contains("`" + field + "`");
    }
  }

  /** The fixture's text graph turned into a MiniLM-style token-sequence graph (wordpiece, 3 inputs, per-token output). */
  static void wordpiece(ObjectNode m) {
    ObjectNode text = graph(m, "text");
    ((ObjectNode) text.get("preprocessing")).put("tokenizer", "wordpiece");
    ArrayNode inputs = text.putArray("inputs");
    for (String name : new String[] {"input_ids", "attention_mask", "token_type_ids"}) {
      ObjectNode in = inputs.addObject().put("name", name).put("dtype", "int64");
      in.putArray("shape").add(-1).add(-1);
    }
    ((ArrayNode) ((ObjectNode) text.get("outputs").get(0)).putArray("shape")).add(-1).add(-1).add(32);
  }

  @Test
  void should_parse_a_wordpiece_text_graph_with_token_inputs_and_a_per_token_output() throws IOException {
    ObjectNode m = fixture();
    wordpiece(m);
    GraphSpec text = parse(m).graphs().get(MediaKind.TEXT);
    assertThat(text.tokenSequence()).isTrue();
    assertThat(text.inputs()).extracting(TensorSpec::name)
        .containsExactly("input_ids", "attention_mask", "token_type_ids");
    assertThat(text.output().shape()).containsExactly(-1L, -1L, 32L);
    assertThat(((Preprocessing.Text) text.preprocessing()).tokenizer()).isEqualTo(Preprocessing.TokenizerKind.WORDPIECE);
    assertThat(parse(fixture()).graphs().get(MediaKind.TEXT).tokenSequence()).isFalse();
  }

  @Test
  void should_refuse_a_wordpiece_graph_with_a_pooled_output_or_float_inputs_and_a_clip_graph_with_three_inputs()
      throws IOException {
    assertRefused(m -> {
      wordpiece(m);
      ((ObjectNode) graph(m, "text").get("outputs").get(0)).putArray("shape").add(-1).add(32);
    }, "expected [-1, -1, 32]");
    assertRefused(m -> {
      wordpiece(m);
      ((ObjectNode) graph(m, "text").get("inputs").get(1)).put("dtype", "float32");
    }, "attention_mask", "expected int64 [-1, -1]");
    assertRefused(m -> {
      wordpiece(m);
      ((ObjectNode) graph(m, "text").get("preprocessing")).put("tokenizer", "clip_bpe");
    }, "exactly one tensor", "3 tensors");
  }
}
