package dev.bindspace.onnx;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A file inside a bundle: its path relative to the bundle root ({@code /}-separated, no {@code ..},
 * not absolute) and the lower-case hex SHA-256 of its bytes, checked when the bundle opens.
 *
 * <p>A bundle opened from the classpath may take a file from <b>another artifact</b> on the same
 * classpath: {@code resource} is then the absolute resource name it is read from (for example
 * bindspace-mini's text graph, {@code /all-minilm-l6-v2-q.onnx} from the LangChain4j MiniLM jar);
 * the file is still verified against {@code sha256} and appears at {@code path} in the opened bundle.
 * {@code resource} is {@code null} for ordinary files.
 */
public record FileRef(String path, String sha256, String resource) {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public FileRef {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(sha256, "sha256");
    checkRelativePath(path);
    sha256 = sha256.toLowerCase(Locale.ROOT);
    if (!SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 of '" + path + "' must be 64 hex digits, found '" + sha256 + "'");
    }
    if (resource != null) {
      if (!resource.startsWith("/") || resource.length() < 2) {
        throw new IllegalArgumentException("resource of '" + path + "' must be an absolute classpath resource name"
            + " such as '/model.onnx', found '" + resource + "'");
      }
      checkRelativePath(resource.substring(1));
    }
  }

  /** An ordinary file of the bundle. */
  public FileRef(String path, String sha256) {
    this(path, sha256, null);
  }

  /** Whether the file is read from a classpath resource outside the bundle's prefix. */
  public boolean isClasspathResource() {
    return resource != null;
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
