package dev.bindspace.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bindspace.Embedding;
import dev.bindspace.MediaKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Java raw output == PyTorch {@code model({modality: x})} of the stand-in model, within 1e-5 x the
 * output's norm (largest absolute difference), for every graph, batch 1 and > 1, several clips.
 */
class TensorEncoderParityTest {
  static final double TOLERANCE = 1e-5;
  static OnnxEmbeddingModel model;

  @BeforeAll
  static void open() {
    model = OnnxEmbeddingModel.open(OnnxFixtures.standinDir());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  /** The inputs of a case as the Java API takes them: one tensor per batch row. */
  static List<Tensor> inputs(JsonNode c) {
    int seed = c.get("seed").asInt();
    long[] shape = new long[c.get("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = c.get("shape").get(i).asLong();
    }
    int batch = (int) shape[0];
    long[] item = Arrays.copyOfRange(shape, 1, shape.length);
    List<Tensor> out = new ArrayList<>();
    if (c.get("graph").asText().equals("text")) {
      for (int r = 0; r < batch; r++) {
        out.add(Tensor.ofLongs(item, OnnxFixtures.genText(seed, r, (int) item[0])));
      }
      return out;
    }
    int itemSize = 1;
    for (long d : item) {
      itemSize *= (int) d;
    }
    float[] all = OnnxFixtures.genFloats(seed, itemSize * batch);
    for (int r = 0; r < batch; r++) {
      out.add(Tensor.ofFloats(item, Arrays.copyOfRange(all, r * itemSize, (r + 1) * itemSize)));
    }
    return out;
  }

  static MediaKind media(JsonNode c) {
    return MediaKind.valueOf(c.get("graph").asText().toUpperCase(Locale.ROOT));
  }

  @Test
  void should_match_pytorch_raw_output_for_every_case() {
    JsonNode cases = OnnxFixtures.expected().get("cases");
    assertThat(cases.size()).isGreaterThanOrEqualTo(12);
    for (JsonNode c : cases) {
      List<EmbeddingResult> got = model.tensorEncoder(media(c)).encodeAll(inputs(c));
      JsonNode expected = c.get("expected");
      assertThat(got).as(c.get("name").asText()).hasSize(expected.size());
      for (int r = 0; r < got.size(); r++) {
        float[] raw = got.get(r).raw().toArray();
        double norm = 0;
        double worst = 0;
        for (int j = 0; j < raw.length; j++) {
          double e = expected.get(r).get(j).asDouble();
          norm += e * e;
          worst = Math.max(worst, Math.abs(e - raw[j]));
        }
        norm = Math.sqrt(norm);
        System.out.printf(Locale.ROOT, "parity %-12s row %d: |raw| = %8.4f, max |java - torch| = %.3g (%.3g x norm)%n",
            c.get("name").asText(), r, norm, worst, worst / norm);
        assertThat(worst).as("%s row %d", c.get("name").asText(), r).isLessThanOrEqualTo(TOLERANCE * norm);
        assertThat(got.get(r).joint().isNormalized()).isTrue();
        assertThat(got.get(r).joint().media()).isEqualTo(media(c));
        assertThat(got.get(r).joint().space()).isEqualTo("bindspace-test-standin");
      }
    }
  }

  @Test
  void should_carry_the_logit_scales_in_the_raw_norm() {
    float[] imu = OnnxFixtures.genFloats(3, 6 * 2000);
    Embedding raw = model.tensorEncoder(MediaKind.IMU).encode(Tensor.ofFloats(new long[] {6, 2000}, imu)).raw();
    assertThat(raw.norm()).isCloseTo(5.0, org.assertj.core.data.Offset.offset(1e-4));
    float[] depth = OnnxFixtures.genFloats(4, 224 * 224);
    assertThat(model.tensorEncoder(MediaKind.THERMAL).encode(Tensor.ofFloats(new long[] {1, 224, 224}, depth))
        .raw().norm()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(model.manifest().graph(MediaKind.TEXT).orElseThrow().postprocessing().logitScale())
        .isCloseTo(23.5, org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  void should_give_the_same_result_whatever_the_batch_split() {
    OnnxRuntimeOptions one = OnnxRuntimeOptions.builder().maxBatchSize(1).build();
    JsonNode audio = null;
    for (JsonNode c : OnnxFixtures.expected().get("cases")) {
      if (c.get("name").asText().equals("audio_b2_s3")) {
        audio = c;
      }
    }
    List<Tensor> in = inputs(audio);
    try (OnnxEmbeddingModel m1 = OnnxEmbeddingModel.open(OnnxFixtures.standinDir(), one)) {
      List<EmbeddingResult> a = m1.tensorEncoder(MediaKind.AUDIO).encodeAll(in);
      List<EmbeddingResult> b = model.tensorEncoder(MediaKind.AUDIO).encodeAll(in);
      for (int i = 0; i < a.size(); i++) {
        assertThat(a.get(i).raw().cosine(b.get(i).raw())).isGreaterThan(1 - 1e-9);
      }
    }
  }

  @Test
  void should_refuse_a_tensor_of_the_wrong_shape_or_type_naming_both() {
    TensorEncoder imu = model.tensorEncoder(MediaKind.IMU);
    assertThatThrownBy(() -> imu.embed(Tensor.ofFloats(new long[] {6, 1999}, new float[6 * 1999])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[6, 1999]").hasMessageContaining("[6, 2000]");
    assertThatThrownBy(() -> imu.embed(Tensor.ofLongs(new long[] {6, 2000}, new long[6 * 2000])))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("int64").hasMessageContaining("float32");
    assertThatThrownBy(() -> imu.embed(Tensor.ofFloats(new long[] {2, 6, 2000}, new float[2 * 6 * 2000])))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 views");
  }
}
