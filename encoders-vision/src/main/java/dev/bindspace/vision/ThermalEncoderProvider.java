package dev.bindspace.vision;

import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.onnx.EncoderProvider;
import dev.bindspace.onnx.GraphSpec;
import dev.bindspace.onnx.OnnxEncoder;
import java.util.Map;

/**
 * Registers {@link ThermalEncoder} for {@code THERMAL}: a {@code thermal} graph with one float input
 * {@code (-1, 1, S, S)} and an {@code image} profile of one channel or a {@code tensor} profile.
 * Replaces the built-in tensor encoder for thermal (still reachable through
 * {@code OnnxEmbeddingModel.tensorEncoder(MediaKind.THERMAL)}).
 */
public final class ThermalEncoderProvider implements EncoderProvider {

  @Override
  public Modality modality() {
    return Modality.THERMAL;
  }

  @Override
  public String module() {
    return "bindspace-encoders-vision";
  }

  @Override
  public boolean supports(Map<MediaKind, GraphSpec> graphs) {
    return DepthEncoderProvider.singleChannelSquare(graphs.get(MediaKind.THERMAL));
  }

  @Override
  public OnnxEncoder<ThermalInput> create(Context context) {
    return new ThermalEncoder(context.graph(MediaKind.THERMAL), context.manifest().space(),
        context.manifest().dimension(), context.options().maxBatchSize(), ImageDecoder.defaults());
  }
}
