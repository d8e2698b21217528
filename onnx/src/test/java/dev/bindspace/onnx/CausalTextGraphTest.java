package dev.bindspace.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bindspace.MediaKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code clip_bpe} text graph with {@code "padding": "longest"} (fixture:
 * tools/fixtures/make_causal_text_fixture.py — ImageBind's causal, end-of-text-pooled text layout, exported
 * with a dynamic sequence axis): run on ids cut to the longest row, it gives what PyTorch's original module
 * gives on the full 77 ids.
 */
class CausalTextGraphTest {
  private static Bundle bundle;
  private static OnnxGraph graph;
  private static JsonNode expected;

  @BeforeAll
  static void open() throws IOException {
    bundle = Bundle.open(OnnxFixtures.resource("bundles/causal-text"));
    graph = OnnxGraph.open(bundle, bundle.manifest().graph(MediaKind.TEXT).orElseThrow(),
        OnnxRuntimeOptions.defaults());
    expected = OnnxFixtures.JSON.readTree(OnnxFixtures.resource("bundles/causal-text-expected.json").toFile());
  }

  @AfterAll
  static void close() {
    graph.close();
    bundle.close();
  }

  @Test
  void should_declare_longest_padding_and_a_dynamic_sequence_axis() {
    GraphSpec spec = graph.spec();
    assertThat(spec.variableLengthIds()).isTrue();
    assertThat(spec.tokenSequence()).isFalse();
    assertThat(((Preprocessing.Text) spec.preprocessing()).padding()).isEqualTo(Preprocessing.TextPadding.LONGEST);
    assertThat(spec.input().shape()).containsExactly(-1L, -1L);
    assertThat(graph.itemSize()).isEqualTo(-1);
  }

  @Test
  void should_match_the_full_length_pytorch_run_on_ids_cut_to_the_longest_row() {
    for (JsonNode c : expected.get("cases")) {
      int rows = c.get("ids").size();
      int longest = 0;
      for (JsonNode n : c.get("lengths")) {
        longest = Math.max(longest, n.asInt());
      }
      for (int seq : new int[] {longest, Math.min(77, longest + 5), 77}) {
        long[] ids = new long[rows * seq];
        for (int r = 0; r < rows; r++) {
          for (int j = 0; j < seq; j++) {
            ids[r * seq + j] = c.get("ids").get(r).get(j).asLong();
          }
        }
        float[] out = graph.runIds(ids, rows, seq);
        for (int r = 0; r < rows; r++) {
          JsonNode want = c.get("expected").get(r);
          for (int d = 0; d < want.size(); d++) {
            assertThat((double) out[r * 16 + d]).as("lengths %s row %d dim %d at %d ids", c.get("lengths"), r, d, seq)
                .isCloseTo(want.get(d).asDouble(), org.assertj.core.data.Offset.offset(2e-5));
          }
        }
      }
    }
  }

  @Test
  void should_give_each_row_the_same_embedding_alone_and_in_a_batch() {
    long seed = new Random().nextLong();
    System.out.println("CausalTextGraphTest seed: " + seed);
    Random rnd = new Random(seed);
    int rows = 6;
    int[] len = new int[rows];
    int longest = 0;
    for (int r = 0; r < rows; r++) {
      len[r] = 2 + rnd.nextInt(76);
      longest = Math.max(longest, len[r]);
    }
    long[] batch = new long[rows * longest];
    for (int r = 0; r < rows; r++) {
      long[] row = row(rnd, len[r]);
      System.arraycopy(row, 0, batch, r * longest, len[r]);
      float[] alone = graph.runIds(row, 1, len[r]);
      float[] together = graph.runIds(batch.clone(), rows, longest);
      for (int d = 0; d < 16; d++) {
        assertThat(together[r * 16 + d]).as("row %d (%d ids) dim %d", r, len[r], d)
            .isCloseTo(alone[d], org.assertj.core.data.Offset.offset(2e-5f));
      }
    }
  }

  @Test
  void should_refuse_lengths_outside_one_to_the_context_length_and_fixed_shape_calls() {
    assertThatThrownBy(() -> graph.runIds(new long[78], 1, 78)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[1, 77]").hasMessageContaining("78");
    assertThatThrownBy(() -> graph.runIds(new long[10], 2, 4)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs 8 ids, got 10");
    assertThatThrownBy(() -> graph.runLongs(new long[77], 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use runIds");
  }

  @Test
  void should_have_no_fixed_shape_tensor_encoder() {
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(OnnxFixtures.resource("bundles/causal-text"))) {
      assertThatThrownBy(() -> model.tensorEncoder(MediaKind.TEXT)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("token sequences of any length");
    }
  }

  @Test
  void should_reject_longest_padding_on_a_graph_with_a_fixed_sequence_axis(@TempDir Path dir) throws Exception {
    copyFixture(dir);
    ObjectNode json = (ObjectNode) OnnxFixtures.JSON.readTree(dir.resolve("bundle.json").toFile());
    ArrayNode shape = (ArrayNode) json.at("/graphs/text/inputs/0/shape");
    shape.set(1, 77);
    Files.writeString(dir.resolve("bundle.json"), json.toString(), StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Bundle.open(dir)).hasMessageContaining("expected one int64 [-1, -1] input")
        .hasMessageContaining("padding longest");
  }

  @Test
  void should_reject_an_unknown_padding_and_max_length_for_wordpiece(@TempDir Path dir) throws Exception {
    copyFixture(dir);
    ObjectNode json = (ObjectNode) OnnxFixtures.JSON.readTree(dir.resolve("bundle.json").toFile());
    ObjectNode pre = (ObjectNode) json.at("/graphs/text/preprocessing");
    pre.put("padding", "shortest");
    Files.writeString(dir.resolve("bundle.json"), json.toString(), StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Bundle.open(dir)).hasMessageContaining("padding").hasMessageContaining("shortest");
    assertThatThrownBy(() -> new Preprocessing.Text(Preprocessing.TokenizerKind.WORDPIECE,
        new FileRef("t.json", "0".repeat(64)), 128, Preprocessing.TextPadding.MAX_LENGTH))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be longest");
    assertThat(new Preprocessing.Text(Preprocessing.TokenizerKind.CLIP_BPE, new FileRef("v.gz", "0".repeat(64)), 77)
        .padding()).isEqualTo(Preprocessing.TextPadding.MAX_LENGTH);
  }

  private static long[] row(Random rnd, int n) {
    long[] ids = new long[n];
    ids[0] = 49406;
    for (int j = 1; j < n - 1; j++) {
      ids[j] = 1 + rnd.nextInt(49405);
    }
    ids[n - 1] = 49407;
    return ids;
  }

  private static void copyFixture(Path dir) throws IOException {
    Path src = OnnxFixtures.resource("bundles/causal-text");
    try (var files = Files.list(src)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, dir.resolve(f.getFileName().toString()));
      }
    }
  }
}
