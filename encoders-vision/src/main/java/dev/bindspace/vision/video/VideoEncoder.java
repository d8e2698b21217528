package dev.bindspace.vision.video;

import dev.bindspace.EncodingException;
import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.onnx.Aggregation;
import dev.bindspace.onnx.EmbeddingResult;
import dev.bindspace.onnx.GraphSpec;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxEncoder;
import dev.bindspace.onnx.OnnxGraph;
import dev.bindspace.onnx.Preprocessing;
import dev.bindspace.onnx.Tensor;
import dev.bindspace.onnx.TensorEncoder;
import dev.bindspace.vision.internal.video.ClipPlan;
import dev.bindspace.vision.internal.video.FrameSource;
import dev.bindspace.vision.internal.video.FrameTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Embeds videos through a bundle's {@code video} graph, preprocessing them as ImageBind does (or as
 * the bundle's {@code video} profile says):
 *
 * <ol>
 *   <li>decode (FFmpeg, streaming, on a worker thread with a stall timeout) or take the caller's
 *       frames; frame count and rate as decord reports them;
 *   <li>{@code clips_per_video} clips of {@code clip_duration_seconds}, placed by pytorchvideo's
 *       {@code ConstantClipsPerVideoSampler} in exact fractions; {@code frames_per_clip} frames per
 *       clip by {@code UniformTemporalSubsample} (ImageBind: 5 clips × 2 frames, the first and last
 *       frame of each 2 s window);
 *   <li>per frame: {@code ÷255}, short side to {@code size} by bilinear interpolation without
 *       antialias ({@code torch.nn.functional.interpolate}, {@code align_corners=False}),
 *       normalise with the profile's mean/std;
 *   <li>{@code crops_per_clip} crops per clip ({@code three_crops}: along the longer side;
 *       {@code center}: one centre crop), giving {@code clips × crops} views of
 *       {@code (3, frames, size, size)} (ImageBind: 15);
 *   <li>every view through the graph, then the mean of the views as the bundle's aggregation says
 *       (batching and aggregation are the onnx module's {@link TensorEncoder}).
 * </ol>
 *
 * Only the frames a clip needs are converted and kept, so a two-hour film needs no more memory
 * than a short clip. {@link #moments} embeds a long video as a sequence of timed windows.
 *
 * <pre>{@code
 * try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(Path.of("imagebind-huge"));
 *      VideoEncoder videos = VideoEncoder.of(model, VideoOptions.defaults())) {
 *   List<Embedding> es = videos.embedAll(List.of(VideoSource.of(Path.of("a.mp4")),
 *       VideoSource.of(Path.of("b.webm"))));
 * }
 * }</pre>
 *
 * <p>Thread-safe: each call decodes on its own worker thread; the graph is shared.
 * {@link #close()} is idempotent and closes only what this encoder made.
 */
public final class VideoEncoder implements OnnxEncoder<VideoSource> {
  private final TensorEncoder graph;
  private final boolean ownsGraph;
  private final GraphSpec spec;
  private final Preprocessing.Video profile;
  private final VideoPreprocessor preprocessor;
  private final VideoOptions options;
  private final AtomicBoolean closed = new AtomicBoolean();

  private VideoEncoder(TensorEncoder graph, boolean ownsGraph, GraphSpec spec, VideoOptions options) {
    this.graph = graph;
    this.ownsGraph = ownsGraph;
    this.spec = spec;
    this.options = Objects.requireNonNull(options, "options");
    if (spec.media() != MediaKind.VIDEO) {
      throw new IllegalArgumentException("expected a video graph, got the " + spec.media() + " graph");
    }
    if (!(spec.preprocessing() instanceof Preprocessing.Video v)) {
      throw new IllegalArgumentException("the video graph's preprocessing is '" + spec.preprocessing().kind()
          + "', expected 'video' (a 'tensor' video graph takes preprocessed tensors: use TensorEncoder)");
    }
    this.profile = v;
    this.preprocessor = VideoPreprocessor.of(v, options);
    long[] view = graph.viewShape();
    long[] expected = {3, v.framesPerClip(), v.size(), v.size()};
    if (!java.util.Arrays.equals(view, expected)) {
      throw new IllegalArgumentException("the video graph takes views of shape " + java.util.Arrays.toString(view)
          + " but its profile (frames_per_clip " + v.framesPerClip() + ", size " + v.size() + ") makes "
          + java.util.Arrays.toString(expected));
    }
    Aggregation agg = spec.aggregation();
    int views = v.clipsPerVideo() * v.cropsPerClip();
    if (agg.mode() == Aggregation.Mode.MEAN ? agg.views() != views : views != 1) {
      throw new IllegalArgumentException("the video profile makes " + views + " views (" + v.clipsPerVideo()
          + " clips × " + v.cropsPerClip() + " crops) but the aggregation is " + agg);
    }
  }

  /**
   * A video encoder over {@code model}'s video graph (using the model's {@link TensorEncoder}; close
   * this encoder before the model).
   *
   * @throws IllegalArgumentException if the bundle has no video graph with a {@code video} profile
   */
  public static VideoEncoder of(OnnxEmbeddingModel model, VideoOptions options) {
    GraphSpec spec = model.manifest().graphs().get(MediaKind.VIDEO);
    if (spec == null) {
      throw new IllegalArgumentException("model " + model.name() + " has no video graph; it has "
          + model.manifest().graphs().keySet());
    }
    return new VideoEncoder(model.tensorEncoder(MediaKind.VIDEO), false, spec, options);
  }

  /**
   * A video encoder over an opened graph that someone else owns (an {@code EncoderProvider}'s
   * context); the encoder makes its own {@link TensorEncoder} and never closes the graph.
   */
  public static VideoEncoder create(OnnxGraph graph, String space, int dimension, int maxBatchSize,
      VideoOptions options) {
    TensorEncoder te = new TensorEncoder(graph, space, dimension, maxBatchSize, false);
    return new VideoEncoder(te, true, graph.spec(), options);
  }

  /** The preprocessing profile in use. */
  public Preprocessing.Video profile() {
    return profile;
  }

  public VideoOptions options() {
    return options;
  }

  @Override
  public Modality modality() {
    return Modality.VISION;
  }

  /** {@link MediaKind#VIDEO}: embeddings are {@code VISION}, marked as video. */
  public MediaKind media() {
    return MediaKind.VIDEO;
  }

  @Override
  public Class<VideoSource> inputType() {
    return VideoSource.class;
  }

  @Override
  public int dimension() {
    return graph.dimension();
  }

  @Override
  public String space() {
    return graph.space();
  }

  /**
   * The model input for {@code source}: {@code (clips × crops, 3, frames, size, size)} float32
   * (see {@link VideoPreprocessor#preprocess}).
   *
   * @throws VideoDecodeException if the video cannot be decoded (the message names it)
   */
  public Tensor preprocess(VideoSource source) {
    checkOpen();
    return preprocessor.preprocess(source);
  }

  /** The preprocessor this encoder uses. */
  public VideoPreprocessor preprocessor() {
    return preprocessor;
  }

  FrameSource open(VideoSource source, Function<VideoInfo, ClipPlan> planner) {
    return preprocessor.open(source, planner);
  }

  FrameTransform transform() {
    return preprocessor.transform();
  }

  TensorEncoder tensorEncoder() {
    return graph;
  }

  /**
   * Embeds every video, in order; videos are decoded one after another, each batch of views run
   * through the graph.
   *
   * @throws VideoDecodeException naming the first video that cannot be decoded
   */
  @Override
  public List<EmbeddingResult> encodeAll(List<? extends VideoSource> inputs) {
    Objects.requireNonNull(inputs, "inputs");
    checkOpen();
    List<EmbeddingResult> out = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      VideoSource src = Objects.requireNonNull(inputs.get(i), "inputs[" + i + "]");
      Tensor t = preprocess(src);
      try {
        out.add(graph.encodeAll(List.of(t)).get(0));
      } catch (EncodingException e) {
        throw new EncodingException("video " + i + " (" + src + "): " + e.getMessage(), e);
      }
    }
    return out;
  }

  /**
   * Embeds long videos as a sequence of windows of {@code windowSeconds}, one every
   * {@code strideSeconds}, each window sampled, cropped and aggregated like one clip of the profile.
   */
  public VideoMoments moments(double windowSeconds, double strideSeconds) {
    checkOpen();
    return new VideoMoments(this, windowSeconds, strideSeconds);
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the video encoder is closed");
    }
  }

  /** Closes the tensor encoder this encoder made (never the graph or a model's encoder). Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsGraph) {
      graph.close();
    }
  }

  @Override
  public String toString() {
    return "VideoEncoder[" + profile.clipsPerVideo() + " clips × " + profile.cropsPerClip() + " crops of "
        + profile.framesPerClip() + " frames at " + profile.size() + ", " + profile.resize() + ", " + options + "]";
  }
}
