package dev.bindspace.lucene.internal;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.hnsw.FlatVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99FlatVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsReader;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsWriter;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.search.TaskExecutor;

/**
 * The codec an index is written with: Lucene 9.12's default codec with the vector field in a
 * standard Lucene HNSW format, so that any Lucene 9.12+ (and Elasticsearch/OpenSearch/Solr on it)
 * reads the files without bindspace on the class path.
 *
 * <p>Float vectors are written by {@link SimdHnswFormat}, which carries the standard name
 * {@code Lucene99HnswVectorsFormat} and writes byte-identical files, but builds and merges graphs
 * with {@link SimdVectorScorer}. Readers come from Lucene's service loader (the standard classes).
 * Quantised vectors use {@link Lucene99HnswScalarQuantizedVectorsFormat} unchanged.
 *
 * <p>Internal API.
 */
public final class WriterFormats {
  private WriterFormats() {
  }

  /**
   * The codec for writing.
   *
   * @param bits 0 for float32, 7 or 4 for scalar quantisation
   * @param mergeExec the pool for HNSW merges, or {@code null} for single-threaded merges
   */
  public static Codec codec(int maxConn, int beamWidth, int bits, int mergeWorkers, ExecutorService mergeExec) {
    KnnVectorsFormat format = vectorsFormat(maxConn, beamWidth, bits, mergeWorkers, mergeExec);
    return new Lucene912Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return format;
      }
    };
  }

  static KnnVectorsFormat vectorsFormat(int maxConn, int beamWidth, int bits, int mergeWorkers,
      ExecutorService mergeExec) {
    ExecutorService exec = mergeWorkers > 1 ? mergeExec : null;
    int workers = exec == null ? 1 : mergeWorkers;
    if (bits == 0) {
      return new SimdHnswFormat(maxConn, beamWidth, workers, exec);
    }
    // int4 packs two dimensions per byte (the field dimension is padded to even for it);
    // its confidence interval is found per segment (0 = dynamic), Lucene's advice for 4 bits
    return new Lucene99HnswScalarQuantizedVectorsFormat(maxConn, beamWidth, workers, bits, bits == 4,
        bits == 4 ? 0f : null, exec);
  }

  /** Writes exactly what {@link Lucene99HnswVectorsFormat} writes, with SIMD graph scoring. */
  static final class SimdHnswFormat extends KnnVectorsFormat {
    private final FlatVectorsFormat flat = new Lucene99FlatVectorsFormat(SimdVectorScorer.INSTANCE);
    private final int maxConn;
    private final int beamWidth;
    private final int mergeWorkers;
    private final TaskExecutor mergeExec;

    SimdHnswFormat(int maxConn, int beamWidth, int mergeWorkers, ExecutorService mergeExec) {
      super("Lucene99HnswVectorsFormat"); // the standard name: readers need no bindspace class
      this.maxConn = maxConn;
      this.beamWidth = beamWidth;
      this.mergeWorkers = mergeWorkers;
      this.mergeExec = mergeExec == null ? null : new TaskExecutor(mergeExec);
    }

    @Override
    public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
      return new Lucene99HnswVectorsWriter(state, maxConn, beamWidth, flat.fieldsWriter(state), mergeWorkers,
          mergeExec);
    }

    @Override
    public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
      return new Lucene99HnswVectorsReader(state, flat.fieldsReader(state));
    }

    @Override
    public int getMaxDimensions(String field) {
      return 1024;
    }

    @Override
    public String toString() {
      return "SimdHnswFormat(name=Lucene99HnswVectorsFormat, maxConn=" + maxConn + ", beamWidth=" + beamWidth
          + ", mergeWorkers=" + mergeWorkers + ", scorer=" + SimdVectorScorer.INSTANCE + ")";
    }
  }
}
