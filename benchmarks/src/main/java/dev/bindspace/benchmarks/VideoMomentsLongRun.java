package dev.bindspace.benchmarks;

import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.Preprocessing;
import dev.bindspace.onnx.Tensor;
import dev.bindspace.vision.video.VideoEncoder;
import dev.bindspace.vision.video.VideoOptions;
import dev.bindspace.vision.video.VideoPreprocessor;
import dev.bindspace.vision.video.VideoSource;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.List;

/**
 * Memory check for long videos (not JMH): preprocesses a long file with ImageBind's profile and,
 * given a bundle with a video graph, embeds it as moments (2 s windows every 2 s); prints the time
 * and the peak heap, to show that memory does not grow with the length. Run with a small heap:
 *
 * <pre>
 * ffmpeg -f lavfi -i testsrc=size=64x36:rate=30:duration=7200 -c:v libx264 -preset ultrafast long.mp4
 * java -Xmx64m -cp benchmarks/target/benchmarks.jar dev.bindspace.benchmarks.VideoMomentsLongRun long.mp4 \
 *     encoders-vision/src/test/resources/video/bundles/mini-video
 * </pre>
 */
public final class VideoMomentsLongRun {
  private VideoMomentsLongRun() {}

  public static void main(String[] args) {
    Path clip = Path.of(args[0]);
    Preprocessing.Video p = VideoPipelineBenchmark.IMAGEBIND;
    VideoPreprocessor pre = VideoPreprocessor.of(p, VideoOptions.defaults());
    long t0 = System.nanoTime();
    Tensor t = pre.preprocess(VideoSource.of(clip));
    double s = (System.nanoTime() - t0) / 1e9;
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf("%s: %s in %.1f s, max heap %d MB, peak heap used (sum of pools) %.1f MB%n", clip, t, s,
        Runtime.getRuntime().maxMemory() >> 20, peak / 1048576.0);
    List.of(t); // keep the tensor reachable until after the measurement
    if (args.length > 1) {
      try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(Path.of(args[1]));
          VideoEncoder enc = VideoEncoder.of(model, VideoOptions.defaults())) {
        long[] n = {0};
        double[] last = {0};
        t0 = System.nanoTime();
        enc.moments(2.0, 2.0).stream(VideoSource.of(clip), m -> {
          n[0]++;
          last[0] = m.endSeconds();
        });
        s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("moments: %d windows up to %.1f s in %.1f s, peak heap used %.1f MB%n", n[0], last[0], s,
            peakHeap() / 1048576.0);
      }
    }
  }

  private static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}
