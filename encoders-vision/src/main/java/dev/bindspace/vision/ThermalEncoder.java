package dev.bindspace.vision;

import dev.bindspace.Modality;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxEncoder;
import dev.bindspace.onnx.OnnxGraph;
import dev.bindspace.onnx.Preprocessing;
import dev.bindspace.vision.internal.Pixels;
import java.util.List;

/**
 * The {@code THERMAL} encoder: greyscale (Pillow {@code convert("L")}), Pillow bicubic resize of the
 * short side, centre crop, {@code ToTensor}, normalise — the still-image pipeline with one channel.
 * With an {@code image} profile (channels 1) its constants are used; with a {@code tensor} profile the
 * size comes from the graph input and mean/std are {@link #TENSOR_PROFILE_MEAN}/{@link #TENSOR_PROFILE_STD}
 * (ImageBind ships no thermal constants; these are the CLIP red-channel values that Weaviate's
 * ImageBind module uses for thermal). Thread-safe; does not own the graph.
 *
 * <pre>{@code
 * try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(Path.of("imagebind-huge"))) {
 *   Embedding e = ThermalEncoder.of(model).embed(ThermalInput.file(Path.of("ir.png")));
 * }
 * }</pre>
 */
public final class ThermalEncoder extends PreprocessingEncoder<ThermalInput> {
  /** Mean used when the graph's preprocessing is {@code tensor}. */
  public static final double TENSOR_PROFILE_MEAN = 0.48145466;
  /** Std used when the graph's preprocessing is {@code tensor}. */
  public static final double TENSOR_PROFILE_STD = 0.26862954;

  private final ImagePreprocessor preprocessor;
  private final ImageDecoder decoder;

  ThermalEncoder(OnnxGraph graph, String space, int dimension, int maxBatchSize, ImageDecoder decoder) {
    super(graph, space, dimension, maxBatchSize, ThermalInput.class);
    this.preprocessor = ImagePreprocessor.of(profile(graph));
    this.decoder = decoder;
  }

  /** The single-channel image profile a thermal graph is served with. */
  static Preprocessing.Image profile(OnnxGraph graph) {
    if (graph.spec().preprocessing() instanceof Preprocessing.Image img) {
      return img;
    }
    long[] shape = graph.itemShape();
    return new Preprocessing.Image(1, (int) shape[shape.length - 1], Preprocessing.ResizeMode.SHORTER_SIDE_BICUBIC_PIL,
        Preprocessing.CropMode.CENTER, List.of(TENSOR_PROFILE_MEAN), List.of(TENSOR_PROFILE_STD));
  }

  /** The thermal encoder of {@code model}, typed. */
  @SuppressWarnings("unchecked")
  public static OnnxEncoder<ThermalInput> of(OnnxEmbeddingModel model) {
    OnnxEncoder<?> e = model.encoder(Modality.THERMAL);
    if (e.inputType() != ThermalInput.class) {
      throw new IllegalStateException("the THERMAL encoder of " + model.name() + " takes " + e.inputType()
          + ", not ThermalInput (is bindspace-encoders-vision on the classpath?)");
    }
    return (OnnxEncoder<ThermalInput>) e;
  }

  public ImagePreprocessor preprocessor() {
    return preprocessor;
  }

  /** The tensor for {@code in}, as this encoder would feed it. */
  public float[] tensor(ThermalInput in) {
    return tensorOf(in, 0);
  }

  @Override
  float[] tensorOf(ThermalInput in, int index) {
    Pixels p = switch (in.kind()) {
      case FILE -> decoder.decodePixels(in.path());
      case BYTES -> decoder.decodePixels(in.dataArray(), in.name());
      case GREY -> new Pixels(in.width(), in.height(), 1, in.dataArray());
      case RGB -> new Pixels(in.rgbImage().width(), in.rgbImage().height(), 3, in.rgbImage().bytes());
    };
    return preprocessor.preprocessInto(p, new float[viewSize()], 0);
  }

  @Override
  public String toString() {
    return "ThermalEncoder[" + preprocessor.profile() + "]";
  }
}
