package dev.bindspace;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A collection of embeddings of one joint space, searchable by cosine similarity.
 *
 * <p><b>Ids</b> are unique. {@link #add} and {@link #addAll} refuse an id that is already present
 * (no silent overwrite); {@link #upsert} and {@link #upsertAll} insert or replace. Batch operations
 * are all-or-nothing: they validate every entry before changing anything.
 *
 * <p><b>Threads.</b> Implementations are thread-safe. Searches run concurrently with each other and
 * with writers, and each search sees one consistent state: every entry whose {@code add} returned
 * before the search started, none whose {@code remove} returned before it started, never a
 * half-written vector.
 *
 * <pre>{@code
 * try (VectorIndex index = FlatIndex.create("bindspace-mini-v1", 384)) {
 *   index.add(IndexEntry.of("dog.jpg", dogImage, Map.of("album", "pets")));
 *   index.add(IndexEntry.of("bark.wav", barkSound));
 *   List<SearchHit> hits = index.search(SearchRequest.builder(textQuery)
 *       .topK(5).targetModalities(Modality.VISION).build());
 * }
 * }</pre>
 */
public interface VectorIndex extends AutoCloseable {

  /** The joint-space id every stored and query embedding must carry. */
  String space();

  /** The dimension every stored and query embedding must have. */
  int dimension();

  /** Number of live entries. */
  int size();

  /**
   * Adds a new entry.
   *
   * @throws IllegalArgumentException if the id is present, or the embedding has another space or
   *     dimension, or is the zero vector
   */
  void add(IndexEntry entry);

  /** Adds all entries atomically; refuses ids already present or repeated within the batch. */
  void addAll(Collection<IndexEntry> entries);

  /** Inserts the entry, replacing an entry with the same id if there is one. */
  void upsert(IndexEntry entry);

  /** Upserts all entries atomically; refuses an id repeated within the batch. */
  void upsertAll(Collection<IndexEntry> entries);

  /** Removes the entry with {@code id}; returns whether there was one. */
  boolean remove(String id);

  /** The stored entry with {@code id}, bit-exact. */
  Optional<IndexEntry> get(String id);

  /** Whether an entry with {@code id} is present. */
  default boolean contains(String id) {
    return get(id).isPresent();
  }

  /**
   * The best hits for one query, sorted by descending score, equal scores by ascending id.
   *
   * @throws IllegalArgumentException if the query has another space or dimension
   */
  List<SearchHit> search(SearchRequest request);

  /**
   * Many queries at once; the result list matches the order of {@code requests}. Much faster per
   * query than calling {@link #search} in a loop (one pass over the vectors for all of them).
   */
  List<List<SearchHit>> searchAll(List<SearchRequest> requests);

  /**
   * Releases memory and file mappings. Idempotent. Afterwards every method that reads or writes
   * entries throws {@link IllegalStateException}; {@link #space()} and {@link #dimension()} still answer.
   */
  @Override
  void close();
}
