package dev.bindspace.benchmarks;

import dev.bindspace.vision.video.VideoOptions;
import dev.bindspace.vision.video.VideoPreprocessor;
import dev.bindspace.vision.video.VideoSource;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * CPU time (all threads of the process) per preprocessed video, the load-independent companion of
 * {@link VideoPipelineBenchmark}: on a shared machine wall-clock rates move with the neighbours, CPU
 * seconds much less. {@code java -cp benchmarks/target/benchmarks.jar dev.bindspace.benchmarks.VideoCpuRun
 * CLIP VIDEO_SECONDS [runs]}; compare with {@code video_seconds_per_cpu_second} of
 * benchmarks/python/video_reference.py (which counts the ffmpeg child process too).
 */
public final class VideoCpuRun {
  private VideoCpuRun() {}

  public static void main(String[] args) {
    Path clip = Path.of(args[0]);
    double seconds = Double.parseDouble(args[1]);
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    VideoPreprocessor pre = VideoPreprocessor.of(VideoPipelineBenchmark.IMAGEBIND,
        VideoOptions.builder().decoderThreads(1).build());
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int i = 0; i < 3; i++) {
      pre.preprocess(VideoSource.of(clip)); // warm-up: JIT
    }
    long c0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      pre.preprocess(VideoSource.of(clip));
    }
    double cpu = (os.getProcessCpuTime() - c0) / 1e9 / runs;
    double wall = (System.nanoTime() - t0) / 1e9 / runs;
    System.out.printf("{\"video_seconds\": %.1f, \"runs\": %d, \"cpu_seconds_per_run\": %.3f, "
        + "\"video_seconds_per_cpu_second\": %.2f, \"wall_rate\": %.2f}%n", seconds, runs, cpu, seconds / cpu,
        seconds / wall);
  }
}
