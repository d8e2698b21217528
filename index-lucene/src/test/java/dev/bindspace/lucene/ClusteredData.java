package dev.bindspace.lucene;

import dev.bindspace.Embedding;
import dev.bindspace.IndexEntry;
import dev.bindspace.MediaKind;
import dev.bindspace.SearchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Clustered test vectors: unit centres, points spread around them in a low-rank subspace plus
 * isotropic noise (the generator of the ANN benchmark, smaller), with media kinds and metadata.
 */
final class ClusteredData {
  static final String SPACE = "lucene-test";

  private ClusteredData() {
  }

  static float[][] vectors(Random rnd, int n, int d, int clusters) {
    float[][] centres = new float[clusters][];
    float[][][] bases = new float[clusters][4][];
    for (int c = 0; c < clusters; c++) {
      centres[c] = unit(gaussian(rnd, d));
      for (int r = 0; r < 4; r++) {
        bases[c][r] = unit(gaussian(rnd, d));
      }
    }
    float[][] out = new float[n][d];
    for (int i = 0; i < n; i++) {
      int c = rnd.nextInt(clusters);
      float[] v = out[i];
      for (int j = 0; j < d; j++) {
        v[j] = centres[c][j] + (float) (0.25 * rnd.nextGaussian() / Math.sqrt(d));
      }
      for (int r = 0; r < 4; r++) {
        float z = (float) (0.6 * rnd.nextGaussian() / 2);
        for (int j = 0; j < d; j++) {
          v[j] += z * bases[c][r][j];
        }
      }
    }
    return out;
  }

  static List<IndexEntry> entries(float[][] vectors, String prefix) {
    List<IndexEntry> out = new ArrayList<>(vectors.length);
    MediaKind[] kinds = MediaKind.values();
    for (int i = 0; i < vectors.length; i++) {
      out.add(IndexEntry.of(prefix + i, Embedding.of(SPACE, kinds[i % kinds.length], vectors[i]),
          Map.of("bucket", Integer.toString(i % 100), "parity", i % 2 == 0 ? "even" : "odd")));
    }
    return out;
  }

  static SearchRequest query(float[] v, int k) {
    return SearchRequest.of(Embedding.of(SPACE, MediaKind.TEXT, v), k);
  }

  static float[] gaussian(Random rnd, int d) {
    float[] v = new float[d];
    for (int i = 0; i < d; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return v;
  }

  static float[] unit(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    double n = Math.sqrt(s);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / n);
    }
    return out;
  }
}
