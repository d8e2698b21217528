package dev.bindspace.onnx.tools;

import dev.bindspace.MediaKind;
import dev.bindspace.onnx.Bundle;
import dev.bindspace.onnx.BundleManifest;
import dev.bindspace.onnx.EmbeddingResult;
import dev.bindspace.onnx.GraphSpec;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxGraph;
import dev.bindspace.onnx.OnnxRuntimeOptions;
import dev.bindspace.onnx.Preprocessing;
import dev.bindspace.onnx.Tensor;
import dev.bindspace.onnx.TensorType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Compares two bundles of the same model (e.g. float32 and the int8 copy made by
 * tools/imagebind-export/quantize.py): runs the same random preprocessed inputs through every tensor-input graph
 * of both, one input per batch by default (ONNX Runtime's dynamic quantisation ranges over the whole batch, so
 * batch 1 is the per-input figure; {@code --batch}/{@code --other-batch} set the batch of each side, e.g. the same
 * int8 bundle twice to see how much batching changes its embeddings), and prints the cosine of the raw outputs per input, min/median per graph, as a human summary
 * on stderr and JSON on stdout. The bundles are opened one after the other, so a 4 GB model fits next to its copy.
 *
 * <p>Run: {@code java -cp <onnx test classpath> dev.bindspace.onnx.tools.CompareBundles REFERENCE_DIR OTHER_DIR
 * [--inputs 20] [--seed S] [--graphs image,text,audio] [--threads 2] [--batch 1] [--other-batch 1]}
 *
 * <p>Inputs: float graphs get Gaussian values with a random scale (0.2..3.2) and offset (N(0, 1)) per input;
 * int64 text graphs get CLIP-layout ids (SOT 49406, 3..60 random ids, EOT 49407, zero padding to the context
 * length); a {@code "padding": "longest"} text graph runs them cut to the longest row of each batch
 * ({@link OnnxGraph#runIds}), so a bundle exported with padding to 77 can be compared with one exported with a
 * dynamic sequence axis. Token-sequence (wordpiece) text graphs are skipped: they take no CLIP ids.
 */
public final class CompareBundles {
  private CompareBundles() {}

  public static void main(String[] args) {
    List<String> pos = new ArrayList<>();
    int inputs = 20;
    long seed = new Random().nextLong();
    int threads = 2;
    int batch = 1;
    int otherBatch = 1;
    List<String> only = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--inputs" -> inputs = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--graphs" -> only = Arrays.asList(args[++i].split(","));
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--other-batch" -> otherBatch = Integer.parseInt(args[++i]);
        default -> pos.add(args[i]);
      }
    }
    if (pos.size() != 2) {
      System.err.println("usage: CompareBundles REFERENCE_DIR OTHER_DIR [--inputs N] [--seed S] [--graphs k,...]"
          + " [--threads T] [--batch B] [--other-batch B]");
      System.exit(2);
    }
    System.err.println("seed " + seed);
    OnnxRuntimeOptions opts = OnnxRuntimeOptions.builder().intraOpThreads(threads).maxBatchSize(batch).build();
    OnnxRuntimeOptions otherOpts = OnnxRuntimeOptions.builder().intraOpThreads(threads).maxBatchSize(otherBatch).build();
    Map<MediaKind, List<Tensor>> in = new LinkedHashMap<>();
    Map<MediaKind, List<float[]>> ref = run(Path.of(pos.get(0)), opts, in, inputs, seed, only, batch);
    Map<MediaKind, List<float[]>> other = run(Path.of(pos.get(1)), otherOpts, in, inputs, seed, only, otherBatch);
    StringBuilder json = new StringBuilder("{\"seed\": " + seed + ", \"graphs\": {");
    String sep = "";
    for (MediaKind m : ref.keySet()) {
      double[] cos = new double[ref.get(m).size()];
      for (int k = 0; k < cos.length; k++) {
        cos[k] = GraphCosines.cosine(ref.get(m).get(k), other.get(m).get(k));
      }
      double[] sorted = cos.clone();
      Arrays.sort(sorted);
      double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
          : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
      System.err.printf(Locale.ROOT, "%-8s %3d inputs: cosine min %.5f, median %.5f, max %.5f%n",
          BundleManifest.key(m), cos.length, sorted[0], median, sorted[sorted.length - 1]);
      json.append(sep).append(String.format(Locale.ROOT, "\"%s\": {\"inputs\": %d, \"min\": %.6f, \"median\": %.6f,"
          + " \"max\": %.6f, \"cosines\": %s}", BundleManifest.key(m), cos.length, sorted[0], median,
          sorted[sorted.length - 1], Arrays.toString(cos)));
      sep = ", ";
    }
    System.out.println(json.append("}}"));
  }

  private static Map<MediaKind, List<float[]>> run(Path bundle, OnnxRuntimeOptions opts, Map<MediaKind, List<Tensor>> in,
      int n, long seed, List<String> only, int batch) {
    Map<MediaKind, List<float[]>> out = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(bundle, opts)) {
      System.err.printf(Locale.ROOT, "%s: opened in %.1f s%n", bundle, (System.nanoTime() - t0) / 1e9);
      for (GraphSpec g : model.manifest().graphs().values()) {
        if (g.tokenSequence() || (only != null && !only.contains(BundleManifest.key(g.media())))) {
          continue;
        }
        List<Tensor> xs = in.computeIfAbsent(g.media(), m -> inputs(g, n, seed ^ m.ordinal()));
        long t1 = System.nanoTime();
        List<float[]> ys = new ArrayList<>();
        if (g.variableLengthIds()) {
          ys.addAll(runCut(bundle, g, opts, xs, batch));
        } else {
          for (EmbeddingResult r : model.tensorEncoder(g.media()).encodeAll(xs)) {
            ys.add(r.raw().toArray());
          }
        }
        System.err.printf(Locale.ROOT, "  %s: %d inputs in %.1f s%n", BundleManifest.key(g.media()), xs.size(),
            (System.nanoTime() - t1) / 1e9);
        out.put(g.media(), ys);
      }
    }
    return out;
  }

  /** Runs full-length id rows through a variable-length id graph, each batch cut to its longest row. */
  private static List<float[]> runCut(Path dir, GraphSpec g, OnnxRuntimeOptions opts, List<Tensor> xs, int batch) {
    List<float[]> ys = new ArrayList<>();
    try (Bundle b = Bundle.open(dir); OnnxGraph graph = OnnxGraph.open(b, g, opts)) {
      for (int from = 0; from < xs.size(); from += batch) {
        List<Tensor> chunk = xs.subList(from, Math.min(xs.size(), from + batch));
        int longest = 1;
        for (Tensor t : chunk) {
          long[] ids = t.longs();
          int len = ids.length;
          while (len > 1 && ids[len - 1] == 0) {
            len--;
          }
          longest = Math.max(longest, len);
        }
        long[] cut = new long[chunk.size() * longest];
        for (int r = 0; r < chunk.size(); r++) {
          System.arraycopy(chunk.get(r).longs(), 0, cut, r * longest, longest);
        }
        float[] out = graph.runIds(cut, chunk.size(), longest);
        int dim = out.length / chunk.size();
        for (int r = 0; r < chunk.size(); r++) {
          ys.add(Arrays.copyOfRange(out, r * dim, (r + 1) * dim));
        }
      }
    }
    return ys;
  }

  private static List<Tensor> inputs(GraphSpec g, int n, long seed) {
    Random rnd = new Random(seed);
    List<Long> shape = g.input().shape();
    long[] item = new long[shape.size() - 1];
    int size = 1;
    for (int i = 0; i < item.length; i++) {
      item[i] = shape.get(i + 1);
      size *= (int) item[i];
    }
    if (g.variableLengthIds()) {
      item = new long[] {((Preprocessing.Text) g.preprocessing()).contextLength()};
      size = (int) item[0];
    }
    List<Tensor> xs = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      if (g.input().type() == TensorType.INT64) {
        long[] ids = new long[size];
        int len = 3 + rnd.nextInt(Math.min(58, size - 2));
        ids[0] = 49406;
        for (int i = 1; i <= len; i++) {
          ids[i] = 1 + rnd.nextInt(49405);
        }
        ids[len + 1] = 49407;
        xs.add(Tensor.ofLongs(item, ids));
      } else {
        float[] v = new float[size];
        double scale = 0.2 + 3 * rnd.nextDouble();
        double offset = rnd.nextGaussian();
        for (int i = 0; i < size; i++) {
          v[i] = (float) (offset + scale * rnd.nextGaussian());
        }
        xs.add(Tensor.ofFloats(item, v));
      }
    }
    return xs;
  }
}
