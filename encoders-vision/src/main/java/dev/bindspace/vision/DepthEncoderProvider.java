package dev.bindspace.vision;

import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.onnx.EncoderProvider;
import dev.bindspace.onnx.GraphSpec;
import dev.bindspace.onnx.OnnxEncoder;
import dev.bindspace.onnx.Preprocessing;
import java.util.Map;

/**
 * Registers {@link DepthEncoder} for {@code DEPTH}: a {@code depth} graph with one float input
 * {@code (-1, 1, S, S)} and an {@code image} profile of one channel or a {@code tensor} profile.
 * Replaces the model's built-in tensor encoder for depth (which takes preprocessed tensors and is still
 * reachable through {@code OnnxEmbeddingModel.tensorEncoder(MediaKind.DEPTH)}).
 */
public final class DepthEncoderProvider implements EncoderProvider {

  @Override
  public Modality modality() {
    return Modality.DEPTH;
  }

  @Override
  public String module() {
    return "bindspace-encoders-vision";
  }

  @Override
  public boolean supports(Map<MediaKind, GraphSpec> graphs) {
    return singleChannelSquare(graphs.get(MediaKind.DEPTH));
  }

  static boolean singleChannelSquare(GraphSpec g) {
    if (g == null || g.tokenSequence() || g.input().type() != dev.bindspace.onnx.TensorType.FLOAT32) {
      return false;
    }
    long[] s = g.input().itemShape();
    boolean shapeOk = s.length == 3 && s[0] == 1 && s[1] > 0 && s[1] == s[2];
    if (!shapeOk) {
      return false;
    }
    if (g.preprocessing() instanceof Preprocessing.Image img) {
      return img.channels() == 1 && img.size() == s[1] && ImagePreprocessor.supports(img);
    }
    return g.preprocessing() instanceof Preprocessing.Tensor;
  }

  @Override
  public OnnxEncoder<DepthInput> create(Context context) {
    return new DepthEncoder(context.graph(MediaKind.DEPTH), context.manifest().space(),
        context.manifest().dimension(), context.options().maxBatchSize(), ImageDecodeOptions.defaults());
  }
}
