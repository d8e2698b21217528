package dev.bindspace.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtSession;
import dev.bindspace.Embedding;
import dev.bindspace.MediaKind;
import dev.bindspace.onnx.OnnxRuntimeOptions.ExecutionMode;
import dev.bindspace.onnx.internal.OrtRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Every session option is validated, reaches ORT's session options, and a session opens and runs with it. */
class RuntimeOptionsTest {

  @Test
  void should_default_to_the_available_processors_and_no_spinning() {
    OnnxRuntimeOptions d = OnnxRuntimeOptions.defaults();
    assertThat(d.intraOpThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(d.weightPrepacking()).isTrue();
    assertThat(d.memoryPatterns()).isTrue();
    assertThat(d.intraOpSpinning()).isFalse();
    assertThat(d.executionMode()).isEqualTo(ExecutionMode.SEQUENTIAL);
    assertThat(d.denormalsAsZero()).isFalse();
    assertThat(d.toString()).contains("weightPrepacking=true", "intraOpSpinning=false", "executionMode=SEQUENTIAL");
  }

  @Test
  void should_refuse_an_inter_op_pool_that_sequential_execution_never_uses() {
    assertThatThrownBy(() -> OnnxRuntimeOptions.builder().interOpThreads(2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interOpThreads = 2").hasMessageContaining("executionMode(PARALLEL)");
    assertThat(OnnxRuntimeOptions.builder().interOpThreads(2).executionMode(ExecutionMode.PARALLEL).build()
        .interOpThreads()).isEqualTo(2);
    assertThatThrownBy(() -> OnnxRuntimeOptions.builder().executionMode(null))
        .isInstanceOf(NullPointerException.class).hasMessage("mode");
  }

  @Test
  void should_copy_every_value_with_from() {
    OnnxRuntimeOptions o = OnnxRuntimeOptions.builder().intraOpThreads(3).weightPrepacking(false)
        .memoryPatterns(false).intraOpSpinning(false).executionMode(ExecutionMode.PARALLEL).interOpThreads(2)
        .denormalsAsZero(true).maxBatchSize(5).build();
    assertThat(OnnxRuntimeOptions.builder().from(o).build().toString()).isEqualTo(o.toString());
  }

  @Test
  void should_write_the_ort_config_keys() {
    OnnxRuntimeOptions on = OnnxRuntimeOptions.builder().executionProvider(OnnxRuntimeOptions.ExecutionProvider.CPU)
        .intraOpSpinning(true).build();
    OnnxRuntimeOptions off = OnnxRuntimeOptions.builder().executionProvider(OnnxRuntimeOptions.ExecutionProvider.CPU)
        .weightPrepacking(false).intraOpSpinning(false).denormalsAsZero(true).build();
    try (OrtSession.SessionOptions a = OrtRuntime.sessionOptions(on, new String[1]);
         OrtSession.SessionOptions b = OrtRuntime.sessionOptions(off, new String[1])) {
      assertThat(a.getConfigEntries()).containsAllEntriesOf(Map.of(OrtRuntime.DISABLE_PREPACKING, "0",
          OrtRuntime.INTRA_OP_SPINNING, "1", OrtRuntime.DENORMAL_AS_ZERO, "0"));
      assertThat(b.getConfigEntries()).containsAllEntriesOf(Map.of(OrtRuntime.DISABLE_PREPACKING, "1",
          OrtRuntime.INTRA_OP_SPINNING, "0", OrtRuntime.DENORMAL_AS_ZERO, "1"));
    }
  }

  @Test
  void should_open_and_run_a_session_with_each_option_and_give_the_same_embedding() {
    List<UnaryOperator<OnnxRuntimeOptions.Builder>> variants = new ArrayList<>();
    variants.add(b -> b.weightPrepacking(false));
    variants.add(b -> b.memoryPatterns(false));
    variants.add(b -> b.intraOpSpinning(true));
    variants.add(b -> b.intraOpThreads(0));
    variants.add(b -> b.executionMode(ExecutionMode.PARALLEL).interOpThreads(2));
    variants.add(b -> b.denormalsAsZero(true));
    variants.add(b -> b.intraOpThreads(1));
    variants.add(b -> b.memoryArena(false).memoryPatterns(false));
    Tensor in = Tensor.ofFloats(new long[] {6, 2000}, OnnxFixtures.genFloats(11, 12000));
    Embedding reference;
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(OnnxFixtures.standinDir())) {
      reference = model.tensorEncoder(MediaKind.IMU).embed(in);
    }
    for (UnaryOperator<OnnxRuntimeOptions.Builder> v : variants) {
      OnnxRuntimeOptions o = v.apply(OnnxRuntimeOptions.builder()).build();
      try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(OnnxFixtures.standinDir(), o)) {
        Embedding e = model.tensorEncoder(MediaKind.IMU).embed(in);
        assertThat(e.cosine(reference)).as("%s", o).isGreaterThan(0.9999);
      }
    }
  }
}
