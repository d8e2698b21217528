package dev.bindspace.benchmarks;

import dev.bindspace.Embedding;
import dev.bindspace.Encoder;
import dev.bindspace.Modality;
import dev.bindspace.audio.AudioInput;
import dev.bindspace.mini.BindspaceMini;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxRuntimeOptions;
import dev.bindspace.vision.VisionInput;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * bindspace-mini's speed targets (issue 7: at most 10 ms per image and 20 ms per 2 s audio clip on
 * one core): file to joint embedding through the shipped bundle, ONNX Runtime with one intra-op
 * thread, one calling thread. Run pinned to one core:
 * {@code taskset -c 1 java -jar benchmarks/target/benchmarks.jar MiniModelBenchmark
 * -Dbindspace.examples.media=examples/media}; {@code -p bundle=DIR} measures another bundle directory of the
 * same model (e.g. the int8 copy made by tools/imagebind-export/quantize.py).
 *
 * <ul>
 *   <li>{@code image}: a 384x384 JPEG photo (decode, Pillow-exact bicubic to 64 px, crop, graph);
 *   <li>{@code audioClip}: a 2.0 s 16 kHz WAV (a tone in noise, written at setup): decode, the
 *       model's 3 clips of 2 s (all the same clip for a 2 s file), 64-mel fbank, graph;
 *   <li>{@code video}: a 4 s 320x240 H.264 clip (decode, 5 clips x 2 frames, graph), for reference.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MiniModelBenchmark {
  /** A bundle directory to measure instead of the shipped one (e.g. an int8 copy by quantize.py); "" = shipped. */
  @Param({""})
  public String bundle;

  private OnnxEmbeddingModel model;
  private Encoder<VisionInput> vision;
  private Encoder<AudioInput> audio;
  private Path image;
  private Path clip;
  private Path video;
  private Path tmp;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path media = Path.of(System.getProperty("bindspace.examples.media", "examples/media"));
    image = media.resolve("images/dog.jpg");
    video = media.resolve("video/dog.mp4");
    // a 2.0 s clip cut from a sample recording (the file's own length is what the clip rule sees)
    tmp = Files.createTempDirectory("mini-bench");
    clip = tmp.resolve("clip2s.wav");
    float[] pcm = new float[32000];
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 16000.0) + 0.05 * r.nextGaussian());
    }
    writeWav(clip, pcm, 16000);
    OnnxRuntimeOptions opts = OnnxRuntimeOptions.builder().intraOpThreads(1).interOpThreads(1).build();
    model = bundle.isEmpty() ? BindspaceMini.open(opts) : OnnxEmbeddingModel.open(Path.of(bundle), opts);
    vision = model.encoder(Modality.VISION, VisionInput.class);
    audio = model.encoder(Modality.AUDIO, AudioInput.class);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    model.close();
    Files.deleteIfExists(clip);
    Files.deleteIfExists(tmp);
  }

  @Benchmark
  public Embedding image() {
    return vision.embed(VisionInput.file(image));
  }

  @Benchmark
  public Embedding audioClip() {
    return audio.embed(AudioInput.file(clip));
  }

  @Benchmark
  public Embedding video() {
    return vision.embed(VisionInput.video(video));
  }

  static void writeWav(Path p, float[] pcm, int rate) throws java.io.IOException {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + 2 * pcm.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + 2 * pcm.length)
        .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
        .putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16)
        .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(2 * pcm.length);
    for (float v : pcm) {
      b.putShort((short) Math.round(Math.max(-1, Math.min(1, v)) * 32767));
    }
    Files.write(p, b.array());
  }
}
