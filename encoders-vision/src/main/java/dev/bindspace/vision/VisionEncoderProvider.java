package dev.bindspace.vision;

import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.onnx.EncoderProvider;
import dev.bindspace.onnx.GraphSpec;
import dev.bindspace.onnx.OnnxEncoder;
import dev.bindspace.onnx.Preprocessing;
import java.util.Map;

/**
 * Registers the still-image encoder with {@code bindspace-onnx} for {@code VISION}: it serves a bundle
 * whose {@code image} graph has an {@code image} preprocessing profile with 3 channels, Pillow-bicubic
 * short-side resize and a centre crop ({@link ImagePreprocessor#supports}). Found through
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
    return new VisionEncoder(context.graph(MediaKind.IMAGE), context.manifest().space(),
        context.manifest().dimension(), context.options().maxBatchSize(), ImageDecoder.defaults());
  }
}
