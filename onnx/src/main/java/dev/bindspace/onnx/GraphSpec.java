package dev.bindspace.onnx;

import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import java.util.List;
import java.util.Objects;

/**
 * One graph of a bundle: the media kind it serves ({@code IMAGE} and {@code VIDEO} are separate
 * graphs of the {@code VISION} tower), the ONNX file with its SHA-256, external-data files if the
 * weights do not fit in the protobuf, the declared single input and output, and the pre-,
 * post-processing and aggregation rules.
 */
public record GraphSpec(MediaKind media, FileRef file, List<FileRef> dataFiles, TensorSpec input, TensorSpec output,
    Preprocessing preprocessing, PostProcessing postprocessing, Aggregation aggregation) {
  public GraphSpec {
    Objects.requireNonNull(media, "media");
    Objects.requireNonNull(file, "file");
    dataFiles = List.copyOf(dataFiles);
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(preprocessing, "preprocessing");
    Objects.requireNonNull(postprocessing, "postprocessing");
    Objects.requireNonNull(aggregation, "aggregation");
  }

  /** The encoder tower. */
  public Modality modality() {
    return media.modality();
  }
}
