package dev.bindspace.benchmarks;

import dev.bindspace.internal.VectorKernels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Diagnostic: the single-query scan kernel alone (no top-k, no threads), one pass over as many rows as
 * the data set holds, on two layouts:
 * <ul>
 *   <li>{@code coreDirectBuffer}: bindspace's own {@code VectorKernels.dot4} over a direct little-endian
 *       {@link ByteBuffer}, exactly what {@code FlatIndex} runs;
 *   <li>{@code sameLoopFloatArray}: the same loop (one query load feeding four row streams, four FMA
 *       chains, four {@code reduceLanes}) over a heap {@code float[]}.
 * </ul>
 * The difference is what the ByteBuffer vector loads cost on this JDK; compare both with {@link
 * MemoryBandwidthBenchmark}. Setup checks that the two layouts give the same dot products.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g",
    "-XX:+AlwaysPreTouch", "-XX:MaxDirectMemorySize=4g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class ScanKernelBenchmark {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  @Param({"100k_1024", "1m_384"})
  public String dataset;

  private final VectorKernels kernels = VectorKernels.get();
  private int rows;
  private int dim;
  private float[] query;
  private float[] array;
  private ByteBuffer buffer;
  private final float[] out = new float[4];

  @Setup(Level.Trial)
  public void setup() {
    Dataset ds = Dataset.of(dataset);
    if (!kernels.name().startsWith("panama")) {
      throw new IllegalStateException("kernel is " + kernels.name() + ": run with --add-modules jdk.incubator.vector");
    }
    rows = ds.rows() & ~3;
    dim = ds.dimension();
    if (dim % L != 0) {
      throw new IllegalArgumentException("dimension " + dim + " is not a multiple of " + L + " lanes");
    }
    query = new float[dim];
    Dataset.unitGaussian(~ds.seed(), 0, query);
    int n = rows * dim;
    array = new float[n];
    buffer = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      float v = ((i * 2654435761L) & 1023) * 0x1p-10f - 0.5f;
      array[i] = v;
      buffer.putFloat(4 * i, v);
    }
    float a = sameLoopFloatArray();
    float b = coreDirectBuffer();
    if (Math.abs(a - b) > 1e-3f * Math.max(1f, Math.abs(a))) {
      throw new AssertionError(String.format(Locale.ROOT, "float[] scan %f != ByteBuffer scan %f", a, b));
    }
  }

  @Benchmark
  public float coreDirectBuffer() {
    int rowBytes = 4 * dim;
    float s = 0;
    for (int r = 0; r < rows; r += 4) {
      kernels.dot4(query, buffer, r * rowBytes, rowBytes, dim, out, 0);
      s += out[0] + out[1] + out[2] + out[3];
    }
    return s;
  }

  @Benchmark
  public float sameLoopFloatArray() {
    float s = 0;
    for (int r = 0; r < rows; r += 4) {
      dot4(query, array, r * dim, dim, out);
      s += out[0] + out[1] + out[2] + out[3];
    }
    return s;
  }

  /** PanamaVectorKernels.dot4, with float[] rows instead of ByteBuffer rows (dim a multiple of L). */
  private static void dot4(float[] q, float[] rows, int off, int dim, float[] out) {
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    for (int i = 0; i < dim; i += L) {
      FloatVector qv = FloatVector.fromArray(S, q, i);
      int b = off + i;
      a0 = qv.fma(FloatVector.fromArray(S, rows, b), a0);
      a1 = qv.fma(FloatVector.fromArray(S, rows, b + dim), a1);
      a2 = qv.fma(FloatVector.fromArray(S, rows, b + 2 * dim), a2);
      a3 = qv.fma(FloatVector.fromArray(S, rows, b + 3 * dim), a3);
    }
    out[0] = a0.reduceLanes(VectorOperators.ADD);
    out[1] = a1.reduceLanes(VectorOperators.ADD);
    out[2] = a2.reduceLanes(VectorOperators.ADD);
    out[3] = a3.reduceLanes(VectorOperators.ADD);
  }
}
