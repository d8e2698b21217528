package dev.bindspace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Test data: random vectors, embeddings and entries. */
public final class TestVectors {
  private TestVectors() {
  }

  /** Gaussian values; never the zero vector. */
  public static float[] gaussian(Random rnd, int dimension) {
    float[] v = new float[dimension];
    double norm;
    do {
      norm = 0;
      for (int i = 0; i < dimension; i++) {
        v[i] = (float) rnd.nextGaussian();
        norm += (double) v[i] * v[i];
      }
    } while (norm == 0);
    return v;
  }

  /** A Gaussian embedding of {@code media}. */
  public static Embedding embedding(Random rnd, String space, MediaKind media, int dimension) {
    return Embedding.of(space, media, gaussian(rnd, dimension));
  }

  /** {@code n} entries {@code prefix0..prefix(n-1)}, media cycling through all kinds, with metadata. */
  public static List<IndexEntry> entries(Random rnd, String space, int dimension, int n, String prefix) {
    List<IndexEntry> out = new ArrayList<>(n);
    MediaKind[] kinds = MediaKind.values();
    for (int i = 0; i < n; i++) {
      MediaKind m = kinds[i % kinds.length];
      out.add(IndexEntry.of(prefix + i, embedding(rnd, space, m, dimension),
          Map.of("n", Integer.toString(i), "parity", i % 2 == 0 ? "even" : "odd")));
    }
    return out;
  }

  /** The raw bit patterns of {@code v}, for bit-exact comparisons that tell -0.0 from 0.0. */
  public static int[] bits(float[] v) {
    int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Float.floatToRawIntBits(v[i]);
    }
    return b;
  }

  /** The cosine in double precision, computed independently of {@link Embedding}. */
  public static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / (Math.sqrt(na) * Math.sqrt(nb));
  }
}
