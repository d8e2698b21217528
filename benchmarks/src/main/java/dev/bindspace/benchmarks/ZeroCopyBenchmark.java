package dev.bindspace.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.bindspace.mini.BindspaceMini;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
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
 * Tensor hand-over to ONNX Runtime on bindspace-mini's image graph ({@code [B, 3, 64, 64]} →
 * {@code [B, 384]}), the two ways bindspace has used:
 *
 * <ul>
 *   <li>{@code heap} (before issue 10): {@code createTensor(FloatBuffer.wrap(float[]))}, which makes ORT
 *       allocate a fresh direct buffer and copy into it on every call, and {@code getFloatBuffer()} on
 *       the output, which allocates and copies again;
 *   <li>{@code direct} (now, {@code OnnxGraph}): the input written into a reused direct native-order
 *       buffer that ORT reads in place, the output pinned to a reused direct buffer.
 * </ul>
 *
 * Both copy the result into a fresh {@code float[]} (what the API returns). Run with {@code -prof gc}
 * for bytes allocated per call: {@code java -jar benchmarks/target/benchmarks.jar ZeroCopyBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1)
public class ZeroCopyBenchmark {
  @Param({"heap", "direct"})
  public String feed;

  @Param({"1", "8"})
  public int batch;

  private OrtEnvironment env;
  private OrtSession session;
  private float[] data;
  private long[] shape;
  private ByteBuffer inBytes;
  private ByteBuffer outBytes;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    env = OrtEnvironment.getEnvironment();
    byte[] model;
    try (InputStream in = BindspaceMini.class.getClassLoader()
        .getResourceAsStream(BindspaceMini.RESOURCE_PREFIX + "image.onnx")) {
      model = in.readAllBytes();
    }
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(1);
      session = env.createSession(model, so);
    }
    data = new float[batch * 3 * 64 * 64];
    Random r = new Random(1);
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) r.nextGaussian();
    }
    shape = new long[] {batch, 3, 64, 64};
    inBytes = ByteBuffer.allocateDirect(data.length * 4).order(ByteOrder.nativeOrder());
    outBytes = ByteBuffer.allocateDirect(batch * 384 * 4).order(ByteOrder.nativeOrder());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    session.close();
  }

  @Benchmark
  public float[] run() throws Exception {
    if (feed.equals("heap")) {
      try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
           OrtSession.Result res = session.run(Map.of("image", in))) {
        FloatBuffer fb = ((OnnxTensor) res.get(0)).getFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
      }
    }
    FloatBuffer in = inBytes.clear().asFloatBuffer();
    in.put(data).flip();
    FloatBuffer out = outBytes.clear().asFloatBuffer();
    try (OnnxTensor it = OnnxTensor.createTensor(env, in, shape);
         OnnxTensor ot = OnnxTensor.createTensor(env, out, new long[] {batch, 384});
         OrtSession.Result res = session.run(Map.of("image", it), Map.of("embedding", ot))) {
      float[] r = new float[out.remaining()];
      out.get(r);
      return r;
    }
  }
}
