package dev.bindspace;

import java.util.Map;
import java.util.Objects;

/**
 * One stored item of a {@link VectorIndex}: a unique id, its embedding and string metadata.
 * Immutable; the metadata map is copied.
 *
 * <p>Ids are 1..65535 bytes of UTF-8; metadata keys are non-empty, values may be empty, neither may
 * be {@code null}.
 */
public final class IndexEntry {
  private final String id;
  private final Embedding embedding;
  private final Map<String, String> metadata;

  private IndexEntry(String id, Embedding embedding, Map<String, String> metadata) {
    this.id = checkId(id);
    this.embedding = Objects.requireNonNull(embedding, "embedding");
    Objects.requireNonNull(metadata, "metadata");
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      if (e.getKey() == null || e.getKey().isEmpty()) {
        throw new IllegalArgumentException("metadata keys must be non-empty, got '" + e.getKey() + "' for id '" + id + "'");
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException("metadata value for key '" + e.getKey() + "' of id '" + id + "' is null");
      }
    }
    this.metadata = Map.copyOf(metadata);
  }

  /** An entry without metadata. */
  public static IndexEntry of(String id, Embedding embedding) {
    return new IndexEntry(id, embedding, Map.of());
  }

  /** An entry with metadata (copied). */
  public static IndexEntry of(String id, Embedding embedding, Map<String, String> metadata) {
    return new IndexEntry(id, embedding, metadata);
  }

  /**
   * Checks an id: non-empty, at most 65535 UTF-8 bytes.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public static String checkId(String id) {
    Objects.requireNonNull(id, "id");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("id must not be empty");
    }
    if (id.length() > 65535 / 3 && id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 65535) {
      throw new IllegalArgumentException("id must be at most 65535 UTF-8 bytes, got one of "
          + id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }
    return id;
  }

  public String id() {
    return id;
  }

  public Embedding embedding() {
    return embedding;
  }

  /** Unmodifiable metadata. */
  public Map<String, String> metadata() {
    return metadata;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof IndexEntry)) {
      return false;
    }
    IndexEntry e = (IndexEntry) o;
    return id.equals(e.id) && embedding.equals(e.embedding) && metadata.equals(e.metadata);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, embedding, metadata);
  }

  @Override
  public String toString() {
    return "IndexEntry[id=" + id + ", media=" + embedding.media() + ", dimension=" + embedding.dimension()
        + ", metadata=" + metadata + "]";
  }
}
