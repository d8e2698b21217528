package dev.bindspace.vision.video;

import dev.bindspace.onnx.Preprocessing;
import dev.bindspace.onnx.Tensor;
import dev.bindspace.vision.internal.video.ClipAssembler;
import dev.bindspace.vision.internal.video.ClipPlan;
import dev.bindspace.vision.internal.video.FrameSource;
import dev.bindspace.vision.internal.video.FrameTransform;
import dev.bindspace.vision.internal.video.ListFrameSource;
import dev.bindspace.vision.internal.video.ThreadedFfmpegSource;
import java.util.BitSet;
import java.util.Objects;
import java.util.function.Function;

/**
 * A video's model input without a model: decode, sample, resize, normalise, crop as a
 * {@code video} profile says (see {@link VideoEncoder} for the steps). Use it to check parity
 * against a Python pipeline, to feed a {@code tensor} video graph, or to measure preprocessing.
 * Stateless apart from its settings; thread-safe.
 *
 * <pre>{@code
 * VideoPreprocessor pre = VideoPreprocessor.of(profile, VideoOptions.defaults());
 * Tensor t = pre.preprocess(VideoSource.of(Path.of("clip.mp4")));   // (15, 3, 2, 224, 224) for ImageBind
 * }</pre>
 */
public final class VideoPreprocessor {
  private final Preprocessing.Video profile;
  private final VideoOptions options;
  private final FrameTransform transform;

  private VideoPreprocessor(Preprocessing.Video profile, VideoOptions options) {
    this.profile = Objects.requireNonNull(profile, "profile");
    this.options = Objects.requireNonNull(options, "options");
    this.transform = new FrameTransform(profile);
  }

  /**
   * A preprocessor for {@code profile}.
   *
   * @throws IllegalArgumentException if the crop count contradicts the crop mode ({@code three_crops}
   *     needs 3, {@code center} 1)
   */
  public static VideoPreprocessor of(Preprocessing.Video profile, VideoOptions options) {
    return new VideoPreprocessor(profile, options);
  }

  public Preprocessing.Video profile() {
    return profile;
  }

  public VideoOptions options() {
    return options;
  }

  /**
   * The model input for {@code source}: {@code (clips × crops, 3, frames, size, size)} float32,
   * views clip-major then crop (ImageBind: {@code (15, 3, 2, 224, 224)}).
   *
   * @throws VideoDecodeException if the video cannot be decoded (the message names it)
   */
  public Tensor preprocess(VideoSource source) {
    Objects.requireNonNull(source, "source");
    Function<VideoInfo, ClipPlan> planner = this::plan;
    int crops = transform.crops();
    int t = profile.framesPerClip();
    int s = profile.size();
    int viewSize = 3 * t * s * s;
    try (FrameSource frames = open(source, planner)) {
      ClipPlan plan = planner.apply(frames.info());
      int views = plan.clips().size() * crops;
      float[] all = new float[Math.multiplyExact(views, viewSize)];
      new ClipAssembler().run(frames, plan, transform, t,
          (k, clip, data) -> System.arraycopy(data, 0, all, k * crops * viewSize, data.length));
      return Tensor.ofFloats(new long[] {views, 3, t, s, s}, all);
    }
  }

  ClipPlan plan(VideoInfo info) {
    return ClipPlan.imagebind(info.frameCount(), info.fps(), profile.clipDurationSeconds(), profile.clipsPerVideo(),
        profile.framesPerClip());
  }

  FrameSource open(VideoSource source, Function<VideoInfo, ClipPlan> planner) {
    if (source.file().isPresent()) {
      return new ThreadedFfmpegSource(source.file().get(), options.decoderThreads(), options.stallTimeout(),
          info -> {
            BitSet b = ClipAssembler.wanted(planner.apply(info));
            return b::get;
          });
    }
    return new ListFrameSource(source.frames(), source.fps());
  }

  FrameTransform transform() {
    return transform;
  }

  @Override
  public String toString() {
    return "VideoPreprocessor[" + profile + ", " + options + "]";
  }
}
