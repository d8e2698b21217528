package dev.bindspace.benchmarks;

import dev.bindspace.onnx.Preprocessing;
import dev.bindspace.vision.ImageDecoder;
import dev.bindspace.vision.ImagePreprocessor;
import dev.bindspace.vision.RgbImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Images per second on one thread for what the VISION encoder does before ONNX: decode a 1024×768 file
 * from bytes in memory ({@link ImageDecoder}) and make ImageBind's {@code (3, 224, 224)} tensor
 * ({@link ImagePreprocessor#tensor}: Pillow bicubic resize, centre crop, normalise). Each operation
 * takes the next of 8 files. {@code benchmarks/vision.sh} makes the files, runs this pinned to one CPU
 * and runs the Python reference (Pillow + torchvision) on the same files and CPU. Files:
 * {@code -Dbindspace.visionBench=DIR} with {@code img0..7.jpg/png}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:CICompilerCount=2"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
@Threads(1)
public class ImagePreprocessBenchmark {
  @Param({"jpeg", "png"})
  public String format;

  private byte[][] files;
  private int next;
  private final ImagePreprocessor pre = ImagePreprocessor.of(new Preprocessing.Image(3, 224,
      Preprocessing.ResizeMode.SHORTER_SIDE_BICUBIC_PIL, Preprocessing.CropMode.CENTER,
      List.of(0.48145466, 0.4578275, 0.40821073), List.of(0.26862954, 0.26130258, 0.27577711)));

  @Setup
  public void setup() {
    Path dir = Path.of(System.getProperty("bindspace.visionBench", "benchmarks/target/vision-data"));
    String ext = format.equals("jpeg") ? "jpg" : "png";
    files = new byte[8][];
    try {
      for (int i = 0; i < 8; i++) {
        files[i] = Files.readAllBytes(dir.resolve("img" + i + "." + ext));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("run benchmarks/vision.sh (it writes the images) or set -Dbindspace.visionBench", e);
    }
    for (byte[] f : files) { // verify before timing
      RgbImage img = ImageDecoder.defaults().decode(f, "bench");
      if (img.width() != 1024 || img.height() != 768 || pre.tensor(img).length != 3 * 224 * 224) {
        throw new IllegalStateException("unexpected benchmark image " + img);
      }
    }
  }

  @Benchmark
  public float[] decodeAndPreprocess() {
    byte[] f = files[next++ & 7];
    return pre.tensor(ImageDecoder.defaults().decode(f, "bench"));
  }
}
