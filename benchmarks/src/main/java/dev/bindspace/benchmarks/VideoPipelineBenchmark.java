package dev.bindspace.benchmarks;

import dev.bindspace.onnx.Preprocessing;
import dev.bindspace.onnx.Tensor;
import dev.bindspace.vision.video.VideoOptions;
import dev.bindspace.vision.video.VideoPreprocessor;
import dev.bindspace.vision.video.VideoSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Video seconds processed per second by ImageBind's video preprocessing: FFmpeg decode (1 decoder
 * thread) of every frame, the demux-only frame count, 5 clips × 2 frames sampled, the 10 frames
 * converted to rgb24, resized (short side 224, bilinear), normalised and cut into 3 crops →
 * {@code (15, 3, 2, 224, 224)}. No model. One operation is one whole file; the
 * {@code videoSeconds} counter is reported by JMH as video seconds per second.
 *
 * <p>The clip is {@code -Dbindspace.video.clip=PATH} (benchmarks/video-bench.sh makes a 640×360
 * 30 fps H.264 one with the ffmpeg CLI and runs the Python reference on the same file).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 10)
@Threads(1)
public class VideoPipelineBenchmark {
  static final Preprocessing.Video IMAGEBIND = new Preprocessing.Video(2.0, 5, 2, 224,
      Preprocessing.ResizeMode.SHORTER_SIDE_BILINEAR, Preprocessing.CropMode.THREE_CROPS, 3,
      List.of(0.48145466, 0.4578275, 0.40821073), List.of(0.26862954, 0.26130258, 0.27577711));

  private VideoPreprocessor pre;
  private VideoSource source;
  private double seconds;

  /** Video seconds processed, reported by JMH as a rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public double videoSeconds;
  }

  @Setup(Level.Trial)
  public void setup() {
    String clip = System.getProperty("bindspace.video.clip", "benchmarks/target/video/bench-640x360-30.mp4");
    Path p = Path.of(clip);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("no benchmark clip at " + p.toAbsolutePath()
          + "; run benchmarks/video-bench.sh or pass -Dbindspace.video.clip=PATH");
    }
    pre = VideoPreprocessor.of(IMAGEBIND, VideoOptions.builder().decoderThreads(1).build());
    source = VideoSource.of(p);
    seconds = Double.parseDouble(System.getProperty("bindspace.video.seconds", "NaN"));
    Tensor t = pre.preprocess(source);
    if (t.shape()[0] != 15 || !Double.isFinite(seconds)) {
      throw new IllegalStateException("unexpected tensor " + t + " or missing -Dbindspace.video.seconds");
    }
    System.out.println("# verified: " + t + " from " + p);
  }

  @Benchmark
  public Tensor preprocess(Counters c) {
    Tensor t = pre.preprocess(source);
    c.videoSeconds += seconds;
    return t;
  }
}
