package dev.bindspace.lucene.bench;

import dev.bindspace.Embedding;
import dev.bindspace.IndexEntry;
import dev.bindspace.MediaKind;
import dev.bindspace.SearchHit;
import dev.bindspace.SearchRequest;
import dev.bindspace.lucene.LuceneVectorIndex;
import dev.bindspace.lucene.LuceneVectorIndex.Options;
import dev.bindspace.lucene.LuceneVectorIndex.Quantization;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The bindspace side of the ANN benchmark ({@code index-lucene/scripts/bench-ann.sh}): builds a
 * {@link LuceneVectorIndex} on disk from the files of {@code ann_data.py}, measures build time and
 * bytes per vector, then recall@10 and single-threaded queries per second through the public
 * {@code search(SearchRequest, candidates)} for a range of beams. Prints one JSON object per point,
 * in the same shape as {@code ann_peers.py}.
 *
 * <pre>
 * AnnBench --data DIR --dataset NAME --d D [--quantization NONE|INT7|INT4] [--m 16] [--beam-width 100]
 *          [--ef 10,16,...] [--threads 2] [--work DIR] [--repeat 2] [--oversample X]
 *          [--residency MAPPED|HEAP] [--keep false] [--reuse false]
 * </pre>
 *
 * <p>{@code --keep true} leaves the index on disk; {@code --reuse true} opens a kept index instead
 * of building one (its points then carry {@code "reused": true} and no build time of their own).
 * With {@code --residency HEAP} the system is reported as {@code bindspace-lucene-none-heap}, plus
 * {@code -thp} when the JVM runs with {@code -XX:+UseTransparentHugePages}.
 */
public final class AnnBench {
  private AnnBench() {
  }

