package dev.bindspace.text.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.text.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The BPE model: vocabulary layout and the two merge loops. Needs ../shared's vocabulary. */
class ClipBpeTest {
  private static ClipBpe bpe;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = Files.newInputStream(TestData.sharedOrSkip(TestData.CLIP_VOCAB))) {
      bpe = ClipBpe.read(in);
    }
  }

  @Test
  void should_lay_out_the_vocabulary_like_clip() {
    assertThat(bpe.vocabularySize()).isEqualTo(49408);
    assertThat(bpe.token(0)).isEqualTo("!");
    assertThat(bpe.token(256)).isEqualTo("!</w>");
    assertThat(bpe.token(255)).isEqualTo("\u0143"); // byte 0xAD, the last one moved above U+00FF
    assertThat(bpe.startOfText()).isEqualTo(49406);
    assertThat(bpe.endOfText()).isEqualTo(49407);
    assertThat(bpe.queueSafe()).as("every merge ranks after the merges that build its parts").isTrue();
  }

  @Test
  void should_merge_long_words_with_the_queue_exactly_like_the_original_loop() {
    Random r = new Random(42);
    String[] alphabets = {"abcdefghijklmnopqrstuvwxyz", "etaoinshr", "\u00e9\u00e8\u00e0\u00fc\u00df", "\u65e5\u672c\u8a9e\u4e2d\u6587",
        "!?.,;:-_<>", "0123456789", "\ud83d\ude00\ud83d\udc4d"};
    for (int i = 0; i < 3000; i++) {
      String alphabet = alphabets[r.nextInt(alphabets.length)];
      int len = 1 + r.nextInt(i < 2500 ? 80 : 2000);
      StringBuilder sb = new StringBuilder();
      while (sb.length() < len) {
        int cp = alphabet.codePointAt(alphabet.offsetByCodePoints(0, r.nextInt(alphabet.codePointCount(0, alphabet.length()))));
        sb.appendCodePoint(cp);
      }
      byte[] utf8 = sb.toString().getBytes(StandardCharsets.UTF_8);
      if (utf8.length < 2) {
        continue;
      }
      int[] passes = bpe.mergeInPasses(bpe.initialSymbols(utf8));
      int[] queue = bpe.mergeWithQueue(bpe.initialSymbols(utf8));
      assertThat(queue).as("word %s", TestData.escape(sb.toString())).isEqualTo(passes);
    }
  }
}
