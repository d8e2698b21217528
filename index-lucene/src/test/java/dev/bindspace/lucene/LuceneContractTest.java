package dev.bindspace.lucene;

import dev.bindspace.VectorIndex;
import dev.bindspace.VectorIndexContractTest;
import dev.bindspace.lucene.LuceneVectorIndex.Options;
import dev.bindspace.lucene.LuceneVectorIndex.Quantization;
import dev.bindspace.lucene.LuceneVectorIndex.Similarity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;

/**
 * The core {@link VectorIndexContractTest}, unchanged, against several configurations of
 * {@link LuceneVectorIndex}. The contract's data sets are small, so searches take the exact path
 * unless a configuration forces the graph ({@code exactSearchThreshold(0)}, a beam of 1).
 */
class LuceneContractTest {

  /** Defaults: in memory, DOT_PRODUCT, float32. */
  @Nested
  class Defaults extends VectorIndexContractTest {
    @Override
    protected VectorIndex newIndex(String space, int dimension) {
      return LuceneVectorIndex.builder(space, dimension).build();
    }
  }

  /** COSINE, int7, on disk, a reader refresh after every write (no overlay), tiny RAM buffer. */
  @Nested
  class CosineInt7OnDisk extends VectorIndexContractTest {
    @Override
    protected VectorIndex newIndex(String space, int dimension) {
      try {
        Path dir = Files.createTempDirectory("bindspace-lucene-contract");
        dir.toFile().deleteOnExit();
        return LuceneVectorIndex.builder(space, dimension).directory(dir.resolve("index"))
            .similarity(Similarity.COSINE).quantization(Quantization.INT7)
            .options(Options.builder().maxPendingEntries(0).ramBufferMb(1).build()).build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * float32 with the SIMD graph walk forced everywhere (test hook): a beam larger than the test
   * sets visits every reachable node, and re-scoring keeps the answers exact. A reader refresh
   * every 4 writes makes several segments.
   */
  @Nested
  class FloatGraphPath extends VectorIndexContractTest {
    @Override
    protected VectorIndex newIndex(String space, int dimension) {
      return LuceneVectorIndex.builder(space, dimension)
          .options(Options.builder().graphOnly(true).candidates(2000).maxPendingEntries(3).build())
          .build();
    }
  }

  /** As {@link FloatGraphPath}, with the graph walk reading heap copies of the segments. */
  @Nested
  class HeapGraphPath extends VectorIndexContractTest {
    @Override
    protected VectorIndex newIndex(String space, int dimension) {
      return LuceneVectorIndex.builder(space, dimension)
          .options(Options.builder().graphOnly(true).candidates(2000).maxPendingEntries(3)
              .residency(LuceneVectorIndex.Residency.HEAP).build())
          .build();
    }
  }

  /** int4 (odd dimensions padded) through Lucene's quantised search, forced as above, all candidates re-scored. */
  @Nested
  class Int4GraphPath extends VectorIndexContractTest {
    @Override
    protected VectorIndex newIndex(String space, int dimension) {
      return LuceneVectorIndex.builder(space, dimension).quantization(Quantization.INT4)
          .options(Options.builder().graphOnly(true).candidates(2000).oversample(100).maxPendingEntries(3).build())
          .build();
    }
  }
}
