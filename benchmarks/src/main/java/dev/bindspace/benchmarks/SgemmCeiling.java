package dev.bindspace.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The machine's single-precision matrix-multiply ceiling through ND4J (its bundled BLAS), the Java
 * counterpart of benchmarks/perf/sgemm_ceiling.py (numpy + OpenBLAS), so encoder GFLOP/s can be
 * quoted as a share of what the CPU does on the same products. Shapes are ImageBind-Huge's
 * transformer products (vision: 257 tokens, width 1280, MLP 5120; batch 8 = 2056 rows) and the
 * classic 4096^3:
 *
 * <pre>
 *   257 x 1280 @ 1280 x 5120     MLP up-projection, one image
 *   257 x 5120 @ 5120 x 1280     MLP down-projection, one image
 *   2056 x 1280 @ 1280 x 5120    MLP up-projection, 8 images
 *   4096 x 4096 @ 4096 x 4096
 * </pre>
 *
 * Each product goes through {@code Nd4j.gemm} into a preallocated result (no allocation in the
 * timed call), for each thread count via {@code Nd4j.factory().blas().setMaxThreads}; run the JVM
 * with {@code OMP_NUM_THREADS} at least the largest count. Per shape and thread count: untimed calls
 * for at least {@code --warmup-s} seconds (at least one), then {@code --reps} timed calls; GFLOP/s =
 * 2MNK / median time. Output: JSON ({@code --out}) and a table.
 *
 * <pre>
 * OMP_NUM_THREADS=2 java -cp benchmarks/target/benchmarks.jar dev.bindspace.benchmarks.SgemmCeiling \
 *     --threads 1,2 --reps 5 --out benchmarks/target/perf/sgemm-nd4j.json
 * </pre>
 */
public final class SgemmCeiling {
  static final List<int[]> SHAPES = List.of(new int[] {257, 1280, 5120}, new int[] {257, 5120, 1280},
      new int[] {2056, 1280, 5120}, new int[] {4096, 4096, 4096});

  private SgemmCeiling() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = EncoderLatencyBenchmark.parseArgs(args);
    int[] threads = Arrays.stream(a.getOrDefault("threads", "1,2").split(",")).mapToInt(Integer::parseInt).toArray();
    int reps = Integer.parseInt(a.getOrDefault("reps", "5"));
    double warmupSeconds = Double.parseDouble(a.getOrDefault("warmup-s", "1"));
    List<int[]> shapes = a.containsKey("shapes") ? Arrays.stream(a.get("shapes").split(","))
        .map(s -> Arrays.stream(s.split("x")).mapToInt(Integer::parseInt).toArray()).toList() : SHAPES;
    for (int[] s : shapes) {
      if (s.length != 3) {
        throw new IllegalArgumentException("expected shapes as MxKxN, got " + Arrays.toString(s));
      }
    }
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode out = json.createObjectNode();
    out.put("tool", "SgemmCeiling");
    out.put("library", "nd4j");
    out.put("started", Instant.now().toString());
    out.put("blas_vendor", String.valueOf(Nd4j.factory().blas().getBlasVendor()));
    out.put("omp_num_threads_env", String.valueOf(System.getenv("OMP_NUM_THREADS")));
    out.put("loadavg_start", EncoderLatencyBenchmark.loadAvg());
    ArrayNode results = out.putArray("results");
    Random rnd = new Random(10);
    System.out.printf(Locale.ROOT, "%-22s %7s %10s %10s%n", "M x K @ K x N", "threads", "median ms", "GFLOP/s");
    for (int[] s : shapes) {
      int m = s[0];
      int k = s[1];
      int n = s[2];
      INDArray x = Nd4j.create(random(rnd, (long) m * k), new long[] {m, k}, DataType.FLOAT);
      INDArray w = Nd4j.create(random(rnd, (long) k * n), new long[] {k, n}, DataType.FLOAT);
      INDArray y = Nd4j.create(DataType.FLOAT, m, n);
      double flops = 2.0 * m * n * k;
      for (int t : threads) {
        Nd4j.factory().blas().setMaxThreads(t);
        long start = System.currentTimeMillis();
        long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        do {
          Nd4j.gemm(x, w, y, false, false, 1.0, 0.0);
        } while (System.nanoTime() < warmEnd);
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
          long t0 = System.nanoTime();
          Nd4j.gemm(x, w, y, false, false, 1.0, 0.0);
          ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        RunLog.window("SgemmCeiling", m + "x" + k + "x" + n, "nd4j", t, 1, start);
        double median = EncoderLatencyBenchmark.percentile(ms, 0.5);
        checkOneEntry(x, w, y, rnd);
        ObjectNode r = results.addObject();
        r.put("m", m);
        r.put("k", k);
        r.put("n", n);
        r.put("threads", t);
        r.put("threads_in_effect", Nd4j.factory().blas().getMaxThreads());
        ArrayNode raw = r.putArray("ms");
        Arrays.stream(ms).forEach(raw::add);
        r.put("median_ms", median);
        r.put("gflops_per_s", flops / (median / 1000) / 1e9);
        System.out.printf(Locale.ROOT, "%-22s %7d %10.1f %10.1f%n", m + "x" + k + " @ " + k + "x" + n, t, median,
            flops / (median / 1000) / 1e9);
      }
      x.close();
      w.close();
      y.close();
    }
    out.put("loadavg_end", EncoderLatencyBenchmark.loadAvg());
    String text = json.writeValueAsString(out);
    if (a.containsKey("out")) {
      Path p = Path.of(a.get("out"));
      if (p.toAbsolutePath().getParent() != null) {
        Files.createDirectories(p.toAbsolutePath().getParent());
      }
      Files.writeString(p, text + "\n", StandardCharsets.UTF_8);
      System.out.println("wrote " + p);
    } else {
      System.out.println(text);
    }
  }

  private static float[] random(Random rnd, long size) {
    float[] v = new float[Math.toIntExact(size)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return v;
  }

  /** The benchmark checks its own result: one random entry of y against a double-precision dot product. */
  private static void checkOneEntry(INDArray x, INDArray w, INDArray y, Random rnd) {
    int i = rnd.nextInt((int) x.rows());
    int j = rnd.nextInt((int) w.columns());
    double expected = 0;
    for (int p = 0; p < x.columns(); p++) {
      expected += (double) x.getFloat(i, p) * w.getFloat(p, j);
    }
    double got = y.getFloat(i, j);
    if (Math.abs(got - expected) > 1e-3 * Math.sqrt(x.columns()) * 10) {
      throw new IllegalStateException("sgemm result wrong at (" + i + ", " + j + "): expected " + expected + ", got "
          + got);
    }
  }
}
