package dev.bindspace.vision.video;

import dev.bindspace.onnx.EmbeddingResult;
import dev.bindspace.onnx.Tensor;
import dev.bindspace.vision.internal.video.ClipAssembler;
import dev.bindspace.vision.internal.video.ClipPlan;
import dev.bindspace.vision.internal.video.FrameSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A long video as a sequence of embedded windows, so that one can search inside a film: windows of
 * {@code windowSeconds} start every {@code strideSeconds} ({@code 0, stride, 2·stride, …}) while
 * they fit, plus one last window ending at the end when the grid leaves a tail; a video shorter
 * than a window gives one moment over all of it. Each window is sampled like one clip of the
 * encoder's profile ({@code frames_per_clip} frames by {@code UniformTemporalSubsample} over frames
 * {@code ceil(fps·start) … ceil(fps·end) − 1}), cut into {@code crops_per_clip} crops, and the
 * crops' embeddings averaged.
 *
 * <p>The file is decoded once, front to back; only the frames of windows not yet embedded are held,
 * and at most {@link VideoOptions#clipsInFlight()} windows wait for the graph, so memory stays
 * bounded for any length.
 *
 * <pre>{@code
 * try (VideoEncoder videos = VideoEncoder.of(model, VideoOptions.defaults())) {
 *   videos.moments(2.0, 1.0).stream(VideoSource.of(film), m ->
 *       index.add(film + "@" + m.startSeconds(), m.embedding()));
 * }
 * }</pre>
 */
public final class VideoMoments {
  private final VideoEncoder encoder;
  private final double window;
  private final double stride;

  VideoMoments(VideoEncoder encoder, double windowSeconds, double strideSeconds) {
    if (!(windowSeconds > 0 && Double.isFinite(windowSeconds))) {
      throw new IllegalArgumentException("windowSeconds must be positive and finite, found " + windowSeconds);
    }
    if (!(strideSeconds > 0 && Double.isFinite(strideSeconds))) {
      throw new IllegalArgumentException("strideSeconds must be positive and finite, found " + strideSeconds);
    }
    this.encoder = encoder;
    this.window = windowSeconds;
    this.stride = strideSeconds;
  }

  public double windowSeconds() {
    return window;
  }

  public double strideSeconds() {
    return stride;
  }

  /** All moments of {@code source}, in time order. */
  public List<Moment> embed(VideoSource source) {
    List<Moment> out = new ArrayList<>();
    stream(source, out::add);
    return out;
  }

  /**
   * Embeds {@code source} window by window, handing each moment to {@code sink} in time order as
   * soon as its batch is through the graph.
   *
   * @throws VideoDecodeException if the video cannot be decoded (moments already delivered stay delivered)
   */
  public void stream(VideoSource source, Consumer<Moment> sink) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sink, "sink");
    int t = encoder.profile().framesPerClip();
    int s = encoder.profile().size();
    int crops = encoder.transform().crops();
    int batch = encoder.options().clipsInFlight();
    java.util.function.Function<VideoInfo, ClipPlan> planner =
        info -> ClipPlan.windows(info.frameCount(), info.fps(), window, stride, t);
    try (FrameSource frames = encoder.open(source, planner)) {
      ClipPlan plan = planner.apply(frames.info());
      List<Tensor> pending = new ArrayList<>(batch);
      List<ClipPlan.Clip> bounds = new ArrayList<>(batch);
      new ClipAssembler().run(frames, plan, encoder.transform(), t, (k, clip, data) -> {
        pending.add(Tensor.ofFloats(new long[] {crops, 3, t, s, s}, data));
        bounds.add(clip);
        if (pending.size() == batch) {
          flush(pending, bounds, sink);
        }
      });
      flush(pending, bounds, sink);
    }
  }

  private void flush(List<Tensor> pending, List<ClipPlan.Clip> bounds, Consumer<Moment> sink) {
    if (pending.isEmpty()) {
      return;
    }
    List<EmbeddingResult> rs = encoder.tensorEncoder().encodeAll(pending);
    for (int i = 0; i < rs.size(); i++) {
      ClipPlan.Clip c = bounds.get(i);
      sink.accept(new Moment(c.startSeconds(), c.endSeconds(), rs.get(i)));
    }
    pending.clear();
    bounds.clear();
  }

  @Override
  public String toString() {
    return "VideoMoments[window " + window + " s, stride " + stride + " s]";
  }
}
