package dev.bindspace.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindspace.BindspaceException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Framing, padding, windows and bad input of the CLIP tokenizer (needs ../shared's vocabulary). */
class ClipBpeTokenizerTest {
  private static final int SOT = 49406;
  private static final int EOT = 49407;

  @Test
  void should_frame_a_short_text_and_pad_it_to_77_with_zeros() {
    Encoding e = TestData.clip().encode("a photo of a dog");
    int[] ids = e.ids();
    assertThat(Arrays.copyOf(ids, 7)).containsExactly(SOT, 320, 1125, 539, 320, 1929, EOT);
    assertThat(ids).hasSize(77);
    assertThat(Arrays.copyOfRange(ids, 7, 77)).containsOnly(0);
    assertThat(e.attentionMask()).startsWith(1, 1, 1, 1, 1, 1, 1).endsWith(0);
    assertThat(e.typeIds()).containsOnly(0);
    assertThat(e.tokenCount()).isEqualTo(7);
    assertThat(e.length()).isEqualTo(77);
    assertThat(e.truncated()).isFalse();
  }

  @Test
  void should_pad_to_the_longest_row_when_configured() {
    ClipBpeTokenizer clip = ClipBpeTokenizer.builder(TestData.sharedOrSkip(TestData.CLIP_VOCAB))
        .padding(Padding.LONGEST).build();
    EncodingBatch b = clip.encodeAll(List.of("a dog", "a photo of a dog"));
    assertThat(b.size()).isEqualTo(2);
    assertThat(b.sequenceLength()).isEqualTo(7);
    assertThat(b.get(0).ids()).containsExactly(SOT, 320, 1929, EOT, 0, 0, 0);
    assertThat(b.get(0).attentionMask()).containsExactly(1, 1, 1, 1, 0, 0, 0);
    assertThat(b.idsAsLongs()).hasSize(14).startsWith(SOT, 320, 1929, EOT, 0, 0, 0, SOT);
    assertThat(clip.encode("a dog").ids()).containsExactly(SOT, 320, 1929, EOT);
    assertThat(clip.encodeAll(List.of()).sequenceLength()).isZero();
  }

  @Test
  void should_keep_end_of_text_when_cutting_long_text_to_76_tokens() {
    Encoding e = TestData.clip().encode("dog ".repeat(200));
    int[] ids = e.ids();
    assertThat(ids).hasSize(77);
    assertThat(ids[0]).isEqualTo(SOT);
    assertThat(Arrays.copyOfRange(ids, 1, 76)).containsOnly(1929);
    assertThat(ids[76]).isEqualTo(EOT);
    assertThat(e.truncated()).isTrue();
    assertThat(e.tokenCount()).isEqualTo(77);
    assertThat(TestData.clip().encode("dog ".repeat(75)).truncated()).isFalse();
    assertThat(TestData.clip().encode("dog ".repeat(76)).truncated()).isTrue();
  }

  @Test
  void should_encode_literal_special_tokens_where_they_stand() {
    ClipBpeTokenizer clip = TestData.clip();
    int[] plain = clip.encode("a <|endoftext|> b").ids();
    assertThat(Arrays.copyOf(plain, 5)).containsExactly(SOT, 320, EOT, 321, EOT);
    assertThat(clip.encode("a <|ENDOFTEXT|> b").ids()).isEqualTo(plain);
    assertThat(clip.encode("a &lt;|endoftext|&gt; b").ids()).isEqualTo(plain);
    assertThat(clip.encode("<|startoftext|>").ids()).startsWith(SOT, SOT, EOT);
    // one character short of the literal: ordinary BPE pieces, the only EOT is the appended one
    assertThat(Arrays.stream(clip.encode("<|endoftext>").ids()).filter(id -> id == EOT).count()).isEqualTo(1);
  }

  @Test
  void should_give_only_the_special_tokens_for_empty_or_blank_text() {
    ClipBpeTokenizer clip = TestData.clip();
    for (String blank : List.of("", " ", "\t\n\r\f", "\u00a0\u3000\u2028", "\u0000\u0007\u001b", "&nbsp;")) {
      Encoding e = clip.encode(blank);
      assertThat(e.tokenCount()).as("'%s'", TestData.escape(blank)).isEqualTo(2);
      assertThat(e.ids()).startsWith(SOT, EOT);
    }
  }

  @Test
  void should_turn_unpaired_surrogates_into_the_replacement_character() {
    ClipBpeTokenizer clip = TestData.clip();
    int[] replacement = clip.encode("lone \ufffd here").ids();
    assertThat(clip.encode("lone \ud800 here").ids()).isEqualTo(replacement);
    assertThat(clip.encode("lone \udfff here").ids()).isEqualTo(replacement);
    assertThat(clip.encode("pair \ud83d\ude00 ok").ids()).isNotEqualTo(clip.encode("pair \ufffd ok").ids());
  }

  @Test
  void should_drop_control_characters_and_terminal_escapes() {
    ClipBpeTokenizer clip = TestData.clip();
    assertThat(clip.encode("bell\u0007 \u001b[31mred\u001b[0m").ids()).isEqualTo(clip.encode("bell red").ids());
  }

  @Test
  void should_refuse_null_with_a_message_naming_it() {
    ClipBpeTokenizer clip = TestData.clip();
    assertThatThrownBy(() -> clip.encode(null)).isInstanceOf(NullPointerException.class).hasMessage("text");
    assertThatThrownBy(() -> clip.encodeAll(null)).isInstanceOf(NullPointerException.class).hasMessage("texts");
    assertThatThrownBy(() -> clip.encodeAll(Arrays.asList("a", null)))
        .isInstanceOf(NullPointerException.class).hasMessage("texts[1] is null");
    assertThatThrownBy(() -> clip.encodeWindows(null, 0)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ClipBpeTokenizer.clean(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void should_tokenize_megabyte_strings_in_linear_time() {
    ClipBpeTokenizer clip = TestData.clip();
    Random r = new Random(1);
    StringBuilder prose = new StringBuilder();
    while (prose.length() < 1 << 20) {
      prose.append(r.nextInt(10) == 0 ? "caf\u00e9 \u00c3\u00a9t\u00e9\n" : "word" + r.nextInt(5000) + ' ');
    }
    List<String> inputs = List.of(prose.toString(), "a".repeat(1 << 20), "\u00e9".repeat(1 << 19),
        "\ud83d\ude00".repeat(1 << 18), "<".repeat(1 << 20), "&amp;".repeat(200_000), "\u0000".repeat(1 << 20));
    for (String s : inputs) {
      long t0 = System.nanoTime();
      Encoding e = clip.encode(s);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(e.ids()[0]).isEqualTo(SOT);
      assertThat(e.ids()).contains(EOT);
      assertThat(ms).as("ms for %s...", TestData.escape(s.substring(0, 8))).isLessThan(20_000);
    }
    EncodingBatch windows = clip.encodeWindows(prose.toString(), 0);
    assertThat(windows.size()).isGreaterThan(1000);
  }

  @Test
  void should_split_long_text_into_overlapping_windows_that_cover_every_token() {
    ClipBpeTokenizer clip = TestData.clip();
    ClipBpeTokenizer unlimited = ClipBpeTokenizer.builder(TestData.sharedOrSkip(TestData.CLIP_VOCAB))
        .contextLength(100_000).padding(Padding.LONGEST).build();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      sb.append("token").append(i).append(i % 7 == 0 ? ". " : " ");
    }
    String text = sb.toString();
    int[] all = unlimited.encode(text).ids();
    int[] content = Arrays.copyOfRange(all, 1, all.length - 1);
    int overlap = 20;
    EncodingBatch windows = clip.encodeWindows(text, overlap);
    List<Integer> rebuilt = new ArrayList<>();
    for (int w = 0; w < windows.size(); w++) {
      Encoding e = windows.get(w);
      int[] ids = Arrays.copyOf(e.ids(), e.tokenCount());
      assertThat(ids.length).isLessThanOrEqualTo(77);
      assertThat(ids[0]).isEqualTo(SOT);
      assertThat(ids[ids.length - 1]).isEqualTo(EOT);
      int[] inner = Arrays.copyOfRange(ids, 1, ids.length - 1);
      int start = w * (75 - overlap);
      assertThat(inner).isEqualTo(Arrays.copyOfRange(content, start, Math.min(content.length, start + 75)));
      for (int k = w == 0 ? 0 : overlap; k < inner.length; k++) {
        rebuilt.add(inner[k]);
      }
    }
    assertThat(rebuilt.stream().mapToInt(Integer::intValue).toArray()).isEqualTo(content);
    assertThat(windows.sequenceLength()).isEqualTo(77);
    assertThat(clip.encodeWindows("a dog", 10).encodings()).containsExactly(clip.encode("a dog"));
    assertThatThrownBy(() -> clip.encodeWindows(text, 75)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[0, 75)").hasMessageContaining("75");
    assertThatThrownBy(() -> clip.encodeWindows(text, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void should_clean_long_texts_a_few_lines_at_a_time_with_the_same_result() {
    java.nio.file.Path vocab = TestData.sharedOrSkip(TestData.CLIP_VOCAB);
    String[] lines = {"a dog on the beach", "caf\u00c3\u00a9 \u00c3\u00a9t\u00c3\u00a9", "&lt;b&gt; bold &amp;amp; more", "<b>tag</b> &amp;",
        "\u039f\u0394\u039f\u03a3", "\u03a3", "", "   ", "\r", "doesn\u00e2\u20ac\u2122t \u00e2\u20ac\u201c", "&#x1F600; &eacute;",
        "<|endoftext|>", "\u65e5\u672c\u8a9e", "\ud83d\ude00\ud83d\udc4d", "\u001b[31mred\u001b[0m", "&amp", "\u00e2\u20ac", "\ufb01sh \uff26\uff35\uff2c\uff2c",
        "x &lt; y", "\u00a0\u3000", "\u2028", "word1 word2 word3 word4 word5 word6 word7 word8"};
    ClipBpeTokenizer whole = ClipBpeTokenizer.builder(vocab).chunkChars(Integer.MAX_VALUE).build();
    ClipBpeTokenizer pieces = ClipBpeTokenizer.builder(vocab).chunkChars(16).build();
    ClipBpeTokenizer wholeLong = ClipBpeTokenizer.builder(vocab).contextLength(400).chunkChars(Integer.MAX_VALUE).build();
    ClipBpeTokenizer piecesLong = ClipBpeTokenizer.builder(vocab).contextLength(400).chunkChars(16).build();
    Random r = new Random(11);
    for (int i = 0; i < 1500; i++) {
      StringBuilder sb = new StringBuilder();
      int n = 1 + r.nextInt(40);
      for (int k = 0; k < n; k++) {
        sb.append(lines[r.nextInt(lines.length)]).append(r.nextInt(5) == 0 ? "\r\n" : "\n");
      }
      if (r.nextBoolean()) {
        sb.append(lines[r.nextInt(lines.length)]); // no final line break
      }
      String text = sb.toString();
      assertThat(pieces.encode(text)).as(TestData.escape(text)).isEqualTo(whole.encode(text));
      assertThat(piecesLong.encode(text)).as(TestData.escape(text)).isEqualTo(wholeLong.encode(text));
    }
  }

  @Test
  void should_give_the_same_ids_from_many_threads() throws Exception {
    ClipBpeTokenizer clip = ClipBpeTokenizer.builder(TestData.sharedOrSkip(TestData.CLIP_VOCAB))
        .cacheCapacity(64).build(); // small: the cache is cleared and refilled while threads read it
    Random r = new Random(7);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < 12; k++) {
        sb.append("w").append(r.nextInt(300)).append(k % 3 == 0 ? "\u00e9 " : " ");
      }
      texts.add(sb.toString());
    }
    List<int[]> expected = new ArrayList<>();
    ClipBpeTokenizer reference = ClipBpeTokenizer.builder(TestData.sharedOrSkip(TestData.CLIP_VOCAB))
        .cacheCapacity(0).build();
    for (String t : texts) {
      expected.add(reference.encode(t).ids());
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int th = 0; th < 8; th++) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
          order.add(i);
        }
        Collections.shuffle(order, new Random(th));
        results.add(pool.submit(() -> {
          for (int i : order) {
            if (!Arrays.equals(clip.encode(texts.get(i)).ids(), expected.get(i))) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void should_refuse_files_that_are_not_a_clip_vocabulary() throws IOException {
    assertThatThrownBy(() -> ClipBpeTokenizer.builder(new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8))).build())
        .isInstanceOf(BindspaceException.class).hasMessageContaining("cannot read the CLIP BPE vocabulary");
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write("#version: 0.2\ni n\nt h\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThatThrownBy(() -> ClipBpeTokenizer.builder(new ByteArrayInputStream(gz.toByteArray())).build())
        .isInstanceOf(BindspaceException.class).hasMessageContaining("expected at least 48894 merge lines");
  }

  @Test
  void should_validate_its_options() {
    java.nio.file.Path vocab = TestData.sharedOrSkip(TestData.CLIP_VOCAB);
    assertThatThrownBy(() -> ClipBpeTokenizer.builder(vocab).contextLength(2).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 2");
    assertThatThrownBy(() -> ClipBpeTokenizer.builder(vocab).cacheCapacity(-1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    ClipBpeTokenizer clip = TestData.clip();
    assertThat(clip.maxLength()).isEqualTo(77);
    assertThat(clip.padding()).isEqualTo(Padding.MAX_LENGTH);
    assertThat(clip.padId()).isZero();
    assertThat(clip.vocabularySize()).isEqualTo(49408);
    assertThat(clip.startOfTextId()).isEqualTo(SOT);
    assertThat(clip.endOfTextId()).isEqualTo(EOT);
    assertThat(clip.token(1929)).isEqualTo("dog</w>");
    assertThat(clip.token(EOT)).isEqualTo("<|endoftext|>");
    assertThatThrownBy(() -> clip.token(49408)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(clip.toString()).contains("contextLength=77", "MAX_LENGTH");
  }
}
