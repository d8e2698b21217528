package dev.bindspace.onnx;

import java.util.Objects;
import java.util.Optional;

/**
 * The terms a bundle's weights are under: an SPDX-style id (e.g. {@code CC-BY-NC-SA-4.0}), a
 * human-readable name, the attribution text to show users, and optionally the full license file
 * shipped inside the bundle.
 */
public record License(String id, String name, String attribution, Optional<FileRef> file) {
  public License {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(attribution, "attribution");
    Objects.requireNonNull(file, "file");
    if (id.isBlank()) {
      throw new IllegalArgumentException("license id must not be blank");
    }
  }
}
