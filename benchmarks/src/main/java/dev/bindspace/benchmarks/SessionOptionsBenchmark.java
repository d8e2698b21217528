package dev.bindspace.benchmarks;

import dev.bindspace.Embedding;
import dev.bindspace.Encoder;
import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.mini.BindspaceMini;
import dev.bindspace.onnx.EmbeddingResult;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxRuntimeOptions;
import dev.bindspace.onnx.Tensor;
import dev.bindspace.onnx.TensorEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What each {@link OnnxRuntimeOptions} knob does on bindspace-mini, model stage only (no decoding):
 * a batch of 8 preprocessed image views through the image graph, and 8 short texts through the
 * MiniLM text graph (tokenising included, it is ~1 % of the time). One caller thread.
 *
 * <pre>{@code java -jar benchmarks/target/benchmarks.jar SessionOptionsBenchmark}</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1)
public class SessionOptionsBenchmark {
  @Param({"default", "ortDefaults", "intra1", "intra2", "spin", "noPrepack", "noMemPattern", "daz", "parallel"})
  public String options;

  private OnnxEmbeddingModel model;
  private TensorEncoder image;
  private Encoder<String> text;
  private List<Tensor> views;
  private List<String> texts;

  static OnnxRuntimeOptions options(String name) {
    OnnxRuntimeOptions.Builder b = OnnxRuntimeOptions.builder();
    return switch (name) {
      case "default" -> b.build(); // bindspace's: intra-op = available processors, no spinning
      case "ortDefaults" -> b.intraOpThreads(0).intraOpSpinning(true).build(); // ORT's own, bindspace's before issue 10
      case "intra1" -> b.intraOpThreads(1).build();
      case "intra2" -> b.intraOpThreads(2).build();
      case "spin" -> b.intraOpSpinning(true).build();
      case "noPrepack" -> b.weightPrepacking(false).build();
      case "noMemPattern" -> b.memoryPatterns(false).build();
      case "daz" -> b.denormalsAsZero(true).build();
      case "parallel" -> b.executionMode(OnnxRuntimeOptions.ExecutionMode.PARALLEL).build();
      default -> throw new IllegalArgumentException("unknown options preset " + name);
    };
  }

  @Setup(Level.Trial)
  public void setUp() {
    model = BindspaceMini.open(options(options));
    image = model.tensorEncoder(MediaKind.IMAGE);
    text = model.encoder(Modality.TEXT, String.class);
    Random r = new Random(3);
    views = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      float[] v = new float[3 * 64 * 64];
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) r.nextGaussian();
      }
      views.add(Tensor.ofFloats(new long[] {3, 64, 64}, v));
    }
    texts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      texts.add("a photo of a dog number " + i + " playing in the park with a red ball");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    model.close();
  }

  @Benchmark
  public List<EmbeddingResult> imageBatch8() {
    return image.encodeAll(views);
  }

  @Benchmark
  public List<Embedding> textBatch8() {
    return text.embedAll(texts);
  }
}
