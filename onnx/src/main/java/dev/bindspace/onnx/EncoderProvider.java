package dev.bindspace.onnx;

import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import java.util.Map;

/**
 * Service-provider interface through which {@code bindspace-encoders-*} modules add media encoders
 * (decoding, resampling, tokenising) on top of bundle graphs. Implementations are found with
 * {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.bindspace.onnx.EncoderProvider}.
 *
 * <p>{@link OnnxEmbeddingModel} asks, for each modality of a bundle, the first provider whose
 * {@link #modality()} matches and whose {@link #supports} accepts the graphs, to
 * {@link #create create} the encoder. The model owns the graphs and the encoder: the encoder must not
 * close the graphs it got from the context; the model closes the encoder, then the graphs.
 */
public interface EncoderProvider {

  /** The modality this provider builds encoders for. */
  Modality modality();

  /** The Maven artifact id of the providing module, for messages (e.g. {@code bindspace-encoders-audio}). */
  String module();

  /**
   * Whether this provider can serve these graphs (all graphs of {@link #modality()} in the bundle,
   * by media kind); typically a check of the preprocessing kind and its constants.
   */
  default boolean supports(Map<MediaKind, GraphSpec> graphs) {
    return true;
  }

  /** Builds the encoder; it should implement {@link OnnxEncoder} so the raw output is reachable. */
  OnnxEncoder<?> create(Context context);

  /** What a provider gets to build its encoder. */
  interface Context {
    /** The verified bundle (for files such as a tokenizer vocabulary). */
    Bundle bundle();

    BundleManifest manifest();

    /** The graphs of this modality by media kind. */
    Map<MediaKind, GraphSpec> graphs();

    /** The opened graph for {@code media}; owned by the model. */
    OnnxGraph graph(MediaKind media);

    OnnxRuntimeOptions options();
  }
}
