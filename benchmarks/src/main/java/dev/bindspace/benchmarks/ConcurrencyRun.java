package dev.bindspace.benchmarks;

import dev.bindspace.BatchingEncoder;
import dev.bindspace.BatchingPolicy;
import dev.bindspace.Embedding;
import dev.bindspace.Encoder;
import dev.bindspace.Modality;
import dev.bindspace.mini.BindspaceMini;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxRuntimeOptions;
import dev.bindspace.vision.VisionInput;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Issue 10's concurrency target: N texts and M images embedded through bindspace-mini's facade from
 * C concurrent caller threads, with or without the {@link BatchingEncoder} queue, while a sampler
 * reads the process's CPU time ({@code /proc/self/stat} utime+stime) and RSS ({@code /proc/self/status}
 * VmRSS) every 250 ms.
 *
 * <p>Reported: mean CPU % of all cores after warm-up (steady state starts once 20 % of the items are
 * done, and at least 2 s in), RSS at the start of the steady state and at the end (flat = growth under
 * 5 %), throughput in items/s (whole run and steady state), mean batch size, errors. Writes JSON to
 * {@code --out} and prints a summary. One mode per JVM, so that RSS is not shared between modes:
 * {@code benchmarks/concurrency.sh} runs both.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.bindspace.benchmarks.ConcurrencyRun \
 *     --batching on --texts 10000 --images 1000 --callers 4 --media examples/media/images --out run.json
 * </pre>
 *
 * Options: {@code --batching on|off}, {@code --texts N}, {@code --images N}, {@code --callers N},
 * {@code --media DIR} (JPEG/PNG files cycled; default: 64 generated 384x384 JPEGs), {@code --intra N}
 * (ORT intra-op threads, default the CPU count), {@code --spin on|off} (intra-op spinning, default off),
 * {@code --max-batch N} (default 16), {@code --max-wait-us N} (default 100), {@code --window N} (inputs
 * each caller keeps in flight with {@link BatchingEncoder#embedAsync}, batching only; default 1 =
 * synchronous {@code embed}), {@code --workers N} (model-stage threads per batching encoder, default 2),
 * {@code --sample-ms N},
 * {@code --out FILE}.
 */
public final class ConcurrencyRun {
  private ConcurrencyRun() {}

  private static final String[] WORDS = ("a the dog cat car red blue small large running sleeping on in under "
      + "beach park street house tree river mountain city night morning photo picture of with two three people "
      + "child bird horse boat train plane green yellow old new playing sitting near field snow rain sunny")
      .split(" ");

  record Sample(double t, double cpuPercent, double rssMb, long done) {}

  public static void main(String[] args) throws Exception {
    String batching = "on";
    int nTexts = 10_000;
    int nImages = 1_000;
    int callers = 4;
    Path media = null;
    int nproc = Runtime.getRuntime().availableProcessors();
    int intra = nproc;
    boolean spin = false;
    int maxBatch = BatchingPolicy.DEFAULT_MAX_BATCH_SIZE;
    long maxWaitUs = BatchingPolicy.DEFAULT_MAX_WAIT_MICROS;
    long sampleMs = 250;
    int window = 1;
    int workers = BatchingPolicy.DEFAULT_WORKERS;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = i + 1 < args.length ? args[i + 1] : null;
      if (v == null) {
        throw new IllegalArgumentException("option " + a + " needs a value");
      }
      i++;
      switch (a) {
        case "--batching" -> batching = v;
        case "--texts" -> nTexts = Integer.parseInt(v);
        case "--images" -> nImages = Integer.parseInt(v);
        case "--callers" -> callers = Integer.parseInt(v);
        case "--media" -> media = Path.of(v);
        case "--intra" -> intra = Integer.parseInt(v);
        case "--spin" -> spin = v.equals("on");
        case "--max-batch" -> maxBatch = Integer.parseInt(v);
        case "--max-wait-us" -> maxWaitUs = Long.parseLong(v);
        case "--sample-ms" -> sampleMs = Long.parseLong(v);
        case "--window" -> window = Integer.parseInt(v);
        case "--workers" -> workers = Integer.parseInt(v);
        case "--out" -> out = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + a + " (see the class javadoc)");
      }
    }
    if (!batching.equals("on") && !batching.equals("off")) {
      throw new IllegalArgumentException("--batching must be on or off, got " + batching);
    }
    boolean batched = batching.equals("on");

    List<Path> imageFiles = imageFiles(media);
    List<Object> work = new ArrayList<>(nTexts + nImages);
    Random rnd = new Random(10);
    for (int i = 0; i < nTexts; i++) {
      int len = 4 + rnd.nextInt(12);
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < len; w++) {
        sb.append(w == 0 ? "" : " ").append(WORDS[rnd.nextInt(WORDS.length)]);
      }
      work.add(sb.append(' ').append(i).toString());
    }
    for (int i = 0; i < nImages; i++) {
      work.add(VisionInput.file(imageFiles.get(i % imageFiles.size())));
    }
    Collections.shuffle(work, rnd); // texts and images interleaved, as a mixed indexing job would be

    OnnxRuntimeOptions options = OnnxRuntimeOptions.builder().intraOpThreads(intra).intraOpSpinning(spin).build();
    BatchingPolicy policy = BatchingPolicy.builder().maxBatchSize(maxBatch).maxWaitMicros(maxWaitUs)
        .queueCapacity(Math.max(BatchingPolicy.DEFAULT_QUEUE_CAPACITY, maxBatch)).workers(workers).build();
    long clkTck = clockTicks();
    List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger next = new AtomicInteger();
    AtomicLong done = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long[] batchStats = new long[4];
    double wall;
    long start;
    long[] cpuAtStart = new long[2];
    try (OnnxEmbeddingModel model = BindspaceMini.open(options)) {
      Encoder<String> text = model.encoder(Modality.TEXT, String.class);
      Encoder<VisionInput> vision = model.encoder(Modality.VISION, VisionInput.class);
      BatchingEncoder<String> bt = batched ? BatchingEncoder.wrap(text, policy) : null;
      BatchingEncoder<VisionInput> bv = batched ? BatchingEncoder.wrap(vision, policy) : null;
      Encoder<String> useText = batched ? bt : text;
      Encoder<VisionInput> useVision = batched ? bv : vision;
      // a few calls first so that the first sample is not class loading
      useText.embed("warm up");
      useVision.embed((VisionInput) work.stream().filter(w -> w instanceof VisionInput).findFirst()
          .orElse(VisionInput.file(imageFiles.get(0))));
      start = System.nanoTime();
      cpuAtStart[0] = cpuTicks();
      long period = sampleMs;
      Thread sampler = new Thread(() -> sample(samples, period, clkTck, nproc, done), "cpu-rss-sampler");
      sampler.setDaemon(true);
      sampler.start();
      List<Thread> threads = new ArrayList<>();
      int inFlight = batched ? window : 1;
      for (int c = 0; c < callers; c++) {
        Thread t = new Thread(() -> {
          java.util.ArrayDeque<java.util.concurrent.CompletableFuture<Embedding>> pending = new java.util.ArrayDeque<>();
          int k;
          while ((k = next.getAndIncrement()) < work.size() || !pending.isEmpty()) {
            if (k < work.size()) {
              Object w = work.get(k);
              try {
                if (inFlight == 1) {
                  check(w instanceof String s ? useText.embed(s) : useVision.embed((VisionInput) w), errors);
                  done.incrementAndGet();
                  continue;
                }
                pending.add(w instanceof String s ? bt.embedAsync(s) : bv.embedAsync((VisionInput) w));
              } catch (RuntimeException ex) {
                fail(k, w, ex, errors);
                done.incrementAndGet();
              }
              if (pending.size() < inFlight) {
                continue;
              }
            }
            try {
              check(pending.poll().join(), errors);
            } catch (RuntimeException ex) {
              fail(-1, "async", ex, errors);
            }
            done.incrementAndGet();
          }
        }, "caller-" + c);
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      wall = (System.nanoTime() - start) / 1e9;
      cpuAtStart[1] = cpuTicks();
      sampler.interrupt();
      sampler.join();
      if (batched) {
        batchStats[0] = bt.batches();
        batchStats[1] = bt.items();
        batchStats[2] = bv.batches();
        batchStats[3] = bv.items();
        bt.close();
        bv.close();
      }
    }
    double cpuMsPerItem = 1000.0 * (cpuAtStart[1] - cpuAtStart[0]) / clkTck / Math.max(1, done.get());
    String json = report(batched, window, cpuMsPerItem, nTexts, nImages, callers, intra, spin, policy, nproc, wall, samples, done.get(),
        errors.get(), batchStats, imageFiles.size(), media);
    if (out != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, json, StandardCharsets.UTF_8);
    }
    System.out.println(json);
  }

  private static void check(Embedding e, AtomicLong errors) {
    if (e.dimension() != 384 || !e.isNormalized()) {
      errors.incrementAndGet();
    }
  }

  private static void fail(int k, Object w, RuntimeException ex, AtomicLong errors) {
    if (errors.incrementAndGet() <= 3) {
      System.err.println("item " + k + " (" + w + "): " + ex);
    }
  }

  private static String report(boolean batched, int window, double cpuMsPerItem, int nTexts, int nImages, int callers, int intra, boolean spin,
      BatchingPolicy policy, int nproc, double wall, List<Sample> samples, long done, long errors, long[] bs,
      int imageFileCount, Path media) {
    long total = (long) nTexts + nImages;
    List<Sample> s;
    synchronized (samples) {
      s = new ArrayList<>(samples);
    }
    // steady state: from the first sample with >= 20 % of the items done and t >= 2 s
    int from = 0;
    while (from < s.size() && (s.get(from).done() < total / 5 || s.get(from).t() < 2.0)) {
      from++;
    }
    int to = s.size() - 1; // last full sample before the callers finished
    while (to > from && s.get(to).done() >= total) {
      to--;
    }
    double cpu = 0;
    int n = 0;
    for (int i = from + 1; i <= to; i++) {
      cpu += s.get(i).cpuPercent();
      n++;
    }
    double meanCpu = n > 0 ? cpu / n : Double.NaN;
    double rssStart = from < s.size() ? s.get(from).rssMb() : Double.NaN;
    double rssEnd = to >= 0 && to < s.size() ? s.get(to).rssMb() : Double.NaN;
    double rssMax = s.stream().mapToDouble(Sample::rssMb).max().orElse(Double.NaN);
    double growth = 100 * (rssEnd - rssStart) / rssStart;
    double steadyRate = to > from ? (s.get(to).done() - s.get(from).done()) / (s.get(to).t() - s.get(from).t())
        : Double.NaN;
    StringBuilder j = new StringBuilder("{\n");
    j.append(kv("batching", batched)).append(kv("texts", nTexts)).append(kv("images", nImages))
        .append(kv("callers", callers)).append(kv("in_flight_per_caller", batched ? window : 1)).append(kv("nproc", nproc)).append(kv("intra_op_threads", intra))
        .append(kv("intra_op_spinning", spin)).append(kv("policy", "\"" + (batched ? policy : "none") + "\""))
        .append(kv("image_files", imageFileCount))
        .append(kv("media", media == null ? "\"generated 384x384 JPEGs\"" : "\"" + media + "\""))
        .append(kv("load_avg_at_end", "\"" + loadAvg() + "\""))
        .append(kv("wall_s", round(wall))).append(kv("items_done", done)).append(kv("errors", errors))
        .append(kv("throughput_items_per_s", round(done / wall)))
        .append(kv("cpu_ms_per_item", round(cpuMsPerItem)))
        .append(kv("steady_throughput_items_per_s", round(steadyRate)))
        .append(kv("steady_from_s", from < s.size() ? round(s.get(from).t()) : -1))
        .append(kv("steady_samples", n))
        .append(kv("mean_cpu_percent_steady", round(meanCpu)))
        .append(kv("rss_mb_steady_start", round(rssStart))).append(kv("rss_mb_end", round(rssEnd)))
        .append(kv("rss_mb_max", round(rssMax))).append(kv("rss_growth_percent", round(growth)))
        .append(kv("rss_flat", growth < 5.0));
    if (batched) {
      j.append(kv("text_batches", bs[0])).append(kv("text_mean_batch", round((double) bs[1] / Math.max(1, bs[0]))))
          .append(kv("image_batches", bs[2]))
          .append(kv("image_mean_batch", round((double) bs[3] / Math.max(1, bs[2]))));
    }
    j.append("  \"samples\": [");
    for (int i = 0; i < s.size(); i++) {
      Sample x = s.get(i);
      j.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "\n    [%.2f, %.1f, %.1f, %d]", x.t(),
          x.cpuPercent(), x.rssMb(), x.done()));
    }
    j.append("\n  ],\n  \"samples_columns\": [\"t_s\", \"cpu_percent\", \"rss_mb\", \"items_done\"]\n}\n");
    System.err.printf(Locale.ROOT, "%n== concurrency run: batching %s, %d texts + %d images, %d callers x %d in flight, "
        + "%d cores, intra-op %d, spinning %s%n", batched ? "ON " + policy : "OFF", nTexts, nImages, callers,
        batched ? window : 1, nproc, intra,
        spin ? "on" : "off");
    System.err.printf(Locale.ROOT, "   wall %.1f s, %.1f items/s (steady %.1f), %.2f CPU-ms per item, errors %d%n",
        wall, done / wall, steadyRate, cpuMsPerItem, errors);
    System.err.printf(Locale.ROOT, "   CPU after warm-up: %.1f %% of %d cores (%d samples from t=%.1f s)%n", meanCpu,
        nproc, n, from < s.size() ? s.get(from).t() : -1.0);
    System.err.printf(Locale.ROOT, "   RSS: %.0f MB at steady start -> %.0f MB at end (%+.1f %%, %s), max %.0f MB%n",
        rssStart, rssEnd, growth, growth < 5 ? "flat" : "GROWING", rssMax);
    if (batched) {
      System.err.printf(Locale.ROOT, "   mean batch: text %.1f (%d runs), image %.1f (%d runs)%n",
          (double) bs[1] / Math.max(1, bs[0]), bs[0], (double) bs[3] / Math.max(1, bs[2]), bs[2]);
    }
    System.err.println("   load average at end: " + loadAvg());
    return j.toString();
  }

  private static String kv(String k, Object v) {
    return "  \"" + k + "\": " + v + ",\n";
  }

  private static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : -1;
  }

  private static void sample(List<Sample> out, long periodMs, long clkTck, int nproc, AtomicLong done) {
    long t0 = System.nanoTime();
    long lastT = t0;
    long lastCpu = cpuTicks();
    try {
      while (true) {
        Thread.sleep(periodMs);
        long now = System.nanoTime();
        long cpu = cpuTicks();
        double dt = (now - lastT) / 1e9;
        double pct = 100.0 * (cpu - lastCpu) / clkTck / (dt * nproc);
        out.add(new Sample((now - t0) / 1e9, pct, rssMb(), done.get()));
        lastT = now;
        lastCpu = cpu;
      }
    } catch (InterruptedException e) {
      // run finished
    }
  }

  /** utime + stime of this process, in clock ticks (/proc/self/stat fields 14 and 15). */
  static long cpuTicks() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // f[0] is field 3 (state): utime is field 14 -> f[11], stime field 15 -> f[12]
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/self/stat (Linux only): " + e, e);
    }
  }

  static double rssMb() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
      return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0).orElse(Double.NaN);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/self/status: " + e, e);
    }
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      p.waitFor();
      return Long.parseLong(s);
    } catch (IOException | InterruptedException | NumberFormatException e) {
      return 100; // Linux's USER_HZ on every common configuration
    }
  }

  private static String loadAvg() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static List<Path> imageFiles(Path media) throws IOException {
    if (media != null) {
      try (Stream<Path> files = Files.list(media)) {
        List<Path> l = files.filter(p -> p.toString().matches("(?i).*\\.(jpe?g|png)$")).sorted().toList();
        if (l.isEmpty()) {
          throw new IllegalArgumentException("no .jpg/.png files in " + media);
        }
        return l;
      }
    }
    Path dir = Files.createTempDirectory("bindspace-concurrency");
    dir.toFile().deleteOnExit();
    Random r = new Random(5);
    List<Path> l = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      BufferedImage img = new BufferedImage(384, 384, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = img.createGraphics();
      g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
      g.fillRect(0, 0, 384, 384);
      for (int k = 0; k < 30; k++) {
        g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
        g.fillOval(r.nextInt(384), r.nextInt(384), 10 + r.nextInt(150), 10 + r.nextInt(150));
      }
      g.dispose();
      Path p = dir.resolve("gen" + i + ".jpg");
      ImageIO.write(img, "jpg", p.toFile());
      p.toFile().deleteOnExit();
      l.add(p);
    }
    return l;
  }
}
