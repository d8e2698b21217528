package dev.bindspace.benchmarks;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The memory-bandwidth reference: the fastest pure-read loop over as many bytes as the data set's index
 * holds, summing every float with several independent SIMD accumulators. An exact scan reads the same
 * bytes once per query and does a multiply more per element, so this bounds it from above: bytes per
 * second = index bytes / this time.
 *
 * <p>Two layouts: a heap {@code float[]} and a direct little-endian {@link ByteBuffer} (what {@code
 * FlatIndex} stores its rows in). Both are filled (touched) in setup, so no page faults are measured.
 * With more than one thread the range is split into equal contiguous parts, one per thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g",
    "-XX:+AlwaysPreTouch", "-XX:MaxDirectMemorySize=4g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class MemoryBandwidthBenchmark {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  /** Floats per kernel call: the kernel is a small method called often, so C2 compiles it whole. */
  private static final int BLOCK = 1 << 16;

  @Param({"100k_1024", "1m_384"})
  public String dataset;

  @Param({"1", "2"})
  public int threads;

  private float[] array;
  private ByteBuffer buffer;
  private int floats;
  private ExecutorService pool;
  private long startMillis;
  private String method;

  @Setup(Level.Trial)
  public void setup(BenchmarkParams params) {
    startMillis = System.currentTimeMillis();
    String name = params.getBenchmark();
    method = name.substring(name.lastIndexOf('.') + 1);
    Dataset ds = Dataset.of(dataset);
    long n = (long) ds.rows() * ds.dimension();
    if (n * 4 > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(ds.label() + " needs " + n * 4 + " bytes, more than one buffer holds");
    }
    floats = (int) n;
    array = new float[floats];
    buffer = ByteBuffer.allocateDirect(floats * 4).order(LE);
    for (int i = 0; i < floats; i++) {
      float v = (i & 1023) * 0x1p-10f; // touch every page with non-zero data
      array[i] = v;
      buffer.putFloat(4 * i, v);
    }
    if (threads > 1) {
      pool = Executors.newFixedThreadPool(threads - 1, r -> {
        Thread t = new Thread(r, "bandwidth");
        t.setDaemon(true);
        return t;
      });
    }
    // the two layouts hold the same values: the sums must agree
    float a = floatArray();
    float b = directBuffer();
    if (Math.abs(a - b) > 1e-3 * Math.abs(a)) {
      throw new AssertionError(String.format(Locale.ROOT, "float[] sum %f != ByteBuffer sum %f", a, b));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (pool != null) {
      pool.shutdownNow();
    }
    RunLog.window("MemoryBandwidthBenchmark", dataset, method, threads, 1, startMillis);
  }

  /** Sums the heap array. */
  @Benchmark
  public float floatArray() {
    return parallel((from, to) -> {
      float s = 0;
      for (int i = from; i < to; i += BLOCK) {
        s += sum(array, i, Math.min(to, i + BLOCK));
      }
      return s;
    });
  }

  /** Sums the direct buffer, reading little-endian floats. */
  @Benchmark
  public float directBuffer() {
    return parallel((from, to) -> {
      float s = 0;
      for (int i = from; i < to; i += BLOCK) {
        s += sum(buffer, i, Math.min(to, i + BLOCK));
      }
      return s;
    });
  }

  /** Sum of {@code a[from..to)}. */
  static float sum(float[] a, int from, int to) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    FloatVector s4 = s0;
    FloatVector s5 = s0;
    FloatVector s6 = s0;
    FloatVector s7 = s0;
    int i = from;
    int bound = to - (to - from) % (8 * L);
    // eight independent add chains (8 were faster than 2 and 4 here): the loop waits on memory only
    for (; i < bound; i += 8 * L) {
      s0 = s0.add(FloatVector.fromArray(S, a, i));
      s1 = s1.add(FloatVector.fromArray(S, a, i + L));
      s2 = s2.add(FloatVector.fromArray(S, a, i + 2 * L));
      s3 = s3.add(FloatVector.fromArray(S, a, i + 3 * L));
      s4 = s4.add(FloatVector.fromArray(S, a, i + 4 * L));
      s5 = s5.add(FloatVector.fromArray(S, a, i + 5 * L));
      s6 = s6.add(FloatVector.fromArray(S, a, i + 6 * L));
      s7 = s7.add(FloatVector.fromArray(S, a, i + 7 * L));
    }
    float s = s0.add(s1).add(s2.add(s3)).add(s4.add(s5).add(s6.add(s7))).reduceLanes(VectorOperators.ADD);
    for (; i < to; i++) {
      s += a[i];
    }
    return s;
  }

  /** Sum of floats {@code [from..to)} of {@code b} (float indices, not bytes). */
  static float sum(ByteBuffer b, int from, int to) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    FloatVector s4 = s0;
    FloatVector s5 = s0;
    FloatVector s6 = s0;
    FloatVector s7 = s0;
    int i = from;
    int bound = to - (to - from) % (8 * L);
    int vb = 4 * L; // bytes per vector
    for (; i < bound; i += 8 * L) {
      int o = 4 * i;
      s0 = s0.add(FloatVector.fromByteBuffer(S, b, o, LE));
      s1 = s1.add(FloatVector.fromByteBuffer(S, b, o + vb, LE));
      s2 = s2.add(FloatVector.fromByteBuffer(S, b, o + 2 * vb, LE));
      s3 = s3.add(FloatVector.fromByteBuffer(S, b, o + 3 * vb, LE));
      s4 = s4.add(FloatVector.fromByteBuffer(S, b, o + 4 * vb, LE));
      s5 = s5.add(FloatVector.fromByteBuffer(S, b, o + 5 * vb, LE));
      s6 = s6.add(FloatVector.fromByteBuffer(S, b, o + 6 * vb, LE));
      s7 = s7.add(FloatVector.fromByteBuffer(S, b, o + 7 * vb, LE));
    }
    float s = s0.add(s1).add(s2.add(s3)).add(s4.add(s5).add(s6.add(s7))).reduceLanes(VectorOperators.ADD);
    for (; i < to; i++) {
      s += b.getFloat(4 * i);
    }
    return s;
  }

  private interface Range {
    float sum(int from, int to);
  }

  private float parallel(Range r) {
    if (threads <= 1) {
      return r.sum(0, floats);
    }
    List<Future<Float>> parts = new ArrayList<>(threads - 1);
    for (int t = 1; t < threads; t++) {
      int from = bound(t);
      int to = bound(t + 1);
      parts.add(pool.submit(() -> r.sum(from, to)));
    }
    float s = r.sum(0, bound(1));
    try {
      for (Future<Float> f : parts) {
        s += f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    return s;
  }

  /** Start of part {@code t}, a multiple of the block size. */
  private int bound(int t) {
    return t >= threads ? floats : (int) ((long) floats * t / threads / BLOCK * BLOCK);
  }
}
