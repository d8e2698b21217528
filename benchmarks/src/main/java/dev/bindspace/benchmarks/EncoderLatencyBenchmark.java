package dev.bindspace.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bindspace.Embedding;
import dev.bindspace.Encoder;
import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.audio.AudioInput;
import dev.bindspace.audio.AudioPreprocessor;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxRuntimeOptions;
import dev.bindspace.onnx.OnnxRuntimeOptions.OptimizationLevel;
import dev.bindspace.onnx.Preprocessing;
import dev.bindspace.onnx.Tensor;
import dev.bindspace.vision.ImageDecoder;
import dev.bindspace.vision.ImagePreprocessor;
import dev.bindspace.vision.VisionInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * File to embedding latency through the public API, for any bundle directory (issue 10): {@link
 * OnnxEmbeddingModel#open(Path, OnnxRuntimeOptions)}, then {@code model.encoder(VISION,
 * VisionInput.class)} on image files, {@code encoder(TEXT, String.class)} on strings and {@code
 * encoder(AUDIO, AudioInput.class)} on WAV files. One call is one {@link Encoder#embedAll} of
 * {@code batch} inputs, so every figure includes decoding and preprocessing, not only the graph. The extra
 * modality {@code vision-tower} times the image graph alone ({@code tensorEncoder(IMAGE)} on the same images,
 * decoded and preprocessed before the timing): the tower's own GFLOP/s beside the end-to-end figure;
 * {@code audio-tower} does the same for the audio graph (fbank tensors of the same WAV files).
 *
 * <p>Why a plain {@code main} and not JMH: one call of the ImageBind-Huge-shaped stand-in takes
 * seconds (batch 8: tens of seconds), almost all of it inside ONNX Runtime's native code, so JIT
 * warm-up is a few calls and JMH's iteration machinery buys nothing; a JMH fork per case would
 * reload the 4.3 GB bundle each time. What matters is the distribution over a handful of calls
 * taken the same way as the PyTorch reference (benchmarks/perf/pytorch_bench.py): {@code warmup}
 * untimed calls, continued until {@code --warmup-seconds} have passed since the first (which loads the graph;
 * default 0), then {@code reps} timed
 * calls, median and p90 (linear interpolation) per call. The warm-up calls' times are kept in the JSON
 * ({@code warmup_ms}): the JIT compiles the image decoder, resampler and filterbank over the first
 * calls (a 5 s WAV file took 65, 27, 25, 18 ... then 11-12 ms to preprocess from the 20th call on).
 *
 * <p>Media directory layout (benchmarks/perf/make_media.py writes it): {@code images/*.jpg|png},
 * {@code audio/*.wav}, {@code sentences.txt} (or {@code texts.txt}; one text per line); files are
 * taken in name order, call {@code i} of batch {@code b} (warm-up calls first) gets items {@code
 * i*b .. i*b+b-1} modulo the number of items, so consecutive calls see different inputs.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.bindspace.benchmarks.EncoderLatencyBenchmark \
 *     --bundle ../perf/standin-huge --media ../perf/media --label fp32 \
 *     --modalities vision,text,audio --batches 1,8 --warmup 2 --reps 5 --intra 2 \
 *     --flops target/perf/flops-fp32.json --out target/perf/java-fp32.json
 * </pre>
 *
 * <p>GFLOP/s needs the FLOPs of one item (one image, one text, one audio file with all its clips):
 * {@code --flops FILE} reads {@code {"per_item_flops": {"vision": F, "text": F, "audio": F}}}
 * (benchmarks/perf/onnx_flops.py writes it from the bundle's graphs), or {@code --flops-vision F}
 * etc. give them directly. Every case's time window goes to {@link RunLog} so run_perf.sh's monitor
 * can say how contended it was; the JSON also carries /proc/loadavg before and after each case.
 *
 * <p>Only the graphs of the measured modalities are loaded: the model opens with {@link
 * OnnxRuntimeOptions.GraphLoading#ON_FIRST_USE}, so, say, ImageBind's 2.5 GB video graph stays on disk
 * and each graph loads during its first (untimed) warm-up call; {@code --all-graphs true} loads every
 * graph at open ({@code EAGER}).
 */
public final class EncoderLatencyBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private EncoderLatencyBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = parseArgs(args);
    if (a.containsKey("help") || !a.containsKey("bundle") || !a.containsKey("media")) {
      System.err.println("usage: EncoderLatencyBenchmark --bundle DIR --media DIR [--label L] [--modalities "
          + "vision,text,audio] [--batches 1,8] [--warmup 2] [--warmup-seconds 0] [--reps 5] [--intra 0] [--inter 0] [--opt ALL] "
          + "[--arena true] [--spin false] [--prepack true] [--max-batch 16] [--flops FILE] [--flops-vision F] [--flops-text F] [--flops-audio F] "
          + "[--all-graphs true] [--out FILE]");
      System.exit(2);
    }
    Path bundle = Path.of(a.get("bundle"));
    Path media = Path.of(a.get("media"));
    String label = a.getOrDefault("label", bundle.getFileName().toString());
    List<String> modalities = Arrays.asList(a.getOrDefault("modalities", "vision,text,audio").split(","));
    int[] batches = Arrays.stream(a.getOrDefault("batches", "1,8").split(",")).mapToInt(Integer::parseInt).toArray();
    int warmup = Integer.parseInt(a.getOrDefault("warmup", "2"));
    int reps = Integer.parseInt(a.getOrDefault("reps", "5"));
    double warmupSeconds = Double.parseDouble(a.getOrDefault("warmup-seconds", "0"));
    if (!(warmupSeconds >= 0)) {
      throw new IllegalArgumentException("expected --warmup-seconds >= 0, got " + warmupSeconds);
    }
    boolean allGraphs = Boolean.parseBoolean(a.getOrDefault("all-graphs", "false"));
    if (warmup < (allGraphs ? 0 : 1) || reps < 1) {
      throw new IllegalArgumentException("expected --warmup >= " + (allGraphs ? 0 : 1) + " (graphs load during the "
          + "first warm-up call unless --all-graphs true) and --reps >= 1, got " + warmup + " and " + reps);
    }
    OnnxRuntimeOptions options = OnnxRuntimeOptions.builder()
        .intraOpThreads(Integer.parseInt(a.getOrDefault("intra", "0")))
        .interOpThreads(Integer.parseInt(a.getOrDefault("inter", "0")))
        .optimizationLevel(OptimizationLevel.valueOf(a.getOrDefault("opt", "ALL").toUpperCase(Locale.ROOT)))
        .memoryArena(Boolean.parseBoolean(a.getOrDefault("arena", "true")))
        .intraOpSpinning(Boolean.parseBoolean(a.getOrDefault("spin", "false")))
        .weightPrepacking(Boolean.parseBoolean(a.getOrDefault("prepack", "true")))
        .maxBatchSize(Integer.parseInt(a.getOrDefault("max-batch", Integer.toString(
            OnnxRuntimeOptions.DEFAULT_MAX_BATCH_SIZE))))
        .graphLoading(allGraphs ? OnnxRuntimeOptions.GraphLoading.EAGER : OnnxRuntimeOptions.GraphLoading.ON_FIRST_USE)
        .build();
    Map<String, Double> flops = readFlops(a);

    ObjectNode out = JSON.createObjectNode();
    out.put("tool", "EncoderLatencyBenchmark");
    out.put("label", label);
    out.put("bundle", bundle.toAbsolutePath().toString());
    out.put("media", media.toAbsolutePath().toString());
    out.put("started", Instant.now().toString());
    out.put("options", options.toString());
    out.put("warmup", warmup);
    out.put("warmup_seconds", warmupSeconds);
    out.put("reps", reps);
    out.put("available_processors", Runtime.getRuntime().availableProcessors());
    out.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    out.put("loadavg_start", loadAvg());
    ArrayNode results = out.putArray("results");

    out.put("graphs_opened", options.graphLoading() == OnnxRuntimeOptions.GraphLoading.ON_FIRST_USE
        ? "only those of " + modalities + ", each during its first warm-up call" : "all of the bundle's, at open");
    long t0 = System.nanoTime();
    long cpu0 = processCpuNanos();
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(bundle, options)) {
      out.put("load_ms", (System.nanoTime() - t0) / 1e6);
      out.put("load_cpu_ms", (processCpuNanos() - cpu0) / 1e6);
      out.put("model", model.name());
      System.out.printf(Locale.ROOT, "%s: %s loaded in %.1f s (%s)%n", label, bundle, (System.nanoTime() - t0) / 1e9,
          options);
      for (String modality : modalities) {
        for (int batch : batches) {
          ObjectNode r = results.addObject();
          r.put("modality", modality);
          r.put("batch", batch);
          try {
            runCase(model, modality, media, batch, warmup, warmupSeconds, reps, flops.get(modality), label, options,
                r);
          } catch (RuntimeException | IOException | Error e) {
            // one failing case is reported, the others still run
            r.put("error", e.toString());
            System.out.printf(Locale.ROOT, "%s %s b%d FAILED: %s%n", label, modality, batch, e);
          }
        }
      }
    } catch (RuntimeException e) {
      out.put("error", "cannot open " + bundle + ": " + e);
      System.out.println(label + ": cannot open " + bundle + ": " + e);
    }
    out.put("loadavg_end", loadAvg());
    printTable(out);
    String json = JSON.writeValueAsString(out);
    if (a.containsKey("out")) {
      Path p = Path.of(a.get("out"));
      if (p.toAbsolutePath().getParent() != null) {
        Files.createDirectories(p.toAbsolutePath().getParent());
      }
      Files.writeString(p, json + "\n", StandardCharsets.UTF_8);
      System.out.println("wrote " + p);
    } else {
      System.out.println(json);
    }
    if (out.has("error")) {
      System.exit(1);
    }
  }

  private static void runCase(OnnxEmbeddingModel model, String modality, Path media, int batch, int warmup,
      double warmupSeconds, int reps, Double flopsPerItem, String label, OnnxRuntimeOptions options, ObjectNode r)
      throws IOException {
    // vision-tower / audio-tower: the graph alone, on tensors decoded and preprocessed before the timing
    Case<?> c = switch (modality) {
      case "vision" -> new Case<>(model.encoder(Modality.VISION, VisionInput.class),
          files(media.resolve("images"), ".jpg", ".jpeg", ".png"), VisionInput::file);
      case "audio" -> new Case<>(model.encoder(Modality.AUDIO, AudioInput.class),
          files(media.resolve("audio"), ".wav"), AudioInput::file);
      case "text" -> new Case<>(model.encoder(Modality.TEXT, String.class), texts(media), Function.identity());
      case "vision-tower" -> {
        Preprocessing.Image profile = (Preprocessing.Image) model.manifest().graph(MediaKind.IMAGE).orElseThrow()
            .preprocessing();
        ImagePreprocessor pre = ImagePreprocessor.of(profile);
        long[] shape = {profile.channels(), profile.size(), profile.size()};
        yield new Case<>(model.tensorEncoder(MediaKind.IMAGE), files(media.resolve("images"), ".jpg", ".jpeg", ".png"),
            p -> Tensor.ofFloats(shape, pre.tensor(ImageDecoder.defaults().decode(p))));
      }
      case "audio-tower" -> {
        AudioPreprocessor pre = AudioPreprocessor.of(
            (Preprocessing.Audio) model.manifest().graph(MediaKind.AUDIO).orElseThrow().preprocessing());
        long[] shape = pre.shape();
        yield new Case<>(model.tensorEncoder(MediaKind.AUDIO), files(media.resolve("audio"), ".wav"),
            p -> Tensor.ofFloats(shape, pre.preprocess(AudioInput.file(p))));
      }
      default -> throw new IllegalArgumentException("expected modality vision, vision-tower, text, audio or "
          + "audio-tower, got '"
          + modality + "'");
    };
    r.put("items_available", c.items.size());
    r.put("loadavg_start", loadAvg());
    // warm-up: at least `warmup` calls and at least `warmupSeconds` (the JIT compiles the decoders and
    // resamplers over the first calls); every warm-up call's time is kept in the JSON
    // (the seconds count from the end of the first call, which loads the graph)
    ArrayNode warmMs = r.putArray("warmup_ms");
    long warmStart = 0;
    int calls = 0;
    while (calls < warmup || (System.nanoTime() - warmStart) / 1e9 < warmupSeconds) {
      long t0 = System.nanoTime();
      check(c.call(calls, batch), batch);
      long t1 = System.nanoTime();
      warmMs.add((t1 - t0) / 1e6);
      warmStart = calls == 0 ? t1 : warmStart;
      calls++;
    }
    r.put("warmup_calls", calls);
    double[] ms = new double[reps];
    double[] cpuMs = new double[reps];
    long start = System.currentTimeMillis();
    List<Embedding> last = null;
    for (int i = 0; i < reps; i++) {
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      last = c.call(calls + i, batch);
      ms[i] = (System.nanoTime() - t0) / 1e6;
      cpuMs[i] = (processCpuNanos() - cpu0) / 1e6;
      check(last, batch);
    }
    RunLog.window("EncoderLatencyBenchmark", label, modality, options.intraOpThreads(), batch, start);
    r.put("loadavg_end", loadAvg());
    ArrayNode raw = r.putArray("ms");
    Arrays.stream(ms).forEach(raw::add);
    double median = percentile(ms, 0.5);
    r.put("median_ms", median);
    r.put("p90_ms", percentile(ms, 0.9));
    r.put("min_ms", Arrays.stream(ms).min().orElseThrow());
    r.put("cpu_ms_median", percentile(cpuMs, 0.5));
    r.put("items_per_s", batch * 1000.0 / median);
    if (flopsPerItem != null) {
      r.put("flops_per_item", flopsPerItem);
      r.put("gflops_per_s", flopsPerItem * batch / (median / 1000.0) / 1e9);
    }
    ArrayNode head = r.putArray("first_embedding_head");
    float[] v = last.get(0).toArray();
    for (int i = 0; i < Math.min(4, v.length); i++) {
      head.add(v[i]);
    }
    System.out.printf(Locale.ROOT, "%s %-6s b%d: median %.1f ms, p90 %.1f ms, %.2f items/s%s%n", label, modality,
        batch, median, percentile(ms, 0.9), batch * 1000.0 / median,
        flopsPerItem == null ? "" : String.format(Locale.ROOT, ", %.1f GFLOP/s", r.get("gflops_per_s").asDouble()));
  }

  /** The encoder of one modality and its inputs in name order. */
  private static final class Case<I> {
    final Encoder<I> encoder;
    final List<I> items;

    <S> Case(Encoder<I> encoder, List<S> sources, Function<S, I> toInput) {
      if (sources.isEmpty()) {
        throw new IllegalArgumentException("no inputs found for " + encoder.modality());
      }
      this.encoder = encoder;
      this.items = sources.stream().map(toInput).collect(Collectors.toList());
    }

    List<Embedding> call(int callIndex, int batch) {
      List<I> in = new ArrayList<>(batch);
      for (int j = 0; j < batch; j++) {
        in.add(items.get((int) (((long) callIndex * batch + j) % items.size())));
      }
      return encoder.embedAll(in);
    }
  }

  /** The benchmark checks its own output: one finite, unit-length embedding per input. */
  private static void check(List<Embedding> es, int batch) {
    if (es.size() != batch) {
      throw new IllegalStateException("expected " + batch + " embeddings, got " + es.size());
    }
    for (Embedding e : es) {
      double n = 0;
      for (float x : e.toArray()) {
        if (!Float.isFinite(x)) {
          throw new IllegalStateException("embedding has a non-finite value: " + x);
        }
        n += (double) x * x;
      }
      if (Math.abs(Math.sqrt(n) - 1) > 1e-3) {
        throw new IllegalStateException("expected unit-length embeddings, got norm " + Math.sqrt(n));
      }
    }
  }

  /**
   * Percentile with linear interpolation between closest ranks, as numpy's default and
   * benchmarks/perf/pytorch_bench.py: the median of an even count is the mean of the middle two.
   */
  static double percentile(double[] values, double q) {
    double[] s = values.clone();
    Arrays.sort(s);
    double k = (s.length - 1) * q;
    int lo = (int) Math.floor(k);
    int hi = Math.min(lo + 1, s.length - 1);
    return s[lo] + (s[hi] - s[lo]) * (k - lo);
  }

  private static List<Path> files(Path dir, String... suffixes) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("expected a directory of " + String.join("/", suffixes) + " files at "
          + dir + ", found none");
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> Arrays.stream(suffixes)
          .anyMatch(x -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(x))).sorted().toList();
    }
  }

  /** {@code sentences.txt} (make_media.py's name), else {@code texts.txt}: one text per non-blank line. */
  private static List<String> texts(Path media) throws IOException {
    Path file = media.resolve("sentences.txt");
    if (!Files.isRegularFile(file)) {
      file = media.resolve("texts.txt");
    }
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).filter(l -> !l.isEmpty())
        .toList();
  }

  private static Map<String, Double> readFlops(Map<String, String> a) throws IOException {
    Map<String, Double> flops = new LinkedHashMap<>();
    if (a.containsKey("flops") && Files.isRegularFile(Path.of(a.get("flops")))) {
      JsonNode root = JSON.readTree(Path.of(a.get("flops")).toFile());
      JsonNode per = root.has("per_item_flops") ? root.get("per_item_flops") : root;
      per.fields().forEachRemaining(f -> {
        if (f.getValue().isNumber()) {
          flops.put(f.getKey(), f.getValue().asDouble());
        }
      });
    } else if (a.containsKey("flops")) {
      System.out.println("no FLOP counts: " + a.get("flops") + " does not exist; GFLOP/s left out");
    }
    for (String m : List.of("vision", "text", "audio")) {
      if (a.containsKey("flops-" + m)) {
        flops.put(m, Double.parseDouble(a.get("flops-" + m)));
      }
    }
    if (flops.containsKey("vision")) {
      flops.put("vision-tower", flops.get("vision"));
    }
    if (flops.containsKey("audio")) {
      flops.put("audio-tower", flops.get("audio"));
    }
    return flops;
  }

  private static void printTable(ObjectNode out) {
    System.out.printf(Locale.ROOT, "%n%-10s %-7s %5s %11s %11s %9s %9s%n", "label", "modality", "batch",
        "median ms", "p90 ms", "items/s", "GFLOP/s");
    for (JsonNode r : out.get("results")) {
      if (r.has("error")) {
        System.out.printf(Locale.ROOT, "%-10s %-7s %5d  error: %s%n", out.get("label").asText(),
            r.get("modality").asText(), r.get("batch").asInt(), r.get("error").asText());
        continue;
      }
      System.out.printf(Locale.ROOT, "%-10s %-7s %5d %11.1f %11.1f %9.2f %9s%n", out.get("label").asText(),
          r.get("modality").asText(), r.get("batch").asInt(), r.get("median_ms").asDouble(),
          r.get("p90_ms").asDouble(), r.get("items_per_s").asDouble(),
          r.has("gflops_per_s") ? String.format(Locale.ROOT, "%.1f", r.get("gflops_per_s").asDouble()) : "-");
    }
  }

  static Map<String, String> parseArgs(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got '" + args[i] + "'");
      }
      String k = args[i].substring(2);
      if (k.equals("help")) {
        m.put(k, "true");
      } else if (i + 1 < args.length) {
        m.put(k, args[++i]);
      } else {
        throw new IllegalArgumentException("option --" + k + " needs a value");
      }
    }
    return m;
  }

  static String loadAvg() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unavailable";
    } catch (UncheckedIOException e) {
      return "unavailable";
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
