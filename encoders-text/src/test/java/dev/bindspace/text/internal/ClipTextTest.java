package dev.bindspace.text.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.text.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ClipText's Python semantics: lower case with Final_Sigma, whitespace, the pre-tokenizer's pieces. */
class ClipTextTest {
  @Test
  void should_lower_case_like_python_including_final_sigma() {
    List<String> wrong = new ArrayList<>();
    for (Map<String, Object> c : TestData.jsonLines("/clip/lower-cases.jsonl")) {
      String in = (String) c.get("in");
      String got = ClipText.lower(in);
      if (!got.equals(c.get("lower"))) {
        wrong.add(TestData.escape(in) + " -> " + TestData.escape(got));
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(ClipText.lower("\u039f\u0394\u039f\u03a3 \u03a3\u039f\u03a6\u039f\u03a3")).isEqualTo("\u03bf\u03b4\u03bf\u03c2 \u03c3\u03bf\u03c6\u03bf\u03c2");
    assertThat(ClipText.lower("\u0130stanbul")).isEqualTo("i\u0307stanbul");
  }

  @Test
  void should_use_the_regex_modules_whitespace() {
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      assertThat(PyText.isRegexSpace(cp)).as("U+%04X", cp).isEqualTo(ClipText.tableWhitespace(cp));
    }
  }

  @Test
  void should_split_like_clips_pattern() {
    assertThat(pieces("it's a dog's life")).containsExactly("it", "'s", "a", "dog", "'s", "life");
    assertThat(pieces("'re've'll'd'm't")).containsExactly("'re", "'ve", "'ll", "'d", "'m", "'t");
    assertThat(pieces("it'\u017f")).containsExactly("it", "'\u017f"); // IGNORECASE: long s folds to s
    assertThat(pieces("2024!!")).containsExactly("2", "0", "2", "4", "!!");
    assertThat(pieces("a<|endoftext|>b")).containsExactly("a", "<|endoftext|>", "b");
    assertThat(pieces("!<|endoftext|>")).containsExactly("!<|", "endoftext", "|>");
    assertThat(pieces("a\u0345b")).containsExactly("a", "b");
    assertThat(pieces("\u65e5\u672c\ud840\udc00")).containsExactly("\u65e5\u672c\ud840\udc00");
    assertThat(pieces("\ud83d\ude00\ud83d\udc4d x")).containsExactly("\ud83d\ude00\ud83d\udc4d", "x");
    assertThat(pieces("\u00b2\u2160")).containsExactly("\u00b2", "\u2160");
  }

  private static List<String> pieces(String s) {
    List<String> out = new ArrayList<>();
    int[] b = new int[2];
    int pos = 0;
    while (ClipText.next(s, pos, b)) {
      out.add(s.substring(b[0], b[1]));
      pos = b[1];
    }
    return out;
  }
}
