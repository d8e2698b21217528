package dev.bindspace.vision;

import dev.bindspace.EncodingException;
import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxEncoder;
import dev.bindspace.onnx.OnnxGraph;
import dev.bindspace.onnx.Preprocessing;
import dev.bindspace.vision.internal.Pixels;
import java.util.Arrays;
import java.util.Objects;

/**
 * The {@code VISION} encoder over a bundle's {@code image} graph: decodes each {@link VisionInput}
 * ({@link ImageDecoder}), preprocesses it as the graph's {@link Preprocessing.Image} profile says
 * ({@link ImagePreprocessor}) and runs the graph in batches. Thread-safe; does not own the graph
 * (the model closes it). Inputs this encoder cannot embed yet (video) raise {@link EncodingException}.
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

  VisionEncoder(OnnxGraph image, String space, int dimension, int maxBatchSize, ImageDecoder decoder) {
    super(image, space, dimension, maxBatchSize, VisionInput.class);
    Preprocessing.Image profile = (Preprocessing.Image) image.spec().preprocessing();
    this.preprocessor = ImagePreprocessor.of(profile);
    this.decoder = Objects.requireNonNull(decoder, "decoder");
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
    return "VisionEncoder[" + preprocessor.profile() + "]";
  }
}
