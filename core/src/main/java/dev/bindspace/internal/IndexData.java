package dev.bindspace.internal;

import java.util.Map;

/**
 * The columns of an index as read from or written to a file: row {@code i} has {@code ids[i]},
 * {@code media[i]} (a {@link dev.bindspace.MediaKind} code), {@code metadata[i]}, {@code norms[i]}
 * and the vector at row {@code i} of {@code vectors}. {@code rows} may be smaller than the arrays.
 *
 * <p>Internal API.
 */
public final class IndexData {
  public final String space;
  public final int dimension;
  public final int rows;
  public final String[] ids;
  public final byte[] media;
  public final Map<String, String>[] metadata;
  public final float[] norms;
  public final VectorStore vectors;

  public IndexData(String space, int dimension, int rows, String[] ids, byte[] media,
      Map<String, String>[] metadata, float[] norms, VectorStore vectors) {
    this.space = space;
    this.dimension = dimension;
    this.rows = rows;
    this.ids = ids;
    this.media = media;
    this.metadata = metadata;
    this.norms = norms;
    this.vectors = vectors;
  }
}
