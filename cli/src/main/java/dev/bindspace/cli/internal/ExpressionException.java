package dev.bindspace.cli.internal;

import dev.bindspace.BindspaceException;

/**
 * A query expression that does not parse. {@link #position()} is the 0-based character offset of the
 * error; {@link #getMessage()} reads "column N: what was expected, what was found".
 */
public final class ExpressionException extends BindspaceException {
  private static final long serialVersionUID = 1L;

  private final String expression;
  private final int position;
  private final String reason;

  public ExpressionException(String expression, int position, String reason) {
    super("column " + (position + 1) + ": " + reason);
    this.expression = expression;
    this.position = position;
    this.reason = reason;
  }

  /** The whole expression. */
  public String expression() {
    return expression;
  }

  /** 0-based offset of the error in {@link #expression()}. */
  public int position() {
    return position;
  }

  /** What went wrong, without the position. */
  public String reason() {
    return reason;
  }

  /** The expression and a caret under the error, two lines. */
  public String pointer() {
    return expression + "\n" + " ".repeat(position) + "^";
  }
}
