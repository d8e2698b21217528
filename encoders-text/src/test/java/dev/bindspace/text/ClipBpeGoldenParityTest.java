package dev.bindspace.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.text.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Token-id parity with ImageBind's own tokenizer on the shared golden corpus
 * ({@code ../shared/goldens/imagebind-preprocessing/text}: ~2,000 strings through
 * {@code load_and_transform_text}, ImageBind commit 53680b0, ftfy 6.3.1). Skipped with a message
 * when the shared folder is absent.
 */
class ClipBpeGoldenParityTest {
  private static List<String> texts;
  private static List<Map<String, Object>> meta;
  private static long[][] tokens;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void load() throws IOException {
    Path dir = TestData.sharedOrSkip(TestData.CLIP_GOLDENS);
    texts = new ArrayList<>();
    for (Object o : (List<Object>) Json.parse(Files.readString(dir.resolve("texts.json")))) {
      texts.add((String) o);
    }
    meta = new ArrayList<>();
    for (Object o : (List<Object>) Json.parse(Files.readString(dir.resolve("text_meta.json")))) {
      meta.add((Map<String, Object>) o);
    }
    tokens = TestData.readInt64Matrix(dir.resolve("tokens.npy"));
    assertThat(texts).hasSize(tokens.length).hasSize(meta.size()).hasSizeGreaterThanOrEqualTo(2000);
  }

  @Test
  void should_produce_imagebind_token_ids_for_every_golden_string() {
    ClipBpeTokenizer clip = TestData.clip();
    EncodingBatch batch = clip.encodeAll(texts);
    assertThat(batch.sequenceLength()).isEqualTo(77);
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      int[] got = batch.get(i).ids();
      int[] want = Arrays.stream(tokens[i]).mapToInt(v -> (int) v).toArray();
      if (!Arrays.equals(got, want)) {
        mismatches.add(i + " [" + meta.get(i).get("category") + "] " + TestData.escape(texts.get(i))
            + "\n   got  " + Arrays.toString(got) + "\n   want " + Arrays.toString(want));
      }
    }
    int same = texts.size() - mismatches.size();
    System.out.println("CLIP BPE parity (ImageBind goldens): " + same + " of " + texts.size() + " identical");
    assertThat(mismatches).as("strings whose ids differ from ImageBind's").isEmpty();
  }

  @Test
  void should_clean_text_exactly_like_ftfy_and_imagebind() {
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String want = (String) meta.get(i).get("cleaned");
      String got = ClipBpeTokenizer.clean(texts.get(i));
      if (!got.equals(want)) {
        mismatches.add(i + " " + TestData.escape(texts.get(i)) + " -> " + TestData.escape(got) + " (want "
            + TestData.escape(want) + ")");
      }
    }
    assertThat(mismatches).isEmpty();
  }

  @Test
  void should_report_truncation_and_the_pooling_position_like_the_metadata() {
    ClipBpeTokenizer clip = TestData.clip();
    for (int i = 0; i < texts.size(); i++) {
      Encoding e = clip.encode(texts.get(i));
      Map<String, Object> m = meta.get(i);
      int[] ids = e.ids();
      int argmax = 0;
      for (int k = 1; k < ids.length; k++) {
        if (ids[k] > ids[argmax]) {
          argmax = k;
        }
      }
      assertThat(e.truncated()).as("truncated, string %d", i).isEqualTo(m.get("truncated"));
      assertThat(e.tokenCount() - 1L).as("EOT position, string %d", i).isEqualTo(m.get("eot_position"));
      assertThat((long) argmax).as("first maximum, string %d", i).isEqualTo(m.get("argmax_position"));
    }
  }
}
