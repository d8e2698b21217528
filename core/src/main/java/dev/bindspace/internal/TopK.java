package dev.bindspace.internal;

/**
 * The best {@code k} (score, row) pairs seen so far: a binary heap with the worst kept at the root.
 * Order: higher score is better; equal scores are ordered by ascending id, so the result is
 * deterministic. Not thread-safe: one per search thread, merged at the end.
 *
 * <p>Internal API.
 */
public final class TopK {
  private final int k;
  private final String[] ids;
  private final float[] scores;
  private final int[] rows;
  private int size;

  /** @param ids row → id of the snapshot being searched (for tie-breaking) */
  public TopK(int k, String[] ids) {
    this.k = k;
    this.ids = ids;
    this.scores = new float[k];
    this.rows = new int[k];
  }

  public int size() {
    return size;
  }

  /** Whether {@code k} elements are held (then {@link #worstScore()} is the entry bar). */
  public boolean isFull() {
    return size == k;
  }

  /** The lowest score held; meaningful only when {@link #isFull()}. */
  public float worstScore() {
    return scores[0];
  }

  /** Whether (score, row) would enter: cheap test done before filters. */
  public boolean accepts(float score, int row) {
    return size < k || better(score, row, scores[0], rows[0]);
  }

  /** Adds (score, row); the caller has checked {@link #accepts}. */
  public void insert(float score, int row) {
    if (size < k) {
      int i = size++;
      scores[i] = score;
      rows[i] = row;
      siftUp(i);
    } else {
      scores[0] = score;
      rows[0] = row;
      siftDown(0);
    }
  }

  /** Offers (score, row) with the accept test. */
  public void offer(float score, int row) {
    if (accepts(score, row)) {
      insert(score, row);
    }
  }

  /** Adds every element of {@code other}. */
  public void merge(TopK other) {
    for (int i = 0; i < other.size; i++) {
      offer(other.scores[i], other.rows[i]);
    }
  }

  /** Rows best first; fills {@code outScores} in the same order. Empties the heap. */
  public int[] drainSorted(float[] outScores) {
    int n = size;
    int[] r = new int[n];
    for (int i = n - 1; i >= 0; i--) {
      r[i] = rows[0];
      outScores[i] = scores[0];
      size--;
      if (size > 0) {
        scores[0] = scores[size];
        rows[0] = rows[size];
        siftDown(0);
      }
    }
    return r;
  }

  private boolean better(float s1, int r1, float s2, int r2) {
    if (s1 != s2) {
      return s1 > s2;
    }
    return ids[r1].compareTo(ids[r2]) < 0;
  }

  private void siftUp(int i) {
    float s = scores[i];
    int r = rows[i];
    while (i > 0) {
      int p = (i - 1) >>> 1;
      if (!better(scores[p], rows[p], s, r)) {
        break;
      }
      scores[i] = scores[p];
      rows[i] = rows[p];
      i = p;
    }
    scores[i] = s;
    rows[i] = r;
  }

  private void siftDown(int i) {
    float s = scores[i];
    int r = rows[i];
    int half = size >>> 1;
    while (i < half) {
      int c = 2 * i + 1;
      int rc = c + 1;
      if (rc < size && better(scores[c], rows[c], scores[rc], rows[rc])) {
        c = rc;
      }
      if (!better(s, r, scores[c], rows[c])) {
        break;
      }
      scores[i] = scores[c];
      rows[i] = rows[c];
      i = c;
    }
    scores[i] = s;
    rows[i] = r;
  }
}
