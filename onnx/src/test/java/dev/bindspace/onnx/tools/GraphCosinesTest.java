package dev.bindspace.onnx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindspace.MediaKind;
import dev.bindspace.onnx.Bundle;
import dev.bindspace.onnx.GraphSpec;
import dev.bindspace.onnx.OnnxRuntimeOptions;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GraphCosines (the measurement behind tools/imagebind-export/calibrate_int8.py) on the committed wide fixture
 * bundles (tools/fixtures/make_int8_fixtures.py): the float32 graph against itself gives cosine 1 for every input;
 * its int8 copy gives per-input cosines below 1 but within 0.99; float and int64 (token id) inputs both work.
 */
class GraphCosinesTest {
  private static final OnnxRuntimeOptions OPTS = OnnxRuntimeOptions.builder().intraOpThreads(1).maxBatchSize(1).build();

  @TempDir
  Path tmp;

  @Test
  void should_give_cosine_one_for_the_graph_itself_and_below_one_for_its_int8_copy() throws IOException {
    long seed = new Random().nextLong();
    System.out.println("GraphCosinesTest seed: " + seed);
    Random rnd = new Random(seed);
    int rows = 3;
    int size = 3 * 224 * 224;
    float[] v = new float[rows * size];
    for (int r = 0; r < rows; r++) {
      double scale = 0.5 + 2 * rnd.nextDouble();
      for (int i = 0; i < size; i++) {
        v[r * size + i] = (float) (scale * rnd.nextGaussian());
      }
    }
    Path npy = tmp.resolve("image.npy");
    Npy.writeFloats(npy, new long[] {rows, 3, 224, 224}, v);
    try (Bundle fp32 = Bundle.open(resource("bundles/wide-fp32"))) {
      GraphSpec spec = fp32.manifest().graph(MediaKind.IMAGE).orElseThrow();
      GraphCosines gc = new GraphCosines(fp32, spec, Npy.read(npy), OPTS);
      double[] same = gc.cosines(fp32.file(spec.file()));
      assertThat(boxed(same)).hasSize(rows).allSatisfy(c -> assertThat(c).isCloseTo(1.0, Offset.offset(1e-9)));
      double[] int8 = gc.cosines(resource("bundles/wide-int8").resolve("image.onnx"));
      assertThat(boxed(int8)).as("seed %d", seed).hasSize(rows)
          .allSatisfy(c -> assertThat(c).isGreaterThanOrEqualTo(0.99).isLessThan(1.0 - 1e-7));
      OnnxRuntimeOptions two = OnnxRuntimeOptions.builder().intraOpThreads(1).maxBatchSize(2).build();
      GraphCosines batched = new GraphCosines(fp32, spec, Npy.read(npy), two, 2);
      assertThat(boxed(batched.cosines(fp32.file(spec.file())))).hasSize(rows)
          .allSatisfy(c -> assertThat(c).isCloseTo(1.0, Offset.offset(1e-6)));
      assertThat(boxed(batched.cosines(resource("bundles/wide-int8").resolve("image.onnx")))).hasSize(rows)
          .allSatisfy(c -> assertThat(c).isGreaterThanOrEqualTo(0.99).isLessThan(1.0 - 1e-7));
      assertThatThrownBy(() -> new GraphCosines(fp32, spec, Npy.read(npy), OPTS, 2))
          .hasMessageContaining("batch 2: expected 1..1");
      assertThat(GraphCosines.json("a.onnx", int8)).startsWith("{\"graph\": \"a.onnx\", \"mean\": 0.9")
          .contains("\"cosines\": [0.9");
    }
  }

  @Test
  void should_run_token_id_inputs() throws IOException {
    long[] ids = new long[2 * 77];
    for (int r = 0; r < 2; r++) {
      ids[r * 77] = 49406;
      for (int i = 1; i <= 5 + r; i++) {
        ids[r * 77 + i] = 100 + 37L * i + r;
      }
      ids[r * 77 + 6 + r] = 49407;
    }
    Path npy = tmp.resolve("text.npy");
    Npy.writeLongs(npy, new long[] {2, 77}, ids);
    Npy.Array read = Npy.read(npy);
    assertThat(read.longs()).containsExactly(ids);
    assertThat(read.shape()).containsExactly(2, 77);
    try (Bundle fp32 = Bundle.open(resource("bundles/wide-fp32"))) {
      GraphSpec spec = fp32.manifest().graph(MediaKind.TEXT).orElseThrow();
      double[] cos = new GraphCosines(fp32, spec, read, OPTS).cosines(resource("bundles/wide-int8").resolve("text.onnx"));
      assertThat(boxed(cos)).hasSize(2).allSatisfy(c -> assertThat(c).isGreaterThanOrEqualTo(0.99).isLessThan(1.0));
    }
  }

  @Test
  void should_refuse_inputs_of_the_wrong_shape_or_type() throws IOException {
    Path floats = tmp.resolve("f.npy");
    Npy.writeFloats(floats, new long[] {2, 5}, new float[10]);
    try (Bundle fp32 = Bundle.open(resource("bundles/wide-fp32"))) {
      GraphSpec image = fp32.manifest().graph(MediaKind.IMAGE).orElseThrow();
      GraphSpec text = fp32.manifest().graph(MediaKind.TEXT).orElseThrow();
      assertThatThrownBy(() -> new GraphCosines(fp32, image, Npy.read(floats), OPTS))
          .hasMessageContaining("calibration rows have shape [5]").hasMessageContaining("[3, 224, 224]");
      assertThatThrownBy(() -> new GraphCosines(fp32, text, Npy.read(floats), OPTS))
          .hasMessageContaining("takes INT64 inputs, the calibration array holds float32");
    }
  }

  @Test
  void should_read_npy_files_written_by_numpy() throws IOException {
    // numpy.save(f, numpy.arange(6, dtype="<f4").reshape(2, 3)): header "{'descr': '<f4', 'fortran_order': False,
    // 'shape': (2, 3), }" padded to 128 bytes in all
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    String header = dict + " ".repeat(128 - 10 - dict.length() - 1) + "\n";
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
    b.write(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 6; i++) {
      data.putFloat(i);
    }
    b.write(data.array());
    Path f = tmp.resolve("np.npy");
    Files.write(f, b.toByteArray());
    Npy.Array a = Npy.read(f);
    assertThat(a.shape()).containsExactly(2, 3);
    assertThat(a.rows()).isEqualTo(2);
    assertThat(a.rowSize()).isEqualTo(3);
    assertThat(a.floats()).containsExactly(0f, 1f, 2f, 3f, 4f, 5f);
  }

  private static List<Double> boxed(double[] v) {
    return Arrays.stream(v).boxed().toList();
  }

  private static Path resource(String name) {
    try {
      return Path.of(GraphCosinesTest.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource " + name + " missing; run tools/fixtures/make_int8_fixtures.py", e);
    }
  }
}