  public static void main(String[] argv) throws IOException {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      if (!argv[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value pairs, got " + argv[i]);
      }
      a.put(argv[i].substring(2), argv[i + 1]);
    }
    Path data = Path.of(req(a, "data"));
    String dataset = req(a, "dataset");
    int d = Integer.parseInt(req(a, "d"));
    Quantization q = Quantization.valueOf(a.getOrDefault("quantization", "NONE"));
    int m = Integer.parseInt(a.getOrDefault("m", "16"));
    int beamWidth = Integer.parseInt(a.getOrDefault("beam-width", "100"));
    int threads = Integer.parseInt(a.getOrDefault("threads", Integer.toString(Runtime.getRuntime().availableProcessors())));
    int repeat = Integer.parseInt(a.getOrDefault("repeat", "2"));
    int warmupPasses = Integer.parseInt(a.getOrDefault("warmup", "3"));
    Path work = Path.of(a.getOrDefault("work", "/tmp/bindspace-ann"));
    int[] efs = Stream.of(a.getOrDefault("ef", "10,16,24,32,48,64,96,128,192,256").split(","))
        .mapToInt(Integer::parseInt).toArray();

    FloatBuffer base = map(data.resolve("base.f32")).asFloatBuffer();
    int n = base.capacity() / d;
    FloatBuffer qbuf = map(data.resolve("queries.f32")).asFloatBuffer();
    int nq = qbuf.capacity() / d;
    IntBuffer truthBuf = map(data.resolve("truth.i32")).asIntBuffer();
    int tk = truthBuf.capacity() / nq;

    Path dir = work.resolve(dataset + "-" + q.name().toLowerCase(Locale.ROOT));
    boolean reuse = Boolean.parseBoolean(a.getOrDefault("reuse", "false")) && Files.isDirectory(dir);
    if (!reuse) {
      deleteRecursively(dir);
    }
    Options.Builder ob = Options.builder().ramBufferMb(1024).indexThreads(threads).mergeThreads(threads)
        .exactSearchThreshold(0)
        .residency(LuceneVectorIndex.Residency.valueOf(a.getOrDefault("residency", "MAPPED")));
    if (a.containsKey("oversample")) {
      ob.oversample(Double.parseDouble(a.get("oversample")));
    }
    String space = "ann-bench";
    long t0 = System.nanoTime();
    double buildS;
    double mergeS;
    try (LuceneVectorIndex index = reuse ? LuceneVectorIndex.open(dir, ob.build())
        : LuceneVectorIndex.builder(space, d).directory(dir).maxConn(m).beamWidth(beamWidth)
        .quantization(q).options(ob.build()).build()) {
      int batch = reuse ? n : 50_000;
      n = reuse ? index.size() : n;
      float[] row = new float[d];
      for (int start = reuse ? n : 0; start < n; start += batch) {
        int end = Math.min(n, start + batch);
        List<IndexEntry> entries = new ArrayList<>(end - start);
        for (int i = start; i < end; i++) {
          base.get(i * d, row);
          entries.add(IndexEntry.of(Integer.toString(i), Embedding.of(space, MediaKind.IMAGE, row)));
        }
        index.addAll(entries);
      }
      index.commit();
      long t1 = System.nanoTime();
      index.forceMerge(1);
      index.commit();
      long t2 = System.nanoTime();
      buildS = (t2 - t0) / 1e9;
      mergeS = (t2 - t1) / 1e9;
      System.err.printf(Locale.ROOT, "built %s %s: %d vectors in %.1f s (final merge %.1f s), %d segment(s)%n", dataset,
          q, n, buildS, mergeS, index.segmentCount());

      Map<String, Long> bytes = fileBytes(dir);
      long total = bytes.values().stream().mapToLong(Long::longValue).sum();
      long graph = bytes.getOrDefault("vex", 0L);
      long raw = bytes.getOrDefault("vec", 0L);
      long quantized = bytes.getOrDefault("veq", 0L);
      // what a search reads for every visited node: the graph plus the vectors it compares
      // (quantised ones when quantised; float ones are then read only for the re-scored few)
      long hot = graph + (q == Quantization.NONE ? raw : quantized);
      System.err.println("file bytes by extension: " + bytes);

      float[][] queries = new float[nq][d];
      int[][] truth = new int[nq][10];
      for (int i = 0; i < nq; i++) {
        qbuf.get(i * d, queries[i]);
        for (int j = 0; j < 10; j++) {
          truth[i][j] = truthBuf.get(i * tk + j);
        }
      }
      java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
      // requests are made before timing and recall is counted after it, as the Python peers get a
      // ready query matrix and their recall is computed outside the timed call
      SearchRequest[] requests = new SearchRequest[nq];
      for (int i = 0; i < nq; i++) {
        requests[i] = SearchRequest.of(Embedding.of(space, MediaKind.TEXT, queries[i]), 10);
      }
      @SuppressWarnings("unchecked")
      List<SearchHit>[] results = new List[nq];
      // warm-up: the JIT compiles the search path and the Vector API kernels before anything is timed
      int warm = 0;
      for (int pass = 0; pass < warmupPasses; pass++) {
        for (int i = 0; i < nq; i++) {
          warm += index.search(requests[i], efs[efs.length / 2]).size();
        }
      }
      System.err.println("warm-up: " + warmupPasses + " passes, " + warm + " hits");
      for (int ef : efs) {
        double best = Double.MAX_VALUE;
        double bestCpu = Double.MAX_VALUE;
        for (int r = 0; r < repeat; r++) {
          long c = mx.getCurrentThreadCpuTime();
          long s = System.nanoTime();
          for (int i = 0; i < nq; i++) {
            results[i] = index.search(requests[i], ef);
          }
          best = Math.min(best, (System.nanoTime() - s) / 1e9);
          bestCpu = Math.min(bestCpu, (mx.getCurrentThreadCpuTime() - c) / 1e9);
        }
        int found = 0;
        for (int i = 0; i < nq; i++) {
          Set<Integer> t = new HashSet<>();
          for (int x : truth[i]) {
            t.add(x);
          }
          for (SearchHit h : results[i]) {
            if (t.contains(Integer.parseInt(h.id()))) {
              found++;
            }
          }
        }
        String system = systemName(q, index.options().residency());
        System.out.printf(Locale.ROOT, "{\"system\": \"%s\", \"dataset\": \"%s\", \"param\": \"candidates=%d\", \"ef\": %d, "
            + "\"recall10\": %.4f, \"qps\": %.1f, \"cpu_qps\": %.1f, \"build_s\": %.1f, \"merge_s\": %.1f, \"bytes_per_vector\": %.1f, "
            + "\"hot_bytes_per_vector\": %.1f, \"graph_bytes_per_vector\": %.1f, \"oversample\": %.1f, "
            + "\"residency\": \"%s\", \"resident_bytes_per_vector\": %.1f, \"reused\": %b}%n", system, dataset,
            ef, ef, found / (10.0 * nq), nq / best, nq / bestCpu, buildS, mergeS, total / (double) n, hot / (double) n,
            graph / (double) n, index.options().oversample(q), index.options().residency(),
            index.residentBytes() / (double) n, reuse);
        System.out.flush();
      }
    }
    if (!Boolean.parseBoolean(a.getOrDefault("keep", "false"))) {
      deleteRecursively(dir);
    }
  }

  /** The system's name in the results: quantisation, residency, and whether the heap has huge pages. */
  static String systemName(Quantization q, LuceneVectorIndex.Residency residency) {
    String name = "bindspace-lucene-" + q.name().toLowerCase(Locale.ROOT);
    if (residency == LuceneVectorIndex.Residency.HEAP) {
      name += "-heap";
      boolean thp = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .anyMatch(arg -> arg.equals("-XX:+UseTransparentHugePages"));
      if (thp) {
        name += "-thp";
      }
    }
    return name;
  }

  private static String req(Map<String, String> a, String key) {
    String v = a.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + key);
    }
    return v;
  }

  private static MappedByteBuffer map(Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
      b.order(ByteOrder.LITTLE_ENDIAN);
      return b;
    }
  }

  /** Bytes of the index files by extension (Lucene's compound files are off for large segments). */
  static Map<String, Long> fileBytes(Path dir) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? name.replaceAll("_\\d+$", "") : name.substring(dot + 1);
        out.merge(ext, Files.size(f), Long::sum);
      }
    }
    return out;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted((x, y) -> y.getNameCount() - x.getNameCount()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    }
  }
}
