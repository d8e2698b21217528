package dev.bindspace.benchmarks;

import dev.bindspace.Embedding;
import dev.bindspace.FlatIndex;
import dev.bindspace.IndexEntry;
import dev.bindspace.MediaKind;
import dev.bindspace.SearchHit;
import dev.bindspace.SearchRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Exact top-10 search over a {@link FlatIndex} built from the shared data files: one query or a batch,
 * on the plain-Java (Vector API) path or the ND4J (OpenBLAS sgemm) path, with one thread or more.
 *
 * <p>What each case calls:
 * <ul>
 *   <li>{@code batch=1, JAVA}: {@code index.search(request)}, the single-query scan.
 *   <li>{@code batch=1, ND4J}: {@code index.searchAll(List.of(request))}, which under {@link
 *       FlatIndex.Strategy#ND4J} runs sgemm with one query ({@code search()} itself always scans in Java).
 *   <li>{@code batch=64}: {@code index.searchAll(requests)}; the score is per batch, not per query.
 * </ul>
 *
 * <p>Before measuring, the trial checks its own answers: the first {@value Dataset#GT_QUERIES} queries
 * must return the exact top-10 (computed in double precision by {@link GenerateData}), and the
 * single-query Java scan and the batch path of the same index ({@code searchAll}: sgemm under ND4J)
 * must return the same ids. Any difference beyond a float rounding near-tie fails the trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g",
    "-XX:+AlwaysPreTouch", "-XX:MaxDirectMemorySize=4g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class ExactSearchBenchmark {
  static final String SPACE = "bench";

  @Param({"100k_1024", "1m_384"})
  public String dataset;

  @Param({"JAVA", "ND4J"})
  public FlatIndex.Strategy strategy;

  /** {@link FlatIndex.Options#threads()}; for ND4J also its BLAS threads. */
  @Param({"1", "2"})
  public int threads;

  @Param({"1", "64"})
  public int batch;

  private FlatIndex index;
  private List<SearchRequest> requests;
  private List<SearchRequest> batchRequests;
  private int next;
  private long startMillis;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    startMillis = System.currentTimeMillis();
    Dataset ds = Dataset.of(dataset);
    if (batch < 1 || batch > Dataset.QUERIES) {
      throw new IllegalArgumentException("batch must be in 1.." + Dataset.QUERIES + ", got " + batch);
    }
    FlatIndex.Options options = FlatIndex.Options.builder().strategy(strategy).threads(threads).build();
    long t = System.nanoTime();
    index = load(ds, options);
    System.out.printf(Locale.ROOT, "%n# %s loaded in %.1f s: %s%n", ds.label(), (System.nanoTime() - t) / 1e9, index);
    requireSimd(index);
    requests = requests(ds);
    batchRequests = requests.subList(0, batch);
    verify(ds);
  }

  @Benchmark
  public Object search() {
    if (batch == 1) {
      SearchRequest r = requests.get(next);
      next = (next + 1) % requests.size();
      return strategy == FlatIndex.Strategy.JAVA ? index.search(r) : index.searchAll(List.of(r));
    }
    return index.searchAll(batchRequests);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (index != null) {
      index.close();
    }
    RunLog.window("ExactSearchBenchmark", dataset, strategy.name(), threads, batch, startMillis);
  }

  /** Checks the measured path against the exact answers, and the Java scan against the batch path. */
  private void verify(Dataset ds) throws IOException {
    GroundTruth gt = GroundTruth.read(ds.groundTruthFile());
    int nq = Math.min(gt.queries(), Dataset.GT_QUERIES);
    List<SearchRequest> checked = requests.subList(0, nq);
    List<List<SearchHit>> javaScan = new ArrayList<>();
    for (SearchRequest r : checked) {
      javaScan.add(index.search(r));
    }
    List<List<SearchHit>> batchPath = index.searchAll(checked);
    List<List<SearchHit>> single = new ArrayList<>();
    for (SearchRequest r : checked) {
      single.add(index.searchAll(List.of(r)).get(0));
    }
    String batchName = strategy == FlatIndex.Strategy.ND4J ? "ND4J sgemm" : "Java batch scan";
    int ties = 0;
    for (int q = 0; q < nq; q++) {
      ties += gt.check("Java scan", q, javaScan.get(q));
      ties += gt.check(batchName, q, batchPath.get(q));
      ties += gt.check(batchName + " (1 query)", q, single.get(q));
      GroundTruth.checkSame("query " + q + ": Java scan vs " + batchName, javaScan.get(q), batchPath.get(q));
    }
    System.out.printf(Locale.ROOT, "# verified: %d queries x top-%d, Java scan and %s equal the exact answer"
        + " (%d near-tie swaps)%n", nq, gt.k(), batchName, ties);
  }

  /** Refuses to measure the scalar fallback by accident (e.g. a fork without the Vector API module). */
  static void requireSimd(FlatIndex index) {
    if (index.kernel().startsWith("scalar") && !"scalar".equals(System.getProperty("bindspace.kernels"))) {
      throw new IllegalStateException("the index uses the '" + index.kernel() + "' kernel: run the JVM with"
          + " --add-modules jdk.incubator.vector (or -Dbindspace.kernels=scalar to measure it on purpose)");
    }
  }

  static List<SearchRequest> requests(Dataset ds) throws IOException {
    float[][] qs = VectorFile.readAll(ds.queryFile());
    if (qs.length < Dataset.QUERIES || qs[0].length != ds.dimension()) {
      throw new IOException(ds.queryFile() + ": " + qs.length + " x " + qs[0].length + ", expected "
          + Dataset.QUERIES + " x " + ds.dimension() + "; run GenerateData");
    }
    List<SearchRequest> out = new ArrayList<>(qs.length);
    for (float[] q : qs) {
      out.add(SearchRequest.of(Embedding.of(SPACE, MediaKind.TEXT, q), Dataset.TOP_K));
    }
    return List.copyOf(out);
  }

  /** Builds an in-memory index (heap float[] chunks) from the data set's rows; ids are the row numbers. */
  static FlatIndex load(Dataset ds, FlatIndex.Options options) throws IOException {
    FlatIndex index = FlatIndex.create(SPACE, ds.dimension(), options);
    try (VectorFile.Reader r = new VectorFile.Reader(ds.baseFile())) {
      if (r.header().dimension() != ds.dimension() || r.header().rows() != ds.rows()) {
        throw new IOException(ds.baseFile() + ": " + r.header() + ", expected " + ds.rows() + " x " + ds.dimension()
            + "; run GenerateData");
      }
      int d = ds.dimension();
      int block = 8192;
      float[] buf = new float[block * d];
      List<IndexEntry> entries = new ArrayList<>(block);
      for (int first = 0; first < ds.rows(); first += block) {
        int n = Math.min(block, ds.rows() - first);
        r.read(first, n, buf);
        entries.clear();
        for (int i = 0; i < n; i++) {
          float[] v = Arrays.copyOfRange(buf, i * d, (i + 1) * d);
          entries.add(IndexEntry.of(Integer.toString(first + i), Embedding.of(SPACE, MediaKind.IMAGE, v)));
        }
        index.addAll(entries);
      }
    } catch (IOException | RuntimeException e) {
      index.close();
      throw e;
    }
    return index;
  }

  /** Runs one trial's setup and checks outside JMH: {@code ExactSearchBenchmark dataset strategy threads}. */
  public static void main(String[] args) throws IOException {
    ExactSearchBenchmark b = new ExactSearchBenchmark();
    b.dataset = args.length > 0 ? args[0] : "100k_1024";
    b.strategy = FlatIndex.Strategy.valueOf(args.length > 1 ? args[1] : "ND4J");
    b.threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    b.batch = Dataset.QUERIES;
    try {
      b.setup();
      for (int i = 0; i < 5; i++) {
        long t = System.nanoTime();
        b.search();
        System.out.printf(Locale.ROOT, "batch of %d: %.1f ms%n", b.batch, (System.nanoTime() - t) / 1e6);
      }
    } finally {
      b.tearDown();
    }
  }
}
