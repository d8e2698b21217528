package dev.bindspace.cli.internal;

import dev.bindspace.BindspaceException;

/** The model bundle could not be opened or used (exit code 4). */
public final class ModelException extends BindspaceException {
  private static final long serialVersionUID = 1L;

  public ModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
