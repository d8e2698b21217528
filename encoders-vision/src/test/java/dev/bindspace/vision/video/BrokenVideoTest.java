package dev.bindspace.vision.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bindspace.EncodingException;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100 broken video files (truncations of valid clips, empty files, random bytes and bare headers
 * with video extensions) each give a {@link VideoDecodeException} naming the file, never a crash or
 * a hang; a stalled decode times out; an unknown codec is named.
 */
class BrokenVideoTest {
  private static OnnxEmbeddingModel model;
  private static VideoEncoder encoder;

  @BeforeAll
  static void open() {
    // keep FFmpeg's complaints about the broken files off the test log
    org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL);
    model = OnnxEmbeddingModel.open(VideoFixtures.bundle("mini-video"));
    encoder = VideoEncoder.of(model, VideoOptions.builder().stallTimeout(Duration.ofSeconds(20)).build());
  }

  @AfterAll
  static void close() {
    org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_INFO);
    encoder.close();
    model.close();
  }

  @Test
  void should_refuse_100_broken_files_with_typed_errors_naming_them(@TempDir Path dir) throws Exception {
    long seed = 20261128L;
    System.out.println("BrokenVideoTest seed " + seed);
    Random rnd = new Random(seed);
    List<Path> files = new ArrayList<>();
    files.addAll(truncations(dir, "h264_64x48_25", 45, 0.98));
    files.addAll(truncations(dir, "h264_80x60_15", 25, 0.7));
    files.addAll(truncations(dir, "vp9_48x64_30", 10, 0.7));
    for (String ext : List.of("mp4", "webm", "mkv", "mov", "avi")) {
      files.add(Files.write(dir.resolve("empty." + ext), new byte[0]));
    }
    for (int i = 0; i < 10; i++) {
      byte[] junk = new byte[256 + rnd.nextInt(8192)];
      rnd.nextBytes(junk);
      String ext = List.of("mp4", "webm", "mkv", "mov", "avi").get(i % 5);
      files.add(Files.write(dir.resolve("random-" + i + "." + ext), junk));
    }
    for (String name : List.of("h264_64x48_25", "h264_80x60_15", "vp8_64x48_24", "mpeg4_64x48_25",
        "mjpeg_64x48_20")) {
      byte[] all = Files.readAllBytes(VideoFixtures.clip(name));
      String ext = VideoFixtures.clip(name).getFileName().toString().replaceAll(".*\\.", "");
      files.add(Files.write(dir.resolve("header-" + name + "." + ext), Arrays.copyOf(all, 48)));
    }
    assertThat(files).hasSize(100);
    int typed = 0;
    List<String> failures = new ArrayList<>();
    for (Path f : files) {
      try {
        encoder.embed(VideoSource.of(f));
        failures.add(f.getFileName() + ": embedded without error");
      } catch (VideoDecodeException e) {
        if (e.getMessage().contains(f.toString())) {
          typed++;
        } else {
          failures.add(f.getFileName() + ": message does not name the file: " + e.getMessage());
        }
      } catch (RuntimeException e) {
        failures.add(f.getFileName() + ": untyped " + e);
      }
    }
    System.out.println("broken files: " + typed + " of " + files.size() + " refused with a VideoDecodeException");
    assertThat(failures).isEmpty();
    assertThat(typed).isEqualTo(100);
    assertDecodeThreadsEnd();
  }

  private static List<Path> truncations(Path dir, String name, int count, double upTo) throws Exception {
    Path clip = VideoFixtures.clip(name);
    byte[] all = Files.readAllBytes(clip);
    String ext = clip.getFileName().toString().replaceAll(".*\\.", "");
    List<Path> out = new ArrayList<>();
    int limit = (int) Math.min(all.length - 1, Math.round(all.length * upTo));
    for (int i = 0; i < count; i++) {
      int len = 1 + (int) ((long) i * (limit - 1) / Math.max(1, count - 1));
      out.add(Files.write(dir.resolve("trunc-" + name + "-" + len + "." + ext), Arrays.copyOf(all, len)));
    }
    return out;
  }

  @Test
  void should_name_an_unsupported_codec(@TempDir Path dir) throws Exception {
    byte[] mkv = Files.readAllBytes(VideoFixtures.clip("h264_80x60_15"));
    byte[] from = "V_MPEG4/ISO/AVC".getBytes(StandardCharsets.US_ASCII);
    byte[] to = "V_MPEG4/ISO/XYZ".getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(mkv, from);
    assertThat(at).as("codec id in the fixture").isGreaterThanOrEqualTo(0);
    System.arraycopy(to, 0, mkv, at, to.length);
    Path f = Files.write(dir.resolve("unknown-codec.mkv"), mkv);
    assertThatThrownBy(() -> encoder.embed(VideoSource.of(f)))
        .isInstanceOf(VideoDecodeException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("unsupported video codec");
  }

  @Test
  void should_refuse_a_missing_file_and_a_directory(@TempDir Path dir) {
    assertThatThrownBy(() -> encoder.embed(VideoSource.of(dir.resolve("nope.mp4"))))
        .isInstanceOf(EncodingException.class).hasMessageContaining("nope.mp4").hasMessageContaining("no such file");
    assertThatThrownBy(() -> encoder.embed(VideoSource.of(dir)))
        .isInstanceOf(VideoDecodeException.class).hasMessageContaining("directory");
  }

  @Test
  void should_time_out_a_stalled_decode_instead_of_hanging(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("stalled.mkv");
    Process p;
    try {
      p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    } catch (java.io.IOException e) {
      assumeTrue(false, "mkfifo is not available: " + e.getMessage());
      return;
    }
    assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo failed");
    byte[] head = Arrays.copyOf(Files.readAllBytes(VideoFixtures.clip("h264_80x60_15")), 1500);
    Object lock = new Object();
    boolean[] release = {false};
    Thread writer = new Thread(() -> {
      try (OutputStream out = Files.newOutputStream(fifo)) {
        out.write(head);
        out.flush();
        synchronized (lock) {
          while (!release[0]) {
            lock.wait();
          }
        }
      } catch (Exception e) {
        // the reader went away
      }
    }, "fifo-writer");
    writer.setDaemon(true);
    writer.start();
    try (VideoEncoder quick = VideoEncoder.of(model, VideoOptions.builder().stallTimeout(Duration.ofMillis(1500))
        .build())) {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> quick.embed(VideoSource.of(fifo)))
          .isInstanceOf(VideoTimeoutException.class)
          .hasMessageContaining(fifo.toString());
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("stalled decode gave up after %.2f s (stall timeout 1.5 s)%n", seconds);
      assertThat(seconds).isLessThan(15);
    } finally {
      synchronized (lock) {
        release[0] = true;
        lock.notifyAll();
      }
      writer.join(10_000);
    }
    assertDecodeThreadsEnd();
  }

  /** Every decode worker ends (and so has closed its natives) once its decode failed. */
  private static void assertDecodeThreadsEnd() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (Thread.getAllStackTraces().keySet().stream()
          .noneMatch(t -> t.getName().startsWith("bindspace-video-decode-") && t.isAlive())) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("decode worker threads still alive: " + Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("bindspace-video-decode-")).map(Thread::getName).toList());
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
