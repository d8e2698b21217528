package dev.bindspace.lucene.internal;

import dev.bindspace.internal.VectorKernels;
import java.io.IOException;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * A {@link FlatVectorsScorer} for float32 {@code DOT_PRODUCT} vectors that computes dot products
 * with bindspace's SIMD kernels. Lucene 9.12 vectorises its own scorers only on Java 20 to 22; on
 * Java 17 it runs a scalar loop, which made graph construction about 1.6x slower in our
 * measurement (100k x 384). Scores are Lucene's: {@code max((1 + dot) / 2, 0)}. Every other
 * similarity and byte vectors go to Lucene's {@link DefaultFlatVectorScorer}.
 *
 * <p>Internal API.
 */
public final class SimdVectorScorer implements FlatVectorsScorer {
  public static final SimdVectorScorer INSTANCE = new SimdVectorScorer();

  private static final VectorKernels KERNELS = VectorKernels.get();

  private SimdVectorScorer() {
  }

  /** Lucene's DOT_PRODUCT score of a dot product of unit vectors. */
  static float score(float dot) {
    return Math.max((1 + dot) / 2, 0);
  }

  @Override
  public RandomVectorScorerSupplier getRandomVectorScorerSupplier(VectorSimilarityFunction sim,
      RandomAccessVectorValues values) throws IOException {
    if (sim == VectorSimilarityFunction.DOT_PRODUCT && values instanceof RandomAccessVectorValues.Floats) {
      return new Supplier((RandomAccessVectorValues.Floats) values);
    }
    return DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorerSupplier(sim, values);
  }

  @Override
  public RandomVectorScorer getRandomVectorScorer(VectorSimilarityFunction sim, RandomAccessVectorValues values,
      float[] target) throws IOException {
    if (sim == VectorSimilarityFunction.DOT_PRODUCT && values instanceof RandomAccessVectorValues.Floats) {
      if (target.length != values.dimension()) {
        throw new IllegalArgumentException("query dimension " + target.length + " != field dimension "
            + values.dimension());
      }
      return forQuery((RandomAccessVectorValues.Floats) values, target);
    }
    return DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorer(sim, values, target);
  }

  @Override
  public RandomVectorScorer getRandomVectorScorer(VectorSimilarityFunction sim, RandomAccessVectorValues values,
      byte[] target) throws IOException {
    return DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorer(sim, values, target);
  }

  /** A scorer of {@code query} against {@code values} (DOT_PRODUCT, unit vectors). */
  public static RandomVectorScorer forQuery(RandomAccessVectorValues.Floats values, float[] query) {
    return new RandomVectorScorer.AbstractRandomVectorScorer(values) {
      @Override
      public float score(int node) throws IOException {
        float[] v = values.vectorValue(node);
        return SimdVectorScorer.score(KERNELS.dot(query, v, 0, query.length));
      }
    };
  }

  @Override
  public String toString() {
    return "SimdVectorScorer(kernel=" + KERNELS.name() + ")";
  }

  /** Scores graph nodes against each other while a graph is built or merged. */
  private static final class Supplier implements RandomVectorScorerSupplier {
    private final RandomAccessVectorValues.Floats values;
    private final RandomAccessVectorValues.Floats queries;
    private final RandomAccessVectorValues.Floats targets;

    Supplier(RandomAccessVectorValues.Floats values) throws IOException {
      this.values = values;
      // two copies: vectorValue() may reuse one buffer per copy, and a query must outlive target reads
      this.queries = values.copy();
      this.targets = values.copy();
    }

    @Override
    public RandomVectorScorer scorer(int ord) throws IOException {
      float[] q = queries.vectorValue(ord).clone();
      return new RandomVectorScorer.AbstractRandomVectorScorer(values) {
        @Override
        public float score(int node) throws IOException {
          float[] v = targets.vectorValue(node);
          return SimdVectorScorer.score(KERNELS.dot(q, v, 0, q.length));
        }
      };
    }

    @Override
    public RandomVectorScorerSupplier copy() throws IOException {
      return new Supplier(values);
    }
  }
}
