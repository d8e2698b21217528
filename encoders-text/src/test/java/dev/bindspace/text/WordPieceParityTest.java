package dev.bindspace.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Token-id parity with HuggingFace tokenizers (Rust, npm {@code tokenizers} 0.23.2) for
 * all-MiniLM-L6-v2's tokenizer.json on the committed corpus ({@code wordpiece/corpus.jsonl}, made by
 * {@code tools/goldens/wordpiece_corpus.py}; ids in {@code wordpiece/reference.jsonl}, made by
 * {@code tools/goldens/wordpiece_reference.mjs}).
 */
class WordPieceParityTest {
  private static final List<Map<String, Object>> CORPUS = TestData.jsonLines("/wordpiece/corpus.jsonl");
  private static final List<Map<String, Object>> REFERENCE = TestData.jsonLines("/wordpiece/reference.jsonl");

  @Test
  void should_produce_the_reference_ids_for_every_corpus_string() {
    assertThat(CORPUS).hasSameSizeAs(REFERENCE).hasSizeGreaterThanOrEqualTo(2000);
    WordPieceTokenizer bert = TestData.miniLm();
    List<String> texts = new ArrayList<>();
    for (Map<String, Object> row : CORPUS) {
      texts.add((String) row.get("text"));
    }
    EncodingBatch batch = bert.encodeAll(texts);
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      assertThat(REFERENCE.get(i).get("id")).isEqualTo(CORPUS.get(i).get("id"));
      Encoding e = batch.get(i);
      int[] got = Arrays.copyOf(e.ids(), e.tokenCount());
      int[] want = TestData.ints(REFERENCE.get(i).get("ids"));
      if (!Arrays.equals(got, want)) {
        mismatches.add(i + " [" + CORPUS.get(i).get("category") + "] " + TestData.escape(texts.get(i))
            + "\n   got  " + Arrays.toString(got) + "\n   want " + Arrays.toString(want));
      }
    }
    int same = texts.size() - mismatches.size();
    System.out.println("WordPiece parity (HF tokenizers 0.23.2, all-MiniLM-L6-v2): " + same + " of " + texts.size()
        + " identical");
    assertThat(mismatches).as("strings whose ids differ from HuggingFace tokenizers'").isEmpty();
  }

  @Test
  void should_cover_the_untruncated_reference_ids_with_windows() {
    WordPieceTokenizer bert = TestData.miniLm();
    int checked = 0;
    for (int i = 0; i < CORPUS.size(); i++) {
      Object full = REFERENCE.get(i).get("full_ids");
      if (full == null) {
        continue;
      }
      int[] all = TestData.ints(full);
      int[] content = Arrays.copyOfRange(all, 1, all.length - 1);
      EncodingBatch windows = bert.encodeWindows((String) CORPUS.get(i).get("text"), 0);
      List<Integer> joined = new ArrayList<>();
      for (Encoding w : windows.encodings()) {
        int[] ids = Arrays.copyOf(w.ids(), w.tokenCount());
        assertThat(ids[0]).isEqualTo(101);
        assertThat(ids[ids.length - 1]).isEqualTo(102);
        assertThat(ids.length).isLessThanOrEqualTo(128);
        for (int k = 1; k < ids.length - 1; k++) {
          joined.add(ids[k]);
        }
      }
      assertThat(joined.stream().mapToInt(Integer::intValue).toArray()).as("row %d", i).isEqualTo(content);
      checked++;
    }
    assertThat(checked).isGreaterThan(50);
  }
}
