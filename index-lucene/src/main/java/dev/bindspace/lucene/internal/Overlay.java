package dev.bindspace.lucene.internal;

import dev.bindspace.IndexEntry;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The writes made since the current near-real-time reader was opened: entries added or replaced
 * ({@link #added}, searched by brute force) and ids whose document in that reader is no longer
 * live ({@link #hidden}: removed or replaced). Immutable; each write makes a new one, so a search
 * holding a {@link View} sees one consistent state without locks. Lucene has every write already;
 * the overlay only makes writes visible before the next (costly) reader refresh.
 *
 * <p>Internal API.
 */
public final class Overlay {
  /** No writes since the reader was opened. */
  public static final Overlay EMPTY = new Overlay(Map.of(), Set.of());

  /** An added entry with the vector its Lucene document holds. */
  public static final class Pending {
    public final IndexEntry entry;
    public final float[] searchVector;

    public Pending(IndexEntry entry, float[] searchVector) {
      this.entry = entry;
      this.searchVector = searchVector;
    }
  }

  private final Map<String, Pending> added;
  private final Set<String> hidden;

  private Overlay(Map<String, Pending> added, Set<String> hidden) {
    this.added = added;
    this.hidden = hidden;
  }

  /** Entries added since the reader was opened, by id. */
  public Map<String, Pending> added() {
    return added;
  }

  /** Ids live in the reader whose documents must be ignored. */
  public Set<String> hidden() {
    return hidden;
  }

  /** Number of buffered changes; the index refreshes its reader when this grows too large. */
  public int size() {
    return added.size() + hidden.size();
  }

  public boolean isEmpty() {
    return added.isEmpty() && hidden.isEmpty();
  }

  /**
   * This overlay plus {@code entries} (inserted or replacing).
   *
   * @param liveInReader ids among the entries whose documents are live in the reader (and not yet hidden)
   */
  public Overlay plus(Collection<Pending> entries, Collection<String> liveInReader) {
    Map<String, Pending> a = new HashMap<>(added);
    for (Pending p : entries) {
      a.put(p.entry.id(), p);
    }
    Set<String> h = hidden;
    if (!liveInReader.isEmpty()) {
      h = new HashSet<>(hidden);
      h.addAll(liveInReader);
      h = Collections.unmodifiableSet(h);
    }
    return new Overlay(Collections.unmodifiableMap(a), h);
  }

  /**
   * This overlay without {@code id}.
   *
   * @param liveInReader whether the id's document is live in the reader (and not yet hidden)
   */
  public Overlay minus(String id, boolean liveInReader) {
    Map<String, Pending> a = added;
    if (added.containsKey(id)) {
      a = new HashMap<>(added);
      a.remove(id);
      a = Collections.unmodifiableMap(a);
    }
    Set<String> h = hidden;
    if (liveInReader) {
      h = new HashSet<>(hidden);
      h.add(id);
      h = Collections.unmodifiableSet(h);
    }
    return new Overlay(a, h);
  }
}
