package dev.bindspace.cli.internal;

/** The index behind {@code --index}: a core {@code FlatIndex} file or a {@code LuceneVectorIndex} directory. */
public enum IndexType {
  /** Exact search; one {@code .bsix} file, saved atomically at every commit. */
  FLAT,
  /** Approximate (HNSW) search; a Lucene index directory, Lucene commits. */
  HNSW
}
