package dev.bindspace;

import java.util.Map;
import java.util.Objects;

/**
 * One search result: the entry id, its raw cosine similarity to the query in [-1, 1] (never
 * rescaled), its media kind and metadata. Results are ordered best first; equal scores are ordered
 * by id ({@link String#compareTo}).
 */
public final class SearchHit {
  private final String id;
  private final float score;
  private final MediaKind media;
  private final Map<String, String> metadata;

  public SearchHit(String id, float score, MediaKind media, Map<String, String> metadata) {
    this.id = Objects.requireNonNull(id, "id");
    this.score = score;
    this.media = Objects.requireNonNull(media, "media");
    this.metadata = Map.copyOf(metadata);
  }

  public String id() {
    return id;
  }

  /** Cosine similarity in [-1, 1]. */
  public float score() {
    return score;
  }

  public MediaKind media() {
    return media;
  }

  public Modality modality() {
    return media.modality();
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SearchHit)) {
      return false;
    }
    SearchHit h = (SearchHit) o;
    return id.equals(h.id) && Float.compare(score, h.score) == 0 && media == h.media && metadata.equals(h.metadata);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, score, media, metadata);
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "%s (%.4f, %s)", id, score, media);
  }
}
