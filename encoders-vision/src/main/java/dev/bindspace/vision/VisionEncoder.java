package dev.bindspace.vision;

import dev.bindspace.EncodingException;
import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxEncoder;
import dev.bindspace.onnx.OnnxGraph;
import dev.bindspace.onnx.Preprocessing;
import dev.bindspace.onnx.EmbeddingResult;
import dev.bindspace.vision.internal.Pixels;
import dev.bindspace.vision.video.VideoEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code VISION} encoder over a bundle's {@code image} graph: decodes each {@link VisionInput}
 * ({@link ImageDecoder}), preprocesses it as the graph's {@link Preprocessing.Image} profile says
 * ({@link ImagePreprocessor}) and runs the graph in batches. Video inputs ({@link VisionInput#video})
 * go to a {@link VideoEncoder} over the bundle's {@code video} graph, if the bundle has one (else they
 * raise {@link EncodingException} saying so); results keep the input order. Thread-safe; does not own
 * the graphs (the model closes them).
 *
 * <pre>{@code
 * try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(Path.of("imagebind-huge"))) {
 *   OnnxEncoder<VisionInput> vision = VisionEncoder.of(model);
 *   List<Embedding> es = vision.embedAll(List.of(VisionInput.file(Path.of("a.jpg")),
 *       VisionInput.file(Path.of("b.png"))));
 * }
 * }</pre>
 */
public final class VisionEncoder extends PreprocessingEncoder<VisionInput> {
  private final ImagePreprocessor preprocessor;
  private final ImageDecoder decoder;
  private final VideoEncoder video;
  private final String noVideo;

  VisionEncoder(OnnxGraph image, String space, int dimension, int maxBatchSize, ImageDecoder decoder) {
    this(image, space, dimension, maxBatchSize, decoder, null, "the bundle has no video graph");
  }

  /**
   * @param video the encoder for video inputs, or null
   * @param noVideo why there is none (for the message when a video arrives)
   */
  VisionEncoder(OnnxGraph image, String space, int dimension, int maxBatchSize, ImageDecoder decoder,
      VideoEncoder video, String noVideo) {
    super(image, space, dimension, maxBatchSize, VisionInput.class);
    Preprocessing.Image profile = (Preprocessing.Image) image.spec().preprocessing();
    this.preprocessor = ImagePreprocessor.of(profile);
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.video = video;
    this.noVideo = noVideo;
    if (!Arrays.equals(viewShape(), preprocessor.shape())) {
      throw new IllegalArgumentException("the image graph takes " + Arrays.toString(viewShape())
          + " but its preprocessing profile makes " + Arrays.toString(preprocessor.shape()));
    }
  }

  /** The vision encoder of {@code model}, typed. */
  @SuppressWarnings("unchecked")
  public static OnnxEncoder<VisionInput> of(OnnxEmbeddingModel model) {
    OnnxEncoder<?> e = model.encoder(Modality.VISION);
    if (e.inputType() != VisionInput.class) {
      throw new IllegalStateException("the VISION encoder of " + model.name() + " takes " + e.inputType()
          + ", not VisionInput");
    }
    return (OnnxEncoder<VisionInput>) e;
  }

  /** The preprocessing this encoder applies. */
  public ImagePreprocessor preprocessor() {
    return preprocessor;
  }

  /** The encoder video inputs go to, if the bundle has a usable video graph (for moments, options). */
  public Optional<VideoEncoder> video() {
    return Optional.ofNullable(video);
  }

  @Override
  public List<EmbeddingResult> encodeAll(List<? extends VisionInput> inputs) {
    Objects.requireNonNull(inputs, "inputs");
    List<VisionInput> images = new ArrayList<>();
    List<Integer> imageAt = new ArrayList<>();
    EmbeddingResult[] out = new EmbeddingResult[inputs.size()];
    for (int i = 0; i < inputs.size(); i++) {
      VisionInput in = Objects.requireNonNull(inputs.get(i), "inputs[" + i + "]");
      if (!in.kind().isVideo()) {
        images.add(in);
        imageAt.add(i);
        continue;
      }
      if (video == null) {
        throw new EncodingException("input " + i + " (" + in + "): cannot embed a video: " + noVideo);
      }
      try {
        out[i] = video.encode(in.video().orElseThrow());
      } catch (EncodingException e) {
        if (e.getMessage().startsWith("input ")) {
          throw e;
        }
        throw new EncodingException("input " + i + " (" + in + "): " + e.getMessage(), e);
      }
    }
    if (!images.isEmpty()) {
      List<EmbeddingResult> r = images.size() == inputs.size() ? super.encodeAll(inputs) : super.encodeAll(images);
      for (int k = 0; k < r.size(); k++) {
        out[imageAt.get(k)] = r.get(k);
      }
    }
    return Arrays.asList(out);
  }

  @Override
  public void close() {
    try {
      super.close();
    } finally {
      if (video != null) {
        video.close();
      }
    }
  }

  @Override
  boolean runsWhole(VisionInput in) {
    return in.kind().isVideo();
  }

  @Override
  float[] tensorOf(VisionInput in, int index) {
    Pixels p = switch (in.kind()) {
      case IMAGE_FILE -> decoder.decodePixels(in.path().orElseThrow());
      case IMAGE_BYTES -> decoder.decodePixels(in.dataArray(), in.name());
      case IMAGE_RGB -> {
        RgbImage img = in.image().orElseThrow();
        yield new Pixels(img.width(), img.height(), 3, img.bytes());
      }
      default -> throw new EncodingException("input " + index + " (" + in + "): the " + MediaKind.IMAGE
          + " encoder embeds still images only; " + in.kind() + " inputs are not supported here");
    };
    return preprocessor.preprocessInto(p, new float[viewSize()], 0);
  }

  @Override
  public String toString() {
    return "VisionEncoder[" + preprocessor.profile() + (video != null ? ", " + video : ", no video") + "]";
  }
}
