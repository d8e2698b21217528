/** Runs audio.onnx in ONNX Runtime (Java, 1 thread) on raw little-endian float32 clips and times one clip; used by ort_parity.py. */
import ai.onnxruntime.*;
import java.nio.*;
import java.nio.file.*;
import java.util.*;
public class OrtCheck {
  public static void main(String[] a) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    so.setIntraOpNumThreads(1); so.setInterOpNumThreads(1);
    try (OrtSession s = env.createSession(a[0], so)) {
      byte[] b = Files.readAllBytes(Path.of(a[1]));
      FloatBuffer fb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      int n = Integer.parseInt(a[2]); int M = Integer.parseInt(a[3]);
      float[] in = new float[fb.remaining()]; fb.get(in);
      float[][] out;
      try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(in), new long[]{n,1,M,204});
           OrtSession.Result r = s.run(Map.of("audio", t))) { out = (float[][]) r.get(0).getValue(); }
      ByteBuffer ob = ByteBuffer.allocate(n*384*4).order(ByteOrder.LITTLE_ENDIAN);
      for (float[] row : out) for (float v : row) ob.putFloat(v);
      Files.write(Path.of(a[4]), ob.array());
      float[] one = Arrays.copyOf(in, M*204);
      long[] ts = new long[200];
      try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(one), new long[]{1,1,M,204})) {
        for (int i = 0; i < 20; i++) s.run(Map.of("audio", t)).close();
        for (int i = 0; i < ts.length; i++) { long t0 = System.nanoTime(); s.run(Map.of("audio", t)).close(); ts[i] = System.nanoTime() - t0; }
      }
      Arrays.sort(ts);
      System.out.printf("ORT 1 thread, one clip: min %.2f ms, median %.2f ms%n", ts[0]/1e6, ts[ts.length/2]/1e6);
    }
  }
}
