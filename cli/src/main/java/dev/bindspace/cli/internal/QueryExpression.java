package dev.bindspace.cli.internal;

import dev.bindspace.Embedding;
import dev.bindspace.MediaKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * A query in the small vector-arithmetic language of {@code bindspace search --expr} and report
 * query files:
 *
 * <pre>
 * expression := [sign] weighted (sign weighted)*
 * sign       := '+' | '-'
 * weighted   := [number '*'] term
 * term       := kind ':' operand
 * kind       := text | image | audio | video | depth | thermal | imu      (case-insensitive)
 * operand    := '...' | "..." | bare                                       (\ escapes a quote or \ inside quotes)
 * bare       := one or more characters up to the next white space
 * number     := digits ['.' digits] [('e'|'E') ['+'|'-'] digits]  |  '.' digits ...
 * </pre>
 *
 * <p>Example: {@code image:a.jpg + 0.5*audio:b.wav - text:'a cat'}. The value is
 * {@code normalize(Σ sign·weight·normalize(embedding(term)))}: every term counts by its weight, not by
 * its embedding's norm. Parsing is pure (no file is touched); {@link #evaluate} embeds.
 */
public final class QueryExpression {

  /**
   * One term.
   *
   * @param weight signed weight
   * @param kind what the operand is
   * @param operand a text, or a file path for media kinds
   * @param position 0-based offset of the term's kind in the expression
   */
  public record Term(double weight, MediaKind kind, String operand, int position) {
    public Term {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(operand, "operand");
    }
  }

  private static final List<String> KINDS = List.of("text", "image", "audio", "video", "depth", "thermal", "imu");

  private final String source;
  private final List<Term> terms;

  private QueryExpression(String source, List<Term> terms) {
    this.source = source;
    this.terms = List.copyOf(terms);
  }

  /** A single-term query, as {@code --text}, {@code --image} etc. make. */
  public static QueryExpression single(MediaKind kind, String operand) {
    return new QueryExpression(kind.name().toLowerCase(Locale.ROOT) + ":" + operand,
        List.of(new Term(1.0, kind, operand, 0)));
  }

  /**
   * Parses {@code source}.
   *
   * @throws ExpressionException with the position of the first error
   */
  public static QueryExpression parse(String source) {
    Objects.requireNonNull(source, "source");
    return new QueryExpression(source, new Parser(source).parse());
  }

  /** The text this expression was parsed from. */
  public String source() {
    return source;
  }

  /** The terms in order. */
  public List<Term> terms() {
    return terms;
  }

  /**
   * The query vector: {@code normalize(Σ weight·normalize(embed(term)))}.
   *
   * @throws InputException if the weighted sum is the zero vector (e.g. {@code text:a - text:a})
   */
  public Embedding evaluate(Function<Term, Embedding> embed) {
    List<Embedding> parts = new ArrayList<>(terms.size());
    double[] weights = new double[terms.size()];
    for (int i = 0; i < terms.size(); i++) {
      parts.add(embed.apply(terms.get(i)).normalize());
      weights[i] = terms.get(i).weight();
    }
    Embedding sum = Embedding.sum(parts, weights);
    if (!(sum.norm() > 1e-6)) {
      throw new InputException("the query '" + source + "' adds up to (almost) the zero vector: nothing to search for");
    }
    return sum.normalize();
  }

  @Override
  public String toString() {
    return source;
  }

  /** Recursive descent over the grammar above; {@code pos} is the next unread character. */
  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    List<Term> parse() {
      List<Term> out = new ArrayList<>();
      skipSpace();
      if (pos == s.length()) {
        throw error(pos, "empty expression: expected a term such as text:'a dog' or image:photo.jpg");
      }
      double sign = 1;
      if (peek() == '+' || peek() == '-') {
        sign = next() == '-' ? -1 : 1;
        skipSpace();
      }
      out.add(weighted(sign));
      while (true) {
        skipSpace();
        if (pos == s.length()) {
          return out;
        }
        char c = peek();
        if (c != '+' && c != '-') {
          throw error(pos, "expected '+', '-' or the end of the expression, found " + describe(pos));
        }
        pos++;
        skipSpace();
        out.add(weighted(c == '-' ? -1 : 1));
      }
    }

