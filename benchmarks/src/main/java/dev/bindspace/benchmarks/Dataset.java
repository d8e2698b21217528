package dev.bindspace.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The benchmark data sets: unit-length Gaussian random float32 vectors (so cosine = inner product, and
 * FAISS {@code IndexFlatIP} ranks exactly like bindspace's cosine), generated from fixed seeds by
 * {@link GenerateData} into {@link #dataDir()}.
 *
 * <p>Files per data set {@code <name>}: {@code base-<name>.f32} (the index rows), {@code
 * queries-<name>.f32} ({@value #QUERIES} queries, independent of the rows) and {@code gt-<name>.txt}
 * (exact top-{@value #TOP_K} of the first {@value #GT_QUERIES} queries, computed in double precision).
 */
public enum Dataset {
  /** 100,000 x 1024: 410 MB of vectors (ImageBind-huge's dimension). */
  D100K_1024("100k_1024", 100_000, 1024, 1001),
  /** 1,000,000 x 384: 1.54 GB of vectors (MiniLM's dimension). */
  D1M_384("1m_384", 1_000_000, 384, 1002);

  /** Queries per data set: the batch size of the batched benchmarks. */
  public static final int QUERIES = 64;
  /** Queries with a stored exact answer. */
  public static final int GT_QUERIES = 8;
  /** Hits per search. */
  public static final int TOP_K = 10;
  /** Environment variable naming the data directory. */
  public static final String DATA_ENV = "BINDSPACE_BENCH_DATA";

  private final String label;
  private final int rows;
  private final int dimension;
  private final long seed;

  Dataset(String label, int rows, int dimension, long seed) {
    this.label = label;
    this.rows = rows;
    this.dimension = dimension;
    this.seed = seed;
  }

  /** The name used in {@code @Param}, file names and reports, e.g. {@code 1m_384}. */
  public String label() {
    return label;
  }

  public int rows() {
    return rows;
  }

  public int dimension() {
    return dimension;
  }

  /** Seed of the rows; the queries use {@code ~seed}. */
  public long seed() {
    return seed;
  }

  /** Bytes of float32 vector data: what one full scan must read. */
  public long vectorBytes() {
    return 4L * rows * dimension;
  }

  public Path baseFile() {
    return dataDir().resolve("base-" + label + ".f32");
  }

  public Path queryFile() {
    return dataDir().resolve("queries-" + label + ".f32");
  }

  public Path groundTruthFile() {
    return dataDir().resolve("gt-" + label + ".txt");
  }

  /** The data set with this label. */
  public static Dataset of(String label) {
    for (Dataset d : values()) {
      if (d.label.equals(label)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown data set '" + label + "', expected one of " + Arrays.toString(labels()));
  }

  static String[] labels() {
    return Arrays.stream(values()).map(Dataset::label).toArray(String[]::new);
  }

  /**
   * {@code -Dbindspace.bench.data}, else {@code $BINDSPACE_BENCH_DATA}, else {@code benchmarks/target/data}
   * when run from the repository root, else {@code target/data}.
   */
  public static Path dataDir() {
    String p = System.getProperty("bindspace.bench.data");
    if (p == null || p.isBlank()) {
      p = System.getenv(DATA_ENV);
    }
    if (p != null && !p.isBlank()) {
      return Path.of(p);
    }
    Path fromRoot = Path.of("benchmarks", "target", "data");
    return Files.isDirectory(fromRoot.getParent()) ? fromRoot : Path.of("target", "data");
  }

  /** Fills {@code dest} with row {@code row} of the stream seeded {@code seed}: Gaussian, then unit length. */
  static void unitGaussian(long seed, long row, float[] dest) {
    // one generator per row: rows are independent of the order and the threads that compute them
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + row);
    double norm = 0;
    double[] g = new double[dest.length];
    for (int i = 0; i < g.length; i++) {
      g[i] = r.nextGaussian();
      norm += g[i] * g[i];
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < g.length; i++) {
      dest[i] = (float) (g[i] / norm);
    }
  }
}
