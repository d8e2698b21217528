package dev.bindspace.cli.internal;

import dev.bindspace.BindspaceException;

/** A bad input file, query or index (exit code 3); the message names the file or value. */
public final class InputException extends BindspaceException {
  private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
