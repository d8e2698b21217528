package dev.bindspace.vision;

import dev.bindspace.Modality;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxEncoder;
import dev.bindspace.onnx.OnnxGraph;
import dev.bindspace.onnx.Preprocessing;

/**
 * The {@code DEPTH} encoder: each {@link DepthInput} becomes disparity ({@link DepthCamera}), then
 * {@link DepthPreprocessor} (Pillow float bicubic resize, centre crop, normalise) makes the
 * {@code (1, size, size)} view. With a {@code tensor} profile the size is the graph's and there is no
 * normalisation (ImageBind defines none); an {@code image} profile with one channel supplies size, mean
 * and std (applied to disparity directly, no ÷255). Thread-safe; does not own the graph.
 *
 * <pre>{@code
 * try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(Path.of("imagebind-huge"))) {
 *   Embedding e = DepthEncoder.of(model).embed(
 *       DepthInput.raw16(Path.of("depth.png"), 1000.0, DepthInput.Raw16Layout.PLAIN, DepthCamera.KINECT_NYU));
 * }
 * }</pre>
 */
public final class DepthEncoder extends PreprocessingEncoder<DepthInput> {
  private final DepthPreprocessor preprocessor;

  DepthEncoder(OnnxGraph graph, String space, int dimension, int maxBatchSize, ImageDecodeOptions options) {
    super(graph, space, dimension, maxBatchSize, DepthInput.class);
    long[] shape = graph.itemShape();
    int size = (int) shape[shape.length - 1];
    if (graph.spec().preprocessing() instanceof Preprocessing.Image img) {
      this.preprocessor = DepthPreprocessor.of(img.size(), img.mean().get(0).floatValue(),
          img.std().get(0).floatValue(), options);
    } else {
      this.preprocessor = DepthPreprocessor.of(size, 0f, 1f, options);
    }
  }

  /** The depth encoder of {@code model}, typed. */
  @SuppressWarnings("unchecked")
  public static OnnxEncoder<DepthInput> of(OnnxEmbeddingModel model) {
    OnnxEncoder<?> e = model.encoder(Modality.DEPTH);
    if (e.inputType() != DepthInput.class) {
      throw new IllegalStateException("the DEPTH encoder of " + model.name() + " takes " + e.inputType()
          + ", not DepthInput (is bindspace-encoders-vision on the classpath?)");
    }
    return (OnnxEncoder<DepthInput>) e;
  }

  public DepthPreprocessor preprocessor() {
    return preprocessor;
  }

  @Override
  float[] tensorOf(DepthInput in, int index) {
    return preprocessor.tensor(in);
  }

  @Override
  public String toString() {
    return "DepthEncoder[" + preprocessor + "]";
  }
}
