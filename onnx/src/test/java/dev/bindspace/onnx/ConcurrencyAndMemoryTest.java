package dev.bindspace.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.Embedding;
import dev.bindspace.MediaKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyAndMemoryTest {

  @Test
  void should_give_identical_results_from_8_threads_and_from_one() throws Exception {
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(OnnxFixtures.standinDir())) {
      TensorEncoder imu = model.tensorEncoder(MediaKind.IMU);
      TensorEncoder image = model.tensorEncoder(MediaKind.IMAGE);
      List<Tensor> imuIn = new ArrayList<>();
      List<Tensor> imageIn = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        imuIn.add(Tensor.ofFloats(new long[] {6, 2000}, OnnxFixtures.genFloats(100 + i, 6 * 2000)));
        imageIn.add(Tensor.ofFloats(new long[] {3, 224, 224}, OnnxFixtures.genFloats(200 + i, 3 * 224 * 224)));
      }
      List<Embedding> imuRef = imu.embedAll(imuIn);
      List<Embedding> imageRef = image.embedRawAll(imageIn);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Boolean>> fs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          fs.add(pool.submit(() -> {
            boolean same = true;
            for (int rep = 0; rep < 10; rep++) {
              same &= imu.embedAll(imuIn).equals(imuRef);
              same &= image.embedRawAll(imageIn).equals(imageRef);
            }
            return same;
          }));
        }
        for (Future<Boolean> f : fs) {
          assertThat(f.get()).as("bit-identical to the single-thread result").isTrue();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void should_keep_native_memory_flat_over_500_open_close_cycles(@TempDir Path tmp) throws Exception {
    // a one-graph bundle (the thermal graph) keeps 500 cycles within seconds; a leak is per session either way
    Path dir = OnnxFixtures.copyStandin(tmp);
    ObjectNode m = OnnxFixtures.readManifest(dir);
    ObjectNode graphs = (ObjectNode) m.get("graphs");
    graphs.retain("thermal");
    OnnxFixtures.writeManifest(dir, m);
    float[] map = OnnxFixtures.genFloats(1, 224 * 224);
    Tensor input = Tensor.ofFloats(new long[] {1, 224, 224}, map);
    // single-threaded sessions: ORT's per-session thread pools would add malloc-arena noise
    OnnxRuntimeOptions options = OnnxRuntimeOptions.builder().intraOpThreads(1).interOpThreads(1).build();
    Runnable cycle = () -> {
      try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(dir, options)) {
        model.tensorEncoder(MediaKind.THERMAL).embed(input);
      }
    };
    // Warm-up: ORT arenas, class loading, JIT code and malloc arenas make RSS climb by 30-80 MB over the first
    // few hundred cycles, in steps (measured by hand over 2,000 cycles from a fresh JVM: a plateau after ~500
    // cycles, then swings of about +-20 MB with no trend).
    for (int i = 0; i < 600; i++) {
      cycle.run();
    }
    // 500 measured cycles in 10 rounds; a leak raises the floor of RSS, allocator noise only swings around it,
    // so compare the lowest of the first three samples with the lowest of the last three.
    long[] samples = new long[11];
    System.gc();
    samples[0] = OnnxFixtures.rssKb();
    long start = System.nanoTime();
    for (int round = 1; round <= 10; round++) {
      for (int i = 0; i < 50; i++) {
        cycle.run();
      }
      System.gc();
      samples[round] = OnnxFixtures.rssKb();
    }
    long first = Math.min(samples[0], Math.min(samples[1], samples[2]));
    long last = Math.min(samples[8], Math.min(samples[9], samples[10]));
    System.out.printf(Locale.ROOT, "500 open/embed/close cycles of a one-graph bundle (after 600 warm-up): RSS kB "
        + "every 50 cycles %s; floor %d -> %d (%+d kB), %.1f s%n", java.util.Arrays.toString(samples), first, last,
        last - first, (System.nanoTime() - start) / 1e9);
    // the heap is fixed and pre-touched (onnx/pom.xml), so RSS tracks native memory. A leak of ~100 kB per
    // cycle (one small session) would raise the floor by ~40 MB over the 400 cycles between the windows.
    assertThat(last - first).as("RSS floor growth in kB").isLessThan(24 * 1024);
  }
}
