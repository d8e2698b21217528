package dev.bindspace.text.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.text.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ftfy port against the real ftfy 6.3.1: {@code ftfy/cases.jsonl} holds 1,600 inputs (mojibake
 * through every code page ftfy tries, entities, controls, line breaks, ...) with ftfy's own output,
 * made by {@code tools/text/ftfy_cases.py}. No vocabulary needed.
 */
class FtfyTest {
  private static final List<Map<String, Object>> CASES = TestData.jsonLines("/ftfy/cases.jsonl");

  @Test
  void should_fix_text_exactly_like_ftfy() {
    List<String> mismatches = new ArrayList<>();
    for (Map<String, Object> c : CASES) {
      String in = (String) c.get("in");
      String got = Ftfy.get().fixText(in);
      if (!got.equals(c.get("fix_text"))) {
        mismatches.add(TestData.escape(in) + " -> " + TestData.escape(got) + " (ftfy: "
            + TestData.escape((String) c.get("fix_text")) + ")");
      }
    }
    System.out.println("ftfy.fix_text parity: " + (CASES.size() - mismatches.size()) + " of " + CASES.size() + " identical");
    assertThat(mismatches).isEmpty();
  }

  @Test
  void should_clean_like_imagebind_basic_and_whitespace_clean() {
    List<String> mismatches = new ArrayList<>();
    for (Map<String, Object> c : CASES) {
      String in = (String) c.get("in");
      String got = ClipText.clean(in);
      if (!got.equals(c.get("clip_clean"))) {
        mismatches.add(TestData.escape(in) + " -> " + TestData.escape(got));
      }
    }
    assertThat(mismatches).isEmpty();
  }

  @Test
  void should_repair_the_documented_examples() {
    Ftfy f = Ftfy.get();
    assertThat(f.fixText("\u00e2\u0153\u201d No problems")).isEqualTo("\u2714 No problems");
    assertThat(f.fixText("&macr;\\_(\u00e3\u0083\u0084)_/&macr;")).isEqualTo("\u00af\\_(\u30c4)_/\u00af");
    assertThat(f.fixText("\uff2c\uff2f\uff35\uff24\u3000\uff2e\uff2f\uff29\uff33\uff25\uff33")).isEqualTo("LOUD NOISES");
    assertThat(f.fixEncoding("\u00c3\u00b3")).isEqualTo("\u00f3");
    assertThat(f.fixEncoding("&ATILDE;&SUP3;")).isEqualTo("&ATILDE;&SUP3;");
    assertThat(f.fixText("voil\u00c3 le travail")).isEqualTo("voil\u00e0 le travail");
    assertThat(f.fixText("<em>HTML &lt;3</em>")).isEqualTo("<em>HTML &lt;3</em>");
    assertThat(f.fixText("&lt;3\n<b>\n&lt;3")).isEqualTo("<3\n<b>\n&lt;3");
    assertThat(f.isBad("Charlotte Bront\u00eb\u2026\u201d")).isFalse();
    assertThat(f.fixText("")).isEmpty();
  }

  @Test
  void should_unescape_html_like_python() {
    Ftfy f = Ftfy.get();
    String[][] cases = {
        {"&amp;", "&"}, {"&ampx", "&x"}, {"&notit;", "\u00acit;"}, {"&#x1F600;", "\ud83d\ude00"}, {"&#128;", "\u20ac"},
        {"&#0;", "\ufffd"}, {"&#xD800;", "\ufffd"}, {"&#1;", ""}, {"&#99999999999;", "\ufffd"}, {"&#65;&#x41;&#X41", "AAA"},
        {"&", "&"}, {"&;", "&;"}, {"&#;", "&#;"}, {"& amp;", "& amp;"}, {"&" + "a".repeat(40) + ";", "&" + "a".repeat(40) + ";"},
        {"&lt&gt", "<>"}, {"&AElig", "\u00c6"}, {"&AEligx;", "\u00c6x;"}, {"&#13;", "\r"}, {"&#x85;", "\u2026"},
        {"&#xFDD0;", ""}, {"&#x10FFFF;", ""}, {"&#x110000;", "\ufffd"}, {"a&b&c", "a&b&c"}, {"&amp;amp;", "&amp;"},
        {"&NotEqualTilde;", "\u2242\u0338"}, {"&\ud83d\ude00;", "&\ud83d\ude00;"}, {"&amp\ud83d\ude00", "&\ud83d\ude00"},
    };
    for (String[] c : cases) {
      assertThat(f.htmlUnescape(c[0])).as(TestData.escape(c[0])).isEqualTo(c[1]);
    }
  }
}
