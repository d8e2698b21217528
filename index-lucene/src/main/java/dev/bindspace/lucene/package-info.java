/**
 * An approximate nearest-neighbour {@link dev.bindspace.VectorIndex} on Apache Lucene's HNSW
 * graphs: {@link dev.bindspace.lucene.LuceneVectorIndex}.
 *
 * <pre>{@code
 * try (LuceneVectorIndex index = LuceneVectorIndex.builder("bindspace-mini-v1", 384)
 *     .directory(Path.of("media-index")).build()) {
 *   index.addAll(entries);
 *   index.commit();
 *   List<SearchHit> hits = index.search(SearchRequest.of(query, 10));
 * }
 * }</pre>
 */
package dev.bindspace.lucene;
