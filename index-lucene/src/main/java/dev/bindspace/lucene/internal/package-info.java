/**
 * Internals of {@code bindspace-index-lucene}: the document layout, the SIMD vector scorer plugged
 * into Lucene's HNSW formats, the buffer of not-yet-refreshed writes and the search algorithm.
 *
 * <p>Internal API: not for use outside bindspace; it changes without notice.
 */
package dev.bindspace.lucene.internal;
