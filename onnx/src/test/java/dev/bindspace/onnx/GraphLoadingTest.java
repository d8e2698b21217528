package dev.bindspace.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindspace.MediaKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OnnxRuntimeOptions.GraphLoading#ON_FIRST_USE}: sessions appear on the first run, not at open. */
class GraphLoadingTest {
  private static final OnnxRuntimeOptions LAZY =
      OnnxRuntimeOptions.builder().graphLoading(OnnxRuntimeOptions.GraphLoading.ON_FIRST_USE).build();

  @Test
  void should_load_each_graph_on_its_first_run_and_give_the_eager_numbers() {
    try (OnnxEmbeddingModel eager = OnnxEmbeddingModel.open(OnnxFixtures.standinDir());
         OnnxEmbeddingModel lazy = OnnxEmbeddingModel.open(OnnxFixtures.standinDir(), LAZY)) {
      assertThat(lazy.describe()).contains("loads on first use");
      assertThat(eager.describe()).doesNotContain("loads on first use");
      TensorEncoder imu = lazy.tensorEncoder(MediaKind.IMU);
      long[] shape = imu.viewShape();
      float[] x = OnnxFixtures.genFloats(7, (int) (shape[0] * shape[1]));
      float[] got = imu.encode(Tensor.ofFloats(shape, x)).raw().toArray();
      float[] want = eager.tensorEncoder(MediaKind.IMU).encode(Tensor.ofFloats(shape, x)).raw().toArray();
      assertThat(got).containsExactly(want);
      String d = lazy.describe();
      assertThat(d.lines().filter(l -> l.contains("graph imu")).findFirst().orElseThrow())
          .doesNotContain("loads on first use");
      assertThat(d.lines().filter(l -> l.contains("graph depth")).findFirst().orElseThrow())
          .contains("loads on first use");
    }
  }

  @Test
  void should_load_once_when_many_threads_run_first() throws Exception {
    try (Bundle b = Bundle.open(OnnxFixtures.standinDir());
         OnnxGraph g = OnnxGraph.open(b, b.manifest().graphs().get(MediaKind.IMU), LAZY)) {
      assertThat(g.loaded()).isFalse();
      float[] x = OnnxFixtures.genFloats(3, g.itemSize());
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<float[]>> runs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          runs.add(pool.submit(() -> g.runFloats(x, 1)));
        }
        float[] first = runs.get(0).get();
        for (Future<float[]> f : runs) {
          assertThat(f.get()).containsExactly(first);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(g.loaded()).isTrue();
    }
  }

  @Test
  void should_report_a_broken_graph_on_its_first_run_naming_it(@TempDir Path dir) throws Exception {
    Path garbage = Files.write(dir.resolve("imu.onnx"), "not an onnx graph".getBytes());
    GraphSpec spec;
    try (Bundle b = Bundle.open(OnnxFixtures.standinDir())) {
      spec = b.manifest().graphs().get(MediaKind.IMU);
    }
    assertThatThrownBy(() -> OnnxGraph.open(garbage, spec, OnnxRuntimeOptions.defaults(), "eager imu"))
        .isInstanceOf(BundleException.class).hasMessageContaining("eager imu");
    try (OnnxGraph g = OnnxGraph.open(garbage, spec, LAZY, "lazy imu")) {
      assertThat(g.loaded()).isFalse();
      float[] x = new float[g.itemSize()];
      assertThatThrownBy(() -> g.runFloats(x, 1))
          .isInstanceOf(BundleException.class).hasMessageContaining("lazy imu").hasMessageContaining("cannot load");
      assertThat(g.loaded()).isFalse();
    }
    assertThatThrownBy(() -> OnnxGraph.open(dir.resolve("absent.onnx"), spec, LAZY, "absent"))
        .isInstanceOf(BundleException.class).hasMessageContaining("does not exist");
  }

  @Test
  void should_close_an_unloaded_graph_and_refuse_runs_after(@TempDir Path dir) {
    try (Bundle b = Bundle.open(OnnxFixtures.standinDir())) {
      OnnxGraph g = OnnxGraph.open(b, b.manifest().graphs().get(MediaKind.IMU), LAZY);
      g.close();
      g.close();
      assertThat(g.loaded()).isFalse();
      assertThatThrownBy(() -> g.runFloats(new float[g.itemSize()], 1)).isInstanceOf(IllegalStateException.class);
      assertThat(g.loaded()).isFalse();
    }
  }
}
