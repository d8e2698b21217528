package dev.bindspace.mini.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bindspace.Embedding;
import dev.bindspace.Encoder;
import dev.bindspace.Modality;
import dev.bindspace.mini.BindspaceMini;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxRuntimeOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * bindspace-mini's held-out evaluation (issue 7): embeds every held-out set under
 * {@code <data-dir>/eval/H*} with the <b>shipped</b> bundle (BindspaceMini.open(), the same Java
 * preprocessing users get) and writes {@code metrics.json} and {@code metrics.md} into the output
 * folder. The sets and metrics are described in tools/mini-train/EVAL_FORMAT.md.
 *
 * <p>Run: {@code ./mvnw -q -o -pl model-mini exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.bindspace.mini.tools.Evaluate -Dexec.args="../mini-data/eval docs/models"}.
 * {@code --bundle DIR} first evaluates another bundle directory of the same space instead (e.g. an int8
 * copy made by tools/imagebind-export/quantize.py).
 */
public final class Evaluate {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int[] KS = {1, 5};

  private Evaluate() {}

  /** One held-out item. */
  record Item(Path file, String modality, String label, String group) {}

  /** One held-out set, possibly spread over eval.json, eval-image.json and eval-audio.json. */
  record EvalSet(String name, String description, List<String> labels, Map<String, List<String>> templates,
      List<Item> items) {}

  public static void main(String[] args) throws IOException {
    Path bundle = null;
    if (args.length == 4 && args[0].equals("--bundle")) {
      bundle = Path.of(args[1]);
      args = new String[] {args[2], args[3]};
    }
    if (args.length != 2) {
      System.err.println("usage: Evaluate [--bundle BUNDLE_DIR] EVAL_DIR OUT_DIR"
          + " (default bundle: the shipped bindspace-mini on the classpath)");
      System.exit(2);
    }
    Path evalDir = Path.of(args[0]);
    Path out = Path.of(args[1]);
    Files.createDirectories(out);
    List<EvalSet> sets = readSets(evalDir);
    OnnxRuntimeOptions opts = OnnxRuntimeOptions.builder().maxBatchSize(8).build();
    List<RetrievalMetrics.Figure> figures = new ArrayList<>();
    long t0 = System.nanoTime();
    try (OnnxEmbeddingModel model = bundle == null ? BindspaceMini.open(opts) : OnnxEmbeddingModel.open(bundle, opts)) {
      MediaInputs inputs = new MediaInputs();
      for (EvalSet s : sets) {
        figures.addAll(evaluate(model, inputs, s, sets));
        System.err.printf("%s done, %.0f s%n", s.name(), (System.nanoTime() - t0) / 1e9);
      }
      write(out, model.manifest().modelName() + " " + model.manifest().modelVersion(), figures);
    }
  }