    private Term weighted(double sign) {
      double weight = 1;
      if (pos < s.length() && (Character.isDigit(peek()) || peek() == '.')) {
        int start = pos;
        weight = number();
        skipSpace();
        if (pos == s.length() || peek() != '*') {
          throw error(pos, "expected '*' after the weight " + s.substring(start, start + numberLength(start))
              + ", found " + describe(pos));
        }
        pos++;
        skipSpace();
      }
      return term(sign * weight);
    }

    private int numberLength(int start) {
      int i = start;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || ".eE+-".indexOf(s.charAt(i)) >= 0)) {
        i++;
      }
      return i - start;
    }

    private double number() {
      int start = pos;
      digits();
      if (pos < s.length() && peek() == '.') {
        pos++;
        digits();
      }
      if (!hasDigit(start, pos)) {
        throw error(start, "expected a number, found " + describe(start));
      }
      if (pos < s.length() && (peek() == 'e' || peek() == 'E')) {
        int e = pos;
        pos++;
        if (pos < s.length() && (peek() == '+' || peek() == '-')) {
          pos++;
        }
        int d = pos;
        digits();
        if (pos == d) {
          throw error(e, "malformed exponent in the number " + s.substring(start, pos));
        }
      }
      double v = Double.parseDouble(s.substring(start, pos));
      if (!Double.isFinite(v)) {
        throw error(start, "the weight " + s.substring(start, pos) + " is not a finite number");
      }
      return v;
    }

    private boolean hasDigit(int from, int to) {
      for (int i = from; i < to; i++) {
        if (Character.isDigit(s.charAt(i))) {
          return true;
        }
      }
      return false;
    }

    private void digits() {
      while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
        pos++;
      }
    }

    private Term term(double weight) {
      int start = pos;
      while (pos < s.length() && Character.isLetter(peek())) {
        pos++;
      }
      if (pos == start) {
        throw error(start, "expected a term kind (" + String.join(", ", KINDS) + "), found " + describe(start));
      }
      String kind = s.substring(start, pos).toLowerCase(Locale.ROOT);
      if (!KINDS.contains(kind)) {
        throw error(start, "unknown term kind '" + s.substring(start, pos) + "': expected one of "
            + String.join(", ", KINDS));
      }
      if (pos == s.length() || peek() != ':') {
        throw error(pos, "expected ':' after '" + kind + "', found " + describe(pos));
      }
      pos++;
      String operand = operand(kind);
      return new Term(weight, MediaKind.valueOf(kind.toUpperCase(Locale.ROOT)), operand, start);
    }

    private String operand(String kind) {
      if (pos == s.length() || Character.isWhitespace(peek())) {
        throw error(pos, "expected " + (kind.equals("text") ? "a quoted text" : "a file path") + " after '"
            + kind + ":', found " + describe(pos));
      }
      char q = peek();
      if (q == '\'' || q == '"') {
        int open = pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
          if (pos == s.length()) {
            throw error(open, "unterminated quote " + q + " (opened here)");
          }
          char c = next();
          if (c == q) {
            break;
          }
          if (c == '\\' && pos < s.length() && (peek() == q || peek() == '\\')) {
            c = next();
          }
          b.append(c);
        }
        if (b.length() == 0) {
          throw error(open, "empty " + kind + " operand");
        }
        if (pos < s.length() && !Character.isWhitespace(peek()) && peek() != '+' && peek() != '-') {
          throw error(pos, "expected white space, '+', '-' or the end after the closing quote, found " + describe(pos));
        }
        return b.toString();
      }
      int start = pos;
      while (pos < s.length() && !Character.isWhitespace(peek())) {
        pos++;
      }
      return s.substring(start, pos);
    }

    private void skipSpace() {
      while (pos < s.length() && Character.isWhitespace(peek())) {
        pos++;
      }
    }

    private char peek() {
      return s.charAt(pos);
    }

    private char next() {
      return s.charAt(pos++);
    }

    private String describe(int at) {
      if (at >= s.length()) {
        return "the end of the expression";
      }
      int cp = s.codePointAt(at);
      return "'" + new String(Character.toChars(cp)) + "'";
    }

    private ExpressionException error(int at, String reason) {
      return new ExpressionException(s, at, reason);
    }
  }
}
