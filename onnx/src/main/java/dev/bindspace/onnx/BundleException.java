package dev.bindspace.onnx;

import dev.bindspace.BindspaceException;

/**
 * A model bundle could not be opened: unreadable or invalid manifest, unknown format version,
 * missing or tampered file, a zip entry escaping the bundle root, or a graph whose signature
 * differs from the manifest. The message says what was expected and what was found.
 */
public class BundleException extends BindspaceException {
  private static final long serialVersionUID = 1L;

  public BundleException(String message) {
    super(message);
  }

  public BundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
