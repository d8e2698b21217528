package dev.bindspace.cli.internal;

/** The exit codes of {@code bindspace}. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;
  /** An unexpected internal error (a bug): the stack trace is printed. */
  public static final int INTERNAL = 1;
  /** Bad usage: unknown option, missing argument, malformed query expression. */
  public static final int USAGE = 2;
  /** Bad input: a file that is missing, unreadable or undecodable, a damaged or mismatched index. */
  public static final int INPUT = 3;
  /** The model bundle cannot be opened or used. */
  public static final int MODEL = 4;

  private ExitCodes() {
  }
}
