package dev.bindspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Assertions on search results shared by the index tests. */
public final class SearchAssertions {
  private SearchAssertions() {
  }

  /** Scores finite and in [-1, 1], no id twice, best first, equal scores by ascending id. */
  public static void assertWellFormed(List<SearchHit> hits) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < hits.size(); i++) {
      SearchHit h = hits.get(i);
      assertThat(h.score()).as("score of %s at rank %d in %s", h.id(), i, hits).isBetween(-1f, 1f);
      if (!seen.add(h.id())) {
        fail("id %s returned twice in %s", h.id(), hits);
      }
      if (i > 0) {
        SearchHit p = hits.get(i - 1);
        boolean ordered = p.score() > h.score() || (p.score() == h.score() && p.id().compareTo(h.id()) < 0);
        if (!ordered) {
          fail("hits %d and %d out of order (score desc, then id asc): %s then %s in %s", i - 1, i, p, h, hits);
        }
      }
    }
  }

  /**
   * {@code actual} is {@code expected} up to near-ties: same length, the score at every rank within
   * {@code tol}, an id in both lists scored within {@code tol} in both, and an id in only one list
   * scored within {@code tol} of the last (boundary) score. Media and metadata agree.
   */
  public static void assertEquivalent(List<SearchHit> actual, List<SearchHit> expected, double tol) {
    assertWellFormed(actual);
    assertThat(actual).as("hit count; actual %s, expected %s", actual, expected).hasSameSizeAs(expected);
    Map<String, SearchHit> byId = new HashMap<>();
    for (SearchHit h : expected) {
      byId.put(h.id(), h);
    }
    for (int i = 0; i < actual.size(); i++) {
      SearchHit a = actual.get(i);
      SearchHit e = expected.get(i);
      if (Math.abs(a.score() - e.score()) > tol) {
        fail("rank %d: score %s vs expected %s differ by more than %s%n actual   %s%n expected %s", i, a, e, tol,
            actual, expected);
      }
      SearchHit same = byId.get(a.id());
      if (same == null) {
        float last = expected.get(expected.size() - 1).score();
        if (Math.abs(a.score() - last) > tol) {
          fail("rank %d: %s is not among the expected hits and not a near-tie at the boundary%n actual   %s%n expected %s",
              i, a, actual, expected);
        }
      } else {
        if (Math.abs(a.score() - same.score()) > tol) {
          fail("%s scored %s here and %s in the expected hits", a.id(), a.score(), same.score());
        }
        assertThat(a.media()).as("media of %s", a.id()).isEqualTo(same.media());
        assertThat(a.metadata()).as("metadata of %s", a.id()).isEqualTo(same.metadata());
      }
    }
  }

  /**
   * {@code actual} is the exact answer to {@code r} over {@code entries} up to near-ties: every hit
   * passes the filters, its score is within {@code scoreTol} of the double-precision cosine, and
   * the hit at rank {@code i} has an exact score within {@code tieTol} of the {@code i}-th best exact
   * score (two hits may swap only if their exact scores differ by less than {@code tieTol}).
   */
  public static void assertMatchesReference(List<SearchHit> actual, Collection<IndexEntry> entries, SearchRequest r,
      double tieTol, double scoreTol) {
    assertWellFormed(actual);
    SearchRequest noFloor = copyWithMinScore(r, -1f);
    List<ReferenceSearch.Scored> all = ReferenceSearch.all(entries, noFloor);
    Map<String, Double> exact = new HashMap<>();
    Map<String, IndexEntry> entryOf = new HashMap<>();
    for (ReferenceSearch.Scored s : all) {
      exact.put(s.id, s.score);
    }
    for (IndexEntry e : entries) {
      entryOf.put(e.id(), e);
    }
    double min = r.minScore();
    // entries within scoreTol of the floor may fall on either side of it
    List<ReferenceSearch.Scored> loose = all.stream().filter(s -> s.score >= min - scoreTol).toList();
    long strict = all.stream().filter(s -> s.score >= min + scoreTol).count();
    int k = r.topK();
    assertThat(actual.size()).as("hit count for %s; exact top hits %s", r,
        loose.subList(0, Math.min(loose.size(), k + 2))).isBetween((int) Math.min(k, strict), Math.min(k, loose.size()));
    for (int i = 0; i < actual.size(); i++) {
      SearchHit h = actual.get(i);
      Double s = exact.get(h.id());
      if (s == null) {
        fail("rank %d: %s is not a live entry passing the request's filters (%s)", i, h, r);
      }
      if (Math.abs(h.score() - s) > scoreTol) {
        fail("rank %d: %s has score %s but its exact cosine is %s", i, h.id(), h.score(), s);
      }
      double best = loose.get(i).score;
      if (Math.abs(s - best) > tieTol) {
        fail("rank %d: %s (exact %s) but the exact rank-%d entry is %s; exact top: %s%nactual: %s", i, h.id(), s, i,
            loose.get(i), loose.subList(0, Math.min(loose.size(), k + 2)), actual);
      }
      IndexEntry e = entryOf.get(h.id());
      assertThat(h.media()).as("media of %s", h.id()).isEqualTo(e.embedding().media());
      assertThat(h.metadata()).as("metadata of %s", h.id()).isEqualTo(e.metadata());
    }
  }

  /** {@code r} with another score floor. */
  public static SearchRequest copyWithMinScore(SearchRequest r, float minScore) {
    SearchRequest.Builder b = SearchRequest.builder(r.query()).topK(r.topK()).minScore(minScore)
        .targetModalities(r.targetModalities());
    if (r.hasFilter()) {
      b.filter(r.filter());
    }
    return b.build();
  }

  /** The ids of {@code hits}, in order. */
  public static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(SearchHit::id).toList();
  }
}
