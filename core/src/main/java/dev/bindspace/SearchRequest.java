package dev.bindspace;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What to search for: a query embedding, how many hits, a score floor, which modalities to return
 * (cross-modal retrieval) and a metadata filter. Immutable; made by {@link #builder(Embedding)} and
 * validated at {@link Builder#build()}.
 *
 * <pre>{@code
 * SearchRequest r = SearchRequest.builder(textQuery)
 *     .topK(5)
 *     .minScore(0.2f)
 *     .targetModalities(Modality.VISION, Modality.AUDIO)   // text → images and sounds
 *     .filter(MetadataFilter.equalTo("album", "holiday"))
 *     .build();
 * }</pre>
 */
public final class SearchRequest {
  /** Default number of hits. */
  public static final int DEFAULT_TOP_K = 10;
  /** Largest accepted {@code topK}. */
  public static final int MAX_TOP_K = 100_000;

  private final Embedding query;
  private final int topK;
  private final float minScore;
  private final Set<Modality> targetModalities;
  private final MetadataFilter filter;

  private SearchRequest(Builder b) {
    this.query = b.query;
    this.topK = b.topK;
    this.minScore = b.minScore;
    this.targetModalities = b.targets.isEmpty() ? Set.of() : Set.copyOf(b.targets);
    this.filter = b.filter;
  }

  /** A builder for a search with {@code query}. */
  public static Builder builder(Embedding query) {
    return new Builder(query);
  }

  /** The top {@value #DEFAULT_TOP_K} hits of any modality. */
  public static SearchRequest of(Embedding query) {
    return builder(query).build();
  }

  /** The top {@code topK} hits of any modality. */
  public static SearchRequest of(Embedding query, int topK) {
    return builder(query).topK(topK).build();
  }

  public Embedding query() {
    return query;
  }

  public int topK() {
    return topK;
  }

  /** Hits scoring below this are dropped; {@code -1} (the default) keeps all. */
  public float minScore() {
    return minScore;
  }

  /** The modalities hits may have; empty means all. */
  public Set<Modality> targetModalities() {
    return targetModalities;
  }

  /** Whether the filter is the default accept-all filter. */
  public boolean hasFilter() {
    return filter != null;
  }

  /** The metadata filter; accept-all when none was set. */
  public MetadataFilter filter() {
    return filter == null ? MetadataFilter.all() : filter;
  }

  @Override
  public String toString() {
    return "SearchRequest[topK=" + topK + ", minScore=" + minScore + ", targetModalities="
        + (targetModalities.isEmpty() ? "ALL" : targetModalities) + ", filter=" + (filter == null ? "none" : "set")
        + ", query=" + query + "]";
  }

  /** Builder of {@link SearchRequest}; not thread-safe. */
  public static final class Builder {
    private final Embedding query;
    private int topK = DEFAULT_TOP_K;
    private float minScore = -1f;
    private final EnumSet<Modality> targets = EnumSet.noneOf(Modality.class);
    private MetadataFilter filter;

    private Builder(Embedding query) {
      this.query = Objects.requireNonNull(query, "query");
    }

    /** Number of hits, 1..{@value SearchRequest#MAX_TOP_K}; default {@value SearchRequest#DEFAULT_TOP_K}. */
    public Builder topK(int topK) {
      this.topK = topK;
      return this;
    }

    /** Score floor in [-1, 1]. */
    public Builder minScore(float minScore) {
      this.minScore = minScore;
      return this;
    }

    /** Restricts hits to these modalities (replacing earlier ones); none means all. */
    public Builder targetModalities(Modality... modalities) {
      targets.clear();
      for (Modality m : modalities) {
        targets.add(Objects.requireNonNull(m, "modality"));
      }
      return this;
    }

    /** Restricts hits to these modalities (replacing earlier ones); empty means all. */
    public Builder targetModalities(Collection<Modality> modalities) {
      targets.clear();
      for (Modality m : modalities) {
        targets.add(Objects.requireNonNull(m, "modality"));
      }
      return this;
    }

    /** Only entries whose metadata passes {@code filter} are returned. */
    public Builder filter(MetadataFilter filter) {
      this.filter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException for {@code topK} outside 1..{@value SearchRequest#MAX_TOP_K}, a
     *     {@code minScore} outside [-1, 1], or a zero query vector
     */
    public SearchRequest build() {
      if (topK < 1 || topK > MAX_TOP_K) {
        throw new IllegalArgumentException("topK must be in 1.." + MAX_TOP_K + ", got " + topK);
      }
      if (!(minScore >= -1f && minScore <= 1f)) {
        throw new IllegalArgumentException("minScore must be in [-1, 1], got " + minScore);
      }
      if (query.norm() == 0) {
        throw new IllegalArgumentException("query must not be the zero vector (cosine undefined)");
      }
      return new SearchRequest(this);
    }
  }
}
