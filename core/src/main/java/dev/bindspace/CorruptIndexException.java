package dev.bindspace;

import java.nio.file.Path;

/**
 * An index file could not be opened because it is truncated, corrupted, of a newer format or not an
 * index file at all. The message, {@link #file()} and {@link #section()} name the file and the
 * section of the format that failed its check, for example {@code VECTORS: CRC32C mismatch}.
 * An index is never partially loaded: when this is thrown, nothing was opened.
 */
public final class CorruptIndexException extends BindspaceException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String section;

  public CorruptIndexException(Path file, String section, String detail) {
    super(file + ": section " + section + ": " + detail);
    this.file = file;
    this.section = section;
  }

  public CorruptIndexException(Path file, String section, String detail, Throwable cause) {
    super(file + ": section " + section + ": " + detail, cause);
    this.file = file;
    this.section = section;
  }

  /** The file that failed validation. */
  public Path file() {
    return file;
  }

  /** The name of the failing section, e.g. {@code HEADER}, {@code IDS}, {@code VECTORS}. */
  public String section() {
    return section;
  }
}
