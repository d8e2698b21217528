package dev.bindspace.onnx;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A file inside a bundle: its path relative to the bundle root ({@code /}-separated, no {@code ..},
 * not absolute) and the lower-case hex SHA-256 of its bytes, checked when the bundle opens.
 */
public record FileRef(String path, String sha256) {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public FileRef {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(sha256, "sha256");
    checkRelativePath(path);
    sha256 = sha256.toLowerCase(Locale.ROOT);
    if (!SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 of '" + path + "' must be 64 hex digits, found '" + sha256 + "'");
    }
  }

  /**
   * Checks that {@code path} stays inside the bundle root.
   *
   * @throws IllegalArgumentException naming the path otherwise
   */
  public static String checkRelativePath(String path) {
    if (path.isEmpty()) {
      throw new IllegalArgumentException("file path must not be empty");
    }
    if (path.startsWith("/") || path.contains("\\") || path.contains(":") || path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("file path '" + path
          + "' escapes the bundle root: expected a relative '/'-separated path inside the bundle");
    }
    for (String part : path.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new IllegalArgumentException("file path '" + path
            + "' escapes the bundle root or is not normalised: expected a relative path without '', '.' or '..' segments");
      }
    }
    return path;
  }
}
