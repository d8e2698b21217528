package dev.bindspace.onnx.tools;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Times single-input float ONNX graphs in ONNX Runtime one after the other on the same random input (e.g. the
 * precision variants written by tools/perf/precision_graphs.py): a session per file (all optimisations, the given
 * intra-op threads), 2 warm-up runs, then {@code --iters} timed runs; prints min and median wall time per file,
 * and the largest output difference to the first file relative to its largest output, as a human summary on
 * stderr and JSON on stdout. A graph ONNX Runtime cannot run (no kernel for a type) is reported, not fatal.
 * Files may be repeated (A B A B) to see the drift of a shared machine; the minimum is the figure least
 * disturbed by other load.
 *
 * <p>Run: {@code java -cp <onnx test classpath> dev.bindspace.onnx.tools.GraphTiming [--threads 1] [--iters 20]
 * [--batch 1] FILE.onnx...}
 */
public final class GraphTiming {
  private GraphTiming() {}

  public static void main(String[] args) throws OrtException {
    int threads = 1;
    int iters = 20;
    long batch = 1;
    List<String> files = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--iters" -> iters = Integer.parseInt(args[++i]);
        case "--batch" -> batch = Long.parseLong(args[++i]);
        default -> files.add(args[i]);
      }
    }
    if (files.isEmpty() || iters < 1) {
      System.err.println("usage: GraphTiming [--threads T] [--iters N] [--batch B] FILE.onnx...");
      System.exit(2);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    float[] x = null;
    long[] shape = null;
    float[] ref = null;
    StringBuilder json = new StringBuilder(String.format(Locale.ROOT,
        "{\"threads\": %d, \"iters\": %d, \"batch\": %d, \"graphs\": [", threads, iters, batch));
    String sep = "";
    for (String file : files) {
      try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
        o.setIntraOpNumThreads(threads);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        try (OrtSession s = env.createSession(file, o)) {
          Map.Entry<String, NodeInfo> in = s.getInputInfo().entrySet().iterator().next();
          long[] want = ((TensorInfo) in.getValue().getInfo()).getShape();
          want[0] = batch;
          if (shape == null) {
            shape = want;
            x = new float[(int) Arrays.stream(shape).reduce(1, (p, q) -> p * q)];
            Random r = new Random(1);
            for (int i = 0; i < x.length; i++) {
              x[i] = (float) r.nextGaussian();
            }
          } else if (!Arrays.equals(shape, want)) {
            throw new IllegalArgumentException(file + ": input shape " + Arrays.toString(want) + ", expected "
                + Arrays.toString(shape) + " like " + files.get(0));
          }
          long[] ns = new long[iters];
          float[] y = null;
          try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape)) {
            for (int i = 0; i < iters + 2; i++) {
              long t0 = System.nanoTime();
              try (OrtSession.Result res = s.run(Map.of(in.getKey(), t))) {
                FloatBuffer fb = ((OnnxTensor) res.get(0)).getFloatBuffer();
                y = new float[fb.remaining()];
                fb.get(y);
              }
              if (i >= 2) {
                ns[i - 2] = System.nanoTime() - t0;
              }
            }
          }
          Arrays.sort(ns);
          if (ref == null) {
            ref = y;
          }
          double maxDiff = 0;
          double maxRef = 0;
          for (int i = 0; i < y.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(y[i] - ref[i]));
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
          }
          double min = ns[0] / 1e6;
          double median = ns[iters / 2] / 1e6;
          System.err.printf(Locale.ROOT, "%-40s min %9.2f ms  median %9.2f ms  max|diff|/max|ref| %.4f%n", file, min,
              median, maxDiff / maxRef);
          json.append(sep).append(String.format(Locale.ROOT,
              "{\"file\": \"%s\", \"min_ms\": %.3f, \"median_ms\": %.3f, \"rel_diff\": %.6f}", file, min, median,
              maxDiff / maxRef));
        }
      } catch (OrtException e) {
        String msg = e.getMessage().split("\n")[0];
        System.err.printf(Locale.ROOT, "%-40s cannot run: %s%n", file, msg);
        json.append(sep).append(String.format(Locale.ROOT, "{\"file\": \"%s\", \"error\": \"%s\"}", file,
            msg.replace("\\", "\\\\").replace("\"", "'")));
      }
      sep = ", ";
    }
    System.out.println(json.append("]}"));
  }
}
