package dev.bindspace;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A naive, double-precision, exact implementation of {@link VectorIndex#search} semantics over a
 * collection of entries: the reference the real indexes are compared with.
 */
public final class ReferenceSearch {
  private ReferenceSearch() {
  }

  /** One reference result: id and exact score. */
  public static final class Scored {
    public final String id;
    public final double score;

    Scored(String id, double score) {
      this.id = id;
      this.score = score;
    }

    @Override
    public String toString() {
      return id + "=" + score;
    }
  }

  /** Every entry passing the request's modality and metadata filters and minScore, best first (ties by id). */
  public static List<Scored> all(Collection<IndexEntry> entries, SearchRequest r) {
    float[] q = r.query().toArray();
    List<Scored> out = new ArrayList<>();
    for (IndexEntry e : entries) {
      if (!r.targetModalities().isEmpty() && !r.targetModalities().contains(e.embedding().modality())) {
        continue;
      }
      if (!r.filter().test(e.metadata())) {
        continue;
      }
      double s = TestVectors.cosine(q, e.embedding().toArray());
      if (s < r.minScore()) {
        continue;
      }
      out.add(new Scored(e.id(), s));
    }
    out.sort(Comparator.comparingDouble((Scored s) -> -s.score).thenComparing(s -> s.id));
    return out;
  }

  /** The top {@code r.topK()} of {@link #all}. */
  public static List<Scored> search(Collection<IndexEntry> entries, SearchRequest r) {
    List<Scored> all = all(entries, r);
    return new ArrayList<>(all.subList(0, Math.min(r.topK(), all.size())));
  }
}
