package dev.bindspace.vision;

import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.onnx.EncoderProvider;
import dev.bindspace.onnx.GraphSpec;
import dev.bindspace.onnx.OnnxEncoder;
import dev.bindspace.onnx.Preprocessing;
import dev.bindspace.vision.video.VideoEncoder;
import dev.bindspace.vision.video.VideoOptions;
import java.util.Map;

/**
 * Registers the still-image encoder with {@code bindspace-onnx} for {@code VISION}: it serves a bundle
 * whose {@code image} graph has an {@code image} preprocessing profile with 3 channels, Pillow-bicubic
 * short-side resize and a centre crop ({@link ImagePreprocessor#supports}). If the bundle also has a
 * {@code video} graph with a {@code video} profile, video inputs go to a {@link VideoEncoder} over it
 * (with {@link VideoOptions#defaults()}; for other options use {@link VideoEncoder#of}). Found through
 * {@code META-INF/services/dev.bindspace.onnx.EncoderProvider}.
 */
public final class VisionEncoderProvider implements EncoderProvider {

  @Override
  public Modality modality() {
    return Modality.VISION;
  }

  @Override
  public String module() {
    return "bindspace-encoders-vision";
  }

  @Override
  public boolean supports(Map<MediaKind, GraphSpec> graphs) {
    GraphSpec g = graphs.get(MediaKind.IMAGE);
    return g != null && g.input().type() == dev.bindspace.onnx.TensorType.FLOAT32
        && g.preprocessing() instanceof Preprocessing.Image img && img.channels() == 3
        && ImagePreprocessor.supports(img);
  }

  @Override
  public OnnxEncoder<VisionInput> create(Context context) {
    String space = context.manifest().space();
    int dim = context.manifest().dimension();
    int batch = context.options().maxBatchSize();
    GraphSpec v = context.graphs().get(MediaKind.VIDEO);
    VideoEncoder video = null;
    String noVideo = "the bundle has no video graph";
    if (v != null && !(v.preprocessing() instanceof Preprocessing.Video)) {
      noVideo = "the bundle's video graph has preprocessing '" + v.preprocessing().kind()
          + "'; feed it preprocessed tensors through OnnxEmbeddingModel.tensorEncoder(MediaKind.VIDEO)";
    } else if (v != null) {
      try {
        video = VideoEncoder.create(context.graph(MediaKind.VIDEO), space, dim, batch, VideoOptions.defaults());
      } catch (IllegalArgumentException e) {
        noVideo = "the bundle's video graph is not supported: " + e.getMessage();
      }
    }
    try {
      return new VisionEncoder(context.graph(MediaKind.IMAGE), space, dim, batch, ImageDecoder.defaults(), video,
          noVideo);
    } catch (RuntimeException e) {
      if (video != null) {
        video.close();
      }
      throw e;
    }
  }
}
