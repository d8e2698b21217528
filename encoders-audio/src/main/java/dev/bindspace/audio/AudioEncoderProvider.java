package dev.bindspace.audio;

import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.onnx.EncoderProvider;
import dev.bindspace.onnx.GraphSpec;
import dev.bindspace.onnx.OnnxEncoder;
import dev.bindspace.onnx.Preprocessing;
import java.util.Map;

/**
 * Registers the audio encoder with {@code bindspace-onnx} (through
 * {@code META-INF/services/dev.bindspace.onnx.EncoderProvider}): serves a bundle's {@code audio} graph
 * whose preprocessing is {@code {"kind": "audio", ...}}, with {@link AudioOptions#defaults()}.
 */
public final class AudioEncoderProvider implements EncoderProvider {

  @Override
  public Modality modality() {
    return Modality.AUDIO;
  }

  @Override
  public String module() {
    return "bindspace-encoders-audio";
  }

  @Override
  public boolean supports(Map<MediaKind, GraphSpec> graphs) {
    GraphSpec g = graphs.get(MediaKind.AUDIO);
    return g != null && g.preprocessing() instanceof Preprocessing.Audio;
  }

  @Override
  public OnnxEncoder<AudioInput> create(Context context) {
    return new AudioEncoder(context.graph(MediaKind.AUDIO), context.manifest().space(), context.manifest().dimension(),
        context.options().maxBatchSize(), AudioOptions.defaults());
  }
}
