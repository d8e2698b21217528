package dev.bindspace;

/** An input could not be turned into an embedding (undecodable file, model failure, ...). */
public class EncodingException extends BindspaceException {
  private static final long serialVersionUID = 1L;

  public EncodingException(String message) {
    super(message);
  }

  public EncodingException(String message, Throwable cause) {
    super(message, cause);
  }
}
