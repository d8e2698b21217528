package dev.bindspace.mini;

import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxRuntimeOptions;
import java.util.Objects;

/**
 * bindspace-mini, the project's own small joint model, opened from this artifact's classpath: no
 * network, no files outside the classpath.
 *
 * <p>The joint space is the 384-d sentence space of all-MiniLM-L6-v2 (frozen, quantised, from the
 * LangChain4j artifact): any English phrase is a query. Image and audio towers were trained to land
 * on the MiniLM embeddings of their captions (docs/models/bindspace-mini.md); video is the mean of
 * its frames through the image tower.
 *
 * <pre>{@code
 * try (OnnxEmbeddingModel model = BindspaceMini.open()) {
 *   Embedding dog = model.encoder(Modality.TEXT, String.class).embed("a dog");
 *   ...
 * }
 * }</pre>
 *
 * Each call opens a new model (ONNX sessions and a verified temporary copy of the bundle); share one
 * instance across threads and close it when done.
 */
public final class BindspaceMini {
  /** Where the bundle lives on the classpath. */
  public static final String RESOURCE_PREFIX = "dev/bindspace/models/mini/";

  /** The joint-space id every bindspace-mini embedding carries. */
  public static final String SPACE = "bindspace-mini-v1";

  private BindspaceMini() {}

  /** Opens bindspace-mini with default runtime options. */
  public static OnnxEmbeddingModel open() {
    return open(OnnxRuntimeOptions.defaults());
  }

  /** Opens bindspace-mini with the given runtime options (threads, batch size). */
  public static OnnxEmbeddingModel open(OnnxRuntimeOptions options) {
    Objects.requireNonNull(options, "options");
    ClassLoader loader = BindspaceMini.class.getClassLoader();
    return OnnxEmbeddingModel.fromClasspath(RESOURCE_PREFIX, options, loader);
  }
}
