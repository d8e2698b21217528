package dev.bindspace.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindspace.BindspaceException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Framing, truncation, padding and bad input of the WordPiece tokenizer with MiniLM's tokenizer.json. */
class WordPieceTokenizerTest {
  private static final int CLS = 101;
  private static final int SEP = 102;

  @Test
  void should_tokenize_like_bert_uncased() {
    Encoding e = TestData.miniLm().encode("A man is playing a guitar.");
    assertThat(e.ids()).containsExactly(CLS, 1037, 2158, 2003, 2652, 1037, 2858, 1012, SEP);
    assertThat(e.attentionMask()).containsOnly(1).hasSize(9);
    assertThat(e.typeIds()).containsOnly(0).hasSize(9);
    assertThat(e.truncated()).isFalse();
  }

  @Test
  void should_pad_batches_to_the_longest_row_by_default() {
    EncodingBatch b = TestData.miniLm().encodeAll(List.of("a", "a man is playing"));
    assertThat(b.sequenceLength()).isEqualTo(6);
    assertThat(b.get(0).ids()).containsExactly(CLS, 1037, SEP, 0, 0, 0);
    assertThat(b.get(0).attentionMask()).containsExactly(1, 1, 1, 0, 0, 0);
    assertThat(b.attentionMaskAsLongs()).containsExactly(1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1);
    assertThat(b.typeIdsAsLongs()).containsOnly(0L);
    assertThat(b.anyTruncated()).isFalse();
  }

  @Test
  void should_pad_to_the_maximum_length_when_configured() throws IOException {
    try (InputStream in = getClass().getResourceAsStream(TestData.MINILM_TOKENIZER)) {
      WordPieceTokenizer fixed = WordPieceTokenizer.builder(in).padding(Padding.MAX_LENGTH).maxLength(16).build();
      Encoding e = fixed.encode("a man");
      assertThat(e.length()).isEqualTo(16);
      assertThat(e.tokenCount()).isEqualTo(4);
      assertThat(fixed.encode("word ".repeat(40)).tokenCount()).isEqualTo(16);
    }
  }

  @Test
  void should_truncate_to_128_tokens_keeping_sep() {
    Encoding e = TestData.miniLm().encode("guitar ".repeat(500));
    int[] ids = e.ids();
    assertThat(ids).hasSize(128);
    assertThat(ids[0]).isEqualTo(CLS);
    assertThat(ids[127]).isEqualTo(SEP);
    assertThat(Arrays.copyOfRange(ids, 1, 127)).containsOnly(2858);
    assertThat(e.truncated()).isTrue();
    assertThat(TestData.miniLm().encode("guitar ".repeat(126)).truncated()).isFalse();
  }

  @Test
  void should_give_unk_for_words_longer_than_100_characters() {
    WordPieceTokenizer bert = TestData.miniLm();
    assertThat(bert.encode("a".repeat(101)).ids()).containsExactly(CLS, 100, SEP);
    assertThat(bert.encode("a".repeat(100)).tokenCount()).isGreaterThan(3);
    assertThat(bert.encode("\u00e9".repeat(101)).ids()).containsExactly(CLS, 100, SEP);
  }

  @Test
  void should_keep_literal_special_tokens_as_their_ids() {
    WordPieceTokenizer bert = TestData.miniLm();
    assertThat(bert.encode("hello[MASK]world").ids()).containsExactly(CLS, 7592, 103, 2088, SEP);
    assertThat(bert.encode("[sep]").ids()).containsExactly(CLS, 1031, 19802, 1033, SEP);
    assertThat(bert.encode("[CLS] [SEP]").ids()).containsExactly(CLS, CLS, SEP, SEP);
  }

  @Test
  void should_define_results_for_bad_input() {
    WordPieceTokenizer bert = TestData.miniLm();
    assertThat(bert.encode("").ids()).containsExactly(CLS, SEP);
    assertThat(bert.encode(" \t\n\u3000\u00a0").ids()).containsExactly(CLS, SEP);
    assertThat(bert.encode("\u0000\u0007\ufffd\u200b\ufeff").ids()).containsExactly(CLS, SEP);
    assertThat(bert.encode("\ud800").ids()).containsExactly(CLS, SEP);
    assertThat(bert.encode("a\udfffb").ids()).isEqualTo(bert.encode("ab").ids());
    assertThatThrownBy(() -> bert.encode(null)).isInstanceOf(NullPointerException.class).hasMessage("text");
    assertThatThrownBy(() -> bert.encodeAll(Arrays.asList(null, "b")))
        .isInstanceOf(NullPointerException.class).hasMessage("texts[0] is null");
    long t0 = System.nanoTime();
    Encoding big = bert.encode("lorem ipsum dolor sit amet, ".repeat(40_000));
    assertThat(big.tokenCount()).isEqualTo(128);
    assertThat(bert.encode("x".repeat(1 << 20)).ids()).containsExactly(CLS, 100, SEP);
    assertThat(bert.encodeWindows("lorem ipsum ".repeat(20_000), 16).size()).isGreaterThan(300);
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(20_000);
  }

  @Test
  void should_refuse_what_it_cannot_load_naming_the_problem() {
    assertThatThrownBy(() -> load("{\"model\": {\"type\": \"BPE\"}}"))
        .isInstanceOf(BindspaceException.class).hasMessageContaining("model type BPE is not supported");
    assertThatThrownBy(() -> load("not json")).isInstanceOf(BindspaceException.class).hasMessageContaining("invalid JSON");
    assertThatThrownBy(() -> load("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"a\": 0}}, "
        + "\"pre_tokenizer\": {\"type\": \"BertPreTokenizer\"}}"))
        .isInstanceOf(BindspaceException.class).hasMessageContaining("'[UNK]' is not in the vocabulary");
    assertThatThrownBy(() -> load("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"[UNK]\": 0}}, "
        + "\"normalizer\": {\"type\": \"NFKC\"}, \"pre_tokenizer\": {\"type\": \"BertPreTokenizer\"}}"))
        .isInstanceOf(BindspaceException.class).hasMessageContaining("normalizer type NFKC is not supported");
  }

  @Test
  void should_work_without_normalizer_or_post_processor() {
    WordPieceTokenizer tiny = load("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"[UNK]\": 0, \"ab\": 1, \"##c\": 2, \"A\": 3}}, "
        + "\"pre_tokenizer\": {\"type\": \"BertPreTokenizer\"}}");
    assertThat(tiny.encode("abc A x").ids()).containsExactly(1, 2, 3, 0);
    assertThat(tiny.maxLength()).isEqualTo(WordPieceTokenizer.DEFAULT_MAX_LENGTH);
    assertThat(tiny.token(2)).isEqualTo("##c");
    assertThatThrownBy(() -> WordPieceTokenizer.builder(new ByteArrayInputStream(new byte[0])).maxLength(2).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 2");
  }

  @Test
  void should_describe_itself() {
    WordPieceTokenizer bert = TestData.miniLm();
    assertThat(bert.maxLength()).isEqualTo(128);
    assertThat(bert.padding()).isEqualTo(Padding.LONGEST);
    assertThat(bert.padId()).isZero();
    assertThat(bert.vocabularySize()).isEqualTo(30522);
    assertThat(bert.token(2858)).isEqualTo("guitar");
    assertThat(bert.toString()).contains("maxLength=128");
  }

  private static WordPieceTokenizer load(String json) {
    return WordPieceTokenizer.builder(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))).build();
  }
}
