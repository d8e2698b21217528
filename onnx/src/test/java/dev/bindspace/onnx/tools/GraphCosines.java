package dev.bindspace.onnx.tools;

import dev.bindspace.onnx.Bundle;
import dev.bindspace.onnx.BundleManifest;
import dev.bindspace.onnx.GraphSpec;
import dev.bindspace.onnx.OnnxGraph;
import dev.bindspace.onnx.OnnxRuntimeOptions;
import dev.bindspace.onnx.TensorType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Per-input cosine between the outputs of a bundle's graph and of variants of that graph (e.g. the same graph with
 * one node quantised to int8 by tools/imagebind-export/quantize.py): the measurement behind
 * tools/imagebind-export/calibrate_int8.py's per-node sensitivities (rule: tools/imagebind-export/KEEP_FLOAT_RULE.md).
 *
 * <p>Run: {@code java -cp <onnx test classpath> dev.bindspace.onnx.tools.GraphCosines BUNDLE_DIR GRAPH_KEY INPUTS.npy
 * [--threads 1] [--batch 1]}, then one variant {@code .onnx} path per line on stdin; for each, one JSON line on stdout:
 * {@code {"graph": PATH, "mean": m, "min": c, "cosines": [c0, c1, ...]}}. An empty line or end of input stops it.
 * INPUTS.npy holds the preprocessed calibration inputs, one row per graph input ({@code [N, ...item shape]},
 * float32, or int64 for token-id graphs). Rows run at batch 1 by default: ONNX Runtime quantises activations per
 * batch tensor, so batch 1 is the per-input figure; {@code --batch B} runs consecutive groups of B rows instead
 * (the last group may be smaller), to see the effect of the batch a deployment uses. The reference outputs are
 * computed once; each variant gets its own session, closed before the next is read, so one variant of a large
 * graph is in memory at a time.
 */
public final class GraphCosines {
  private final GraphSpec spec;
  private final OnnxRuntimeOptions options;
  private final Npy.Array inputs;
  private final List<float[]> reference;
  private final int batch;

  /** Runs the reference graph {@code spec} (its file under {@code bundle}) on every row of {@code inputs}, at batch 1. */
  public GraphCosines(Bundle bundle, GraphSpec spec, Npy.Array inputs, OnnxRuntimeOptions options) {
    this(bundle, spec, inputs, options, 1);
  }

  /** As above, running consecutive groups of {@code batch} rows (at most {@code options.maxBatchSize()}). */
  public GraphCosines(Bundle bundle, GraphSpec spec, Npy.Array inputs, OnnxRuntimeOptions options, int batch) {
    if (batch < 1 || batch > options.maxBatchSize()) {
      throw new IllegalArgumentException("batch " + batch + ": expected 1.." + options.maxBatchSize()
          + " (the options' maxBatchSize)");
    }
    this.batch = batch;
    this.spec = spec;
    this.options = options;
    this.inputs = inputs;
    TensorType type = spec.input().type();
    if ((type == TensorType.INT64) != (inputs.longs() != null)) {
      throw new IllegalArgumentException("graph " + BundleManifest.key(spec.media()) + " takes " + type
          + " inputs, the calibration array holds " + (inputs.longs() != null ? "int64" : "float32"));
    }
    try (OnnxGraph g = OnnxGraph.open(bundle, spec, options)) {
      if (inputs.rowSize() != g.itemSize()) {
        throw new IllegalArgumentException("calibration rows have shape " + Arrays.toString(
            Arrays.copyOfRange(inputs.shape(), 1, inputs.shape().length)) + ", graph "
            + BundleManifest.key(spec.media()) + " takes items of shape " + Arrays.toString(g.itemShape()));
      }
      this.reference = runAll(g);
    }
  }

  /** Cosine of {@code variant}'s output to the reference output, per input row. */
  public double[] cosines(Path variant) {
    try (OnnxGraph g = OnnxGraph.open(variant, spec, options, variant.getFileName().toString())) {
      List<float[]> out = runAll(g);
      double[] cos = new double[out.size()];
      for (int i = 0; i < cos.length; i++) {
        cos[i] = cosine(reference.get(i), out.get(i));
      }
      return cos;
    }
  }

  private List<float[]> runAll(OnnxGraph g) {
    List<float[]> out = new ArrayList<>(inputs.rows());
    int size = inputs.rowSize();
    for (int r = 0; r < inputs.rows(); r += batch) {
      int b = Math.min(batch, inputs.rows() - r);
      float[] y = inputs.floats() != null
          ? g.runFloats(Arrays.copyOfRange(inputs.floats(), r * size, (r + b) * size), b)
          : g.runLongs(Arrays.copyOfRange(inputs.longs(), r * size, (r + b) * size), b);
      int dim = y.length / b;
      for (int i = 0; i < b; i++) {
        out.add(Arrays.copyOfRange(y, i * dim, (i + 1) * dim));
      }
    }
    return out;
  }

  static double cosine(float[] a, float[] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += (double) a[i] * b[i];
      aa += (double) a[i] * a[i];
      bb += (double) b[i] * b[i];
    }
    return ab / Math.sqrt(aa * bb);
  }

  static String json(String graph, double[] cos) {
    double mean = Arrays.stream(cos).average().orElse(Double.NaN);
    double min = Arrays.stream(cos).min().orElse(Double.NaN);
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "{\"graph\": \"%s\", \"mean\": %.9f, "
        + "\"min\": %.9f, \"cosines\": [", graph.replace("\\", "\\\\").replace("\"", "\\\""), mean, min));
    for (int i = 0; i < cos.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.9f", cos[i]));
    }
    return sb.append("]}").toString();
  }

  public static void main(String[] args) throws IOException {
    List<String> pos = new ArrayList<>();
    int threads = 1;
    int batch = 1;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--threads")) {
        threads = Integer.parseInt(args[++i]);
      } else if (args[i].equals("--batch")) {
        batch = Integer.parseInt(args[++i]);
      } else {
        pos.add(args[i]);
      }
    }
    if (pos.size() != 3) {
      System.err.println("usage: GraphCosines BUNDLE_DIR GRAPH_KEY INPUTS.npy [--threads T] [--batch B];"
          + " variant .onnx paths on stdin, one JSON line per variant on stdout");
      System.exit(2);
    }
    OnnxRuntimeOptions opts = OnnxRuntimeOptions.builder().intraOpThreads(threads).maxBatchSize(batch).build();
    Npy.Array in = Npy.read(Path.of(pos.get(2)));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    long t0 = System.nanoTime();
    try (Bundle bundle = Bundle.open(Path.of(pos.get(0)))) {
      GraphSpec spec = bundle.manifest().graphs().values().stream()
          .filter(g -> BundleManifest.key(g.media()).equals(pos.get(1))).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no graph '" + pos.get(1) + "' in " + pos.get(0)
              + "; it has " + bundle.manifest().graphs().keySet()));
      GraphCosines gc = new GraphCosines(bundle, spec, in, opts, batch);
      System.err.printf(Locale.ROOT, "GraphCosines: reference %s on %d inputs in %.1f s%n", pos.get(1), in.rows(),
          (System.nanoTime() - t0) / 1e9);
      BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null && !line.isBlank(); line = r.readLine()) {
        out.println(json(line.strip(), gc.cosines(Path.of(line.strip()))));
      }
    }
  }
}
