package dev.bindspace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindspace.Embedding;
import dev.bindspace.MediaKind;
import dev.bindspace.cli.internal.ExpressionException;
import dev.bindspace.cli.internal.InputException;
import dev.bindspace.cli.internal.QueryExpression;
import dev.bindspace.cli.internal.QueryExpression.Term;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryExpressionTest {

  @Test
  void should_parse_weights_signs_kinds_and_quotes() {
    QueryExpression q = QueryExpression.parse("image:a.jpg + 0.5*audio:b.wav - text:'a cat'");
    assertThat(q.terms()).containsExactly(
        new Term(1.0, MediaKind.IMAGE, "a.jpg", 0),
        new Term(0.5, MediaKind.AUDIO, "b.wav", 18),
        new Term(-1.0, MediaKind.TEXT, "a cat", 32));
  }

  @Test
  void should_accept_leading_signs_spaces_exponents_and_escapes() {
    List<Term> t = QueryExpression.parse("  -2 * TEXT:\"say \\\"hi\\\"\"+.25e1*video:/x/y +1e-1*text:'it\\'s'")
        .terms();
    assertThat(t).extracting(Term::weight).containsExactly(-2.0, 2.5, 0.1);
    assertThat(t).extracting(Term::operand).containsExactly("say \"hi\"", "/x/y", "it's");
    assertThat(t.get(1).kind()).isEqualTo(MediaKind.VIDEO);
  }

  @Test
  void should_parse_a_bare_path_up_to_white_space() {
    assertThat(QueryExpression.parse("depth:d.png-x").terms()).singleElement()
        .extracting(Term::operand).isEqualTo("d.png-x");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "''                          | 0  | empty expression",
      "'   '                       | 3  | empty expression",
      "image a.jpg                 | 5  | expected ':' after 'image', found ' '",
      "photo:a.jpg                 | 0  | unknown term kind 'photo'",
      "image:                      | 6  | expected a file path after 'image:', found the end",
      "text: 'x'                   | 5  | expected a quoted text after 'text:', found ' '",
      "text:'unterminated          | 5  | unterminated quote '",
      "text:''                     | 5  | empty text operand",
      "text:'a'b                   | 8  | expected white space, '+', '-' or the end after the closing quote",
      "image:a.jpg audio:b.wav     | 12 | expected '+', '-' or the end of the expression, found 'a'",
      "image:a.jpg +               | 13 | expected a term kind",
      "0.5 image:a.jpg             | 4  | expected '*' after the weight 0.5, found 'i'",
      "2*                          | 2  | expected a term kind",
      ".*image:a                   | 0  | expected a number",
      "1e*image:a                  | 1  | malformed exponent in the number 1e",
      "++image:a                   | 1  | expected a term kind (text, image, audio, video, depth, thermal, imu), found '+'",
      "* image:a                   | 0  | expected a term kind",
  })
  void should_report_the_position_of_errors(String source, int position, String message) {
    assertThatThrownBy(() -> QueryExpression.parse(source))
        .isInstanceOfSatisfying(ExpressionException.class, e -> {
          assertThat(e.position()).as(e.getMessage()).isEqualTo(position);
          assertThat(e.getMessage()).startsWith("column " + (position + 1) + ": ").contains(message);
          assertThat(e.pointer()).isEqualTo(source + "\n" + " ".repeat(position) + "^");
        });
  }

  @Test
  void should_normalise_each_term_then_the_sum() {
    Embedding x = Embedding.of("s", MediaKind.TEXT, new float[] {10, 0});
    Embedding y = Embedding.of("s", MediaKind.TEXT, new float[] {0, 1});
    QueryExpression q = QueryExpression.parse("text:x + 3*text:y");
    Embedding v = q.evaluate(t -> t.operand().equals("x") ? x : y);
    assertThat(v.toArray()[0]).isCloseTo((float) (1 / Math.sqrt(10)), org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(v.toArray()[1]).isCloseTo((float) (3 / Math.sqrt(10)), org.assertj.core.data.Offset.offset(1e-6f));
  }

  @Test
  void should_refuse_a_zero_result() {
    Embedding x = Embedding.of("s", MediaKind.TEXT, new float[] {1, 2});
    assertThatThrownBy(() -> QueryExpression.parse("text:a - text:a").evaluate(t -> x))
        .isInstanceOf(InputException.class).hasMessageContaining("zero vector");
  }
}
