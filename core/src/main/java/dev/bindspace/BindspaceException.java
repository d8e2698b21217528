package dev.bindspace;

/**
 * Root of every exception bindspace throws on its own behalf.
 *
 * <p>Caller mistakes (a bad argument, mixing dimensions or joint spaces) are reported as
 * {@link IllegalArgumentException} with the offending value in the message; everything that goes
 * wrong inside the library or with its files is a subclass of this unchecked exception, so one
 * {@code catch (BindspaceException e)} covers them all. Checked exceptions of native libraries are
 * wrapped once, at the boundary.
 */
public class BindspaceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BindspaceException(String message) {
    super(message);
  }

  public BindspaceException(String message, Throwable cause) {
    super(message, cause);
  }
}