  static List<EvalSet> readSets(Path evalDir) throws IOException {
    List<EvalSet> sets = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(evalDir)) {
      for (Path d : dirs.sorted().toList()) {
        if (!Files.isDirectory(d)) {
          continue;
        }
        List<Path> files;
        try (Stream<Path> fs = Files.list(d)) {
          files = fs.filter(f -> f.getFileName().toString().matches("eval(-[a-z]+)?\\.json")).sorted().toList();
        }
        if (files.isEmpty()) {
          continue;
        }
        String name = d.getFileName().toString();
        String description = null;
        List<String> labels = null;
        Map<String, List<String>> templates = new TreeMap<>();
        List<Item> items = new ArrayList<>();
        for (Path f : files) {
          JsonNode j = JSON.readTree(f.toFile());
          List<String> l = new ArrayList<>();
          j.get("labels").forEach(x -> l.add(x.asText()));
          if (labels == null) {
            labels = l;
            description = j.path("description").asText(name);
          } else if (!labels.equals(l)) {
            throw new IllegalArgumentException(f + ": labels differ from the set's other eval files"
                + " (expected the same list in the same order)");
          }
          j.get("templates").fields().forEachRemaining(e -> {
            List<String> t = new ArrayList<>();
            e.getValue().forEach(x -> t.add(x.asText()));
            List<String> prev = templates.putIfAbsent(e.getKey(), t);
            if (prev != null && !prev.equals(t)) {
              throw new IllegalArgumentException(f + ": templates for " + e.getKey() + " differ from another eval file");
            }
          });
          for (JsonNode it : j.get("items")) {
            String label = it.get("label").asText();
            if (!labels.contains(label)) {
              throw new IllegalArgumentException(f + ": item " + it.get("file").asText() + " has label '" + label
                  + "', which is not in the set's labels");
            }
            items.add(new Item(d.resolve(it.get("file").asText()), it.get("modality").asText(), label,
                it.path("group").asText("all")));
          }
        }
        sets.add(new EvalSet(name, description, labels, templates, items));
      }
    }
    return sets;
  }

  static List<RetrievalMetrics.Figure> evaluate(OnnxEmbeddingModel model, MediaInputs inputs, EvalSet s,
      List<EvalSet> all) {
    List<RetrievalMetrics.Figure> figs = new ArrayList<>();
    Map<String, List<Item>> byModality = new LinkedHashMap<>();
    java.util.Set<String> skipped = new java.util.TreeSet<>();
    for (Item it : s.items()) {
      if (!model.supports(modalityOf(it))) {
        if (skipped.add(it.modality())) {
          System.err.printf("%s: skipping %s items, the model has no %s encoder%n", s.name(), it.modality(),
              modalityOf(it));
        }
        continue;
      }
      byModality.computeIfAbsent(it.modality(), x -> new ArrayList<>()).add(it);
    }
    // H5's videos are compared with H1's sounds (the same 35 items)
    if (s.name().equals("H5")) {
      for (EvalSet o : all) {
        if (o.name().equals("H1") && o.labels().equals(s.labels())) {
          List<Item> sounds = o.items().stream()
              .filter(i -> i.modality().equals("audio") && model.supports(Modality.AUDIO)).toList();
          if (!sounds.isEmpty() && !byModality.containsKey("audio")) {
            byModality.put("audio", sounds);
          }
        }
      }
    }
    Encoder<String> text = model.encoder(Modality.TEXT, String.class);
    Map<String, List<float[]>> vectors = new LinkedHashMap<>();
    Map<String, int[]> labelIdx = new LinkedHashMap<>();
    for (Map.Entry<String, List<Item>> e : byModality.entrySet()) {
      List<float[]> vs = new ArrayList<>();
      int[] li = new int[e.getValue().size()];
      int i = 0;
      for (Item it : e.getValue()) {
        vs.add(inputs.embed(model, it).toArray());
        li[i++] = s.labels().indexOf(it.label());
      }
      vectors.put(e.getKey(), vs);
      labelIdx.put(e.getKey(), li);
    }
    for (String m : byModality.keySet()) {
      boolean own = s.items().stream().anyMatch(it -> it.modality().equals(m));
      List<String> templates = s.templates().get(m);
      if (!own || templates == null) {
        continue;
      }
      List<float[]> labelVecs = new ArrayList<>();
      for (String label : s.labels()) {
        List<Embedding> prompts = new ArrayList<>();
        for (String t : templates) {
          prompts.add(text.embed(t.replace("{}", label)));
        }
        labelVecs.add(Embedding.mean(prompts).normalize().toArray());
      }
      List<Item> items = byModality.get(m);
      Map<String, List<Integer>> groups = new LinkedHashMap<>();
      groups.put("all", java.util.stream.IntStream.range(0, items.size()).boxed().toList());
      Map<String, List<Integer>> byGroup = RetrievalMetrics.groupBy(items.stream().map(Item::group).toList());
      if (byGroup.size() > 1) {
        groups.putAll(byGroup);
      }
      for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
        List<float[]> vs = g.getValue().stream().map(vectors.get(m)::get).toList();
        int[] li = g.getValue().stream().mapToInt(x -> labelIdx.get(m)[x]).toArray();
        for (int k : KS) {
          figs.add(RetrievalMetrics.toText(s.name() + " " + m + "→text", g.getKey(), vs, li, labelVecs, k));
        }
      }
    }
    List<String> ms = new ArrayList<>(byModality.keySet());
    for (String a : ms) {
      for (String b : ms) {
        if (a.equals(b)) {
          continue;
        }
        for (int k : KS) {
          figs.add(RetrievalMetrics.crossModal(s.name() + " " + a + "→" + b, "all", vectors.get(a), labelIdx.get(a),
              vectors.get(b), labelIdx.get(b), k));
        }
      }
    }
    return figs;
  }

  static void write(Path out, String model, List<RetrievalMetrics.Figure> figs) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", model);
    ArrayNode arr = root.putArray("metrics");
    StringBuilder md = new StringBuilder();
    md.append("| task | group | n | metric | value | chance | label prior |\n");
    md.append("|---|---|---:|---|---:|---:|---:|\n");
    for (RetrievalMetrics.Figure f : figs) {
      ObjectNode o = arr.addObject();
      o.put("task", f.task());
      o.put("group", f.group());
      o.put("queries", f.queries());
      o.put("k", f.k());
      o.put("value", f.value());
      o.put("chance", f.chance());
      if (!Double.isNaN(f.prior())) {
        o.put("label_prior", f.prior());
      }
      String metric = f.task().endsWith("→text") ? "top-" + f.k() : "R@" + f.k();
      md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s |%n", f.task(), f.group(),
          f.queries(), metric, pct(f.value()), pct(f.chance()), pct(f.prior())));
    }
    Files.writeString(out.resolve("metrics.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root),
        StandardCharsets.UTF_8);
    Files.writeString(out.resolve("metrics.md"), md.toString(), StandardCharsets.UTF_8);
    System.out.print(md);
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f %%", 100 * v);
  }

  static Modality modalityOf(Item it) {
    return switch (it.modality()) {
      case "image", "video" -> Modality.VISION;
      case "audio" -> Modality.AUDIO;
      default -> throw new IllegalArgumentException(it.file() + ": unknown modality " + it.modality());
    };
  }

  /** Turns a held-out file into the input its modality's encoder takes. */
  static final class MediaInputs {
    private final Map<String, Function<Path, Object>> factories = new LinkedHashMap<>();

    MediaInputs() {
      factories.put("image", dev.bindspace.vision.VisionInput::file);
      factories.put("video", dev.bindspace.vision.VisionInput::video);
      factories.put("audio", dev.bindspace.audio.AudioInput::file);
    }

    @SuppressWarnings("unchecked")
    Embedding embed(OnnxEmbeddingModel model, Item it) {
      Function<Path, Object> f = factories.get(it.modality());
      if (f == null) {
        throw new IllegalStateException("no input factory for " + it.modality() + " items (" + it.file() + ")");
      }
      Encoder<Object> e = (Encoder<Object>) model.encoder(modalityOf(it));
      return e.embed(f.apply(it.file()));
    }
  }
}
