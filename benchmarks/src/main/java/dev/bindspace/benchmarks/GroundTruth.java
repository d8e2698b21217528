package dev.bindspace.benchmarks;

import dev.bindspace.SearchHit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Exact top-k answers computed independently of bindspace (double-precision dot products over the raw
 * file), and the check every benchmarked engine must pass against them.
 *
 * <p>File format, one line per hit after {@code #} comments: {@code query rank row score}.
 */
public final class GroundTruth {
  /**
   * Two float32 engines may order rows whose true scores differ by less than their rounding error
   * differently; a differing id at some rank is accepted only if its score is within this of the
   * exact score at that rank.
   */
  public static final double TIE_TOLERANCE = 1e-5;

  private final int[][] rows; // [query][rank]
  private final double[][] scores;

  private GroundTruth(int[][] rows, double[][] scores) {
    this.rows = rows;
    this.scores = scores;
  }

  public int queries() {
    return rows.length;
  }

  public int k() {
    return rows[0].length;
  }

  public int row(int query, int rank) {
    return rows[query][rank];
  }

  public double score(int query, int rank) {
    return scores[query][rank];
  }

  /** Exact top-{@code k} of each query by inner product, computed in double precision. */
  public static GroundTruth compute(Path baseFile, float[][] queries, int k) throws IOException {
    int nq = queries.length;
    int[][] topRows = new int[nq][k];
    double[][] topScores = new double[nq][k];
    for (double[] s : topScores) {
      Arrays.fill(s, Double.NEGATIVE_INFINITY);
    }
    int[] sizes = new int[nq];
    try (VectorFile.Reader r = new VectorFile.Reader(baseFile)) {
      int d = r.header().dimension();
      long n = r.header().rows();
      int block = Math.max(1, (1 << 22) / d);
      float[] buf = new float[block * d];
      for (long first = 0; first < n; first += block) {
        int count = (int) Math.min(block, n - first);
        r.read(first, count, buf);
        long base = first;
        IntStream.range(0, nq).parallel().forEach(q -> {
          float[] qv = queries[q];
          for (int i = 0; i < count; i++) {
            double s = 0;
            int off = i * d;
            for (int j = 0; j < d; j++) {
              s += (double) qv[j] * buf[off + j];
            }
            sizes[q] = insertSorted(topRows[q], topScores[q], sizes[q], (int) (base + i), s);
          }
        });
      }
    }
    return new GroundTruth(topRows, topScores);
  }

  /** Keeps {@code rows/scores[0..size)} sorted best first (ties: lower row first); returns the new size. */
  private static int insertSorted(int[] rows, double[] scores, int size, int row, double score) {
    int k = rows.length;
    if (size == k && score <= scores[k - 1]) {
      return size; // rows arrive in ascending order, so an equal score never displaces an earlier row
    }
    int i = Math.min(size, k - 1);
    while (i > 0 && scores[i - 1] < score) {
      rows[i] = rows[i - 1];
      scores[i] = scores[i - 1];
      i--;
    }
    rows[i] = row;
    scores[i] = score;
    return Math.min(size + 1, k);
  }

  public void write(Path file) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("# exact top-").append(k()).append(" by inner product (= cosine: unit vectors), double precision\n");
    sb.append("# query rank row score\n");
    for (int q = 0; q < rows.length; q++) {
      for (int i = 0; i < rows[q].length; i++) {
        sb.append(String.format(Locale.ROOT, "%d %d %d %.9f%n", q, i, rows[q][i], scores[q][i]));
      }
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, sb, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public static GroundTruth read(Path file) throws IOException {
    List<int[]> r = new ArrayList<>();
    List<double[]> s = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\\s+");
      if (f.length != 4) {
        throw new IOException(file + ": bad line '" + line + "'");
      }
      int q = Integer.parseInt(f[0]);
      int rank = Integer.parseInt(f[1]);
      while (r.size() <= q) {
        r.add(new int[0]);
        s.add(new double[0]);
      }
      if (r.get(q).length <= rank) {
        r.set(q, Arrays.copyOf(r.get(q), rank + 1));
        s.set(q, Arrays.copyOf(s.get(q), rank + 1));
      }
      r.get(q)[rank] = Integer.parseInt(f[2]);
      s.get(q)[rank] = Double.parseDouble(f[3]);
    }
    if (r.isEmpty()) {
      throw new IOException(file + ": no entries");
    }
    return new GroundTruth(r.toArray(int[][]::new), s.toArray(double[][]::new));
  }

  /**
   * Checks an engine's hits for {@code query} (ids are row numbers) against the exact answer.
   *
   * @return how many ranks differed only by a near-tie (accepted)
   * @throws AssertionError naming the engine, the query and the first unacceptable rank
   */
  public int check(String engine, int query, List<SearchHit> hits) {
    int k = k();
    if (hits.size() != k) {
      throw new AssertionError(engine + ", query " + query + ": " + hits.size() + " hits, expected " + k);
    }
    int ties = 0;
    for (int i = 0; i < k; i++) {
      int row = Integer.parseInt(hits.get(i).id());
      double got = hits.get(i).score();
      double want = scores[query][i];
      if (Math.abs(got - want) > TIE_TOLERANCE) {
        throw new AssertionError(String.format(Locale.ROOT,
            "%s, query %d, rank %d: row %d scored %.7f, exact answer is row %d with %.7f", engine, query, i, row, got,
            rows[query][i], want));
      }
      if (row != rows[query][i]) {
        ties++;
      }
    }
    return ties;
  }

  /**
   * Checks that two engines returned the same ids for the same query, allowing a swap only between
   * hits whose scores agree within {@link #TIE_TOLERANCE}.
   */
  public static void checkSame(String what, List<SearchHit> a, List<SearchHit> b) {
    if (a.size() != b.size()) {
      throw new AssertionError(what + ": " + a.size() + " vs " + b.size() + " hits");
    }
    for (int i = 0; i < a.size(); i++) {
      SearchHit x = a.get(i);
      SearchHit y = b.get(i);
      if (!x.id().equals(y.id()) && Math.abs(x.score() - y.score()) > TIE_TOLERANCE) {
        throw new AssertionError(what + ", rank " + i + ": " + x + " vs " + y);
      }
    }
  }
}
