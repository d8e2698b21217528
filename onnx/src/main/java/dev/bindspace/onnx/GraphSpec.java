package dev.bindspace.onnx;

import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import java.util.List;
import java.util.Objects;

/**
 * One graph of a bundle: the media kind it serves ({@code IMAGE} and {@code VIDEO} are separate
 * graphs of the {@code VISION} tower), the ONNX file with its SHA-256, external-data files if the
 * weights do not fit in the protobuf, the declared inputs (one, except token-sequence text graphs) and output, and the pre-,
 * post-processing and aggregation rules.
 */
public record GraphSpec(MediaKind media, FileRef file, List<FileRef> dataFiles, List<TensorSpec> inputs,
    TensorSpec output, Preprocessing preprocessing, PostProcessing postprocessing, Aggregation aggregation,
    Precision precision) {
  /**
   * The arithmetic of a graph's weights, from the optional {@code precision} field of bundle.json (absent:
   * {@link #FLOAT32}). Informational: ONNX Runtime reads the types from the graph itself; inputs and outputs
   * are float32 (or int64 token ids) either way.
   */
  public enum Precision {
    /** Every weight in float32. */
    FLOAT32,
    /**
     * Dynamic int8: the large MatMul/Gemm weights are int8 per output channel and their activations are
     * quantised at run time (ONNX Runtime's {@code com.microsoft.DynamicQuantizeMatMul}, written by
     * {@code tools/imagebind-export/quantize.py}); convolutions and small matrices stay float32.
     */
    INT8
  }

  public GraphSpec {
    Objects.requireNonNull(media, "media");
    Objects.requireNonNull(file, "file");
    dataFiles = List.copyOf(dataFiles);
    inputs = List.copyOf(inputs);
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("a graph needs at least one input");
    }
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(preprocessing, "preprocessing");
    Objects.requireNonNull(postprocessing, "postprocessing");
    Objects.requireNonNull(aggregation, "aggregation");
    Objects.requireNonNull(precision, "precision");
  }

  /** A float32 graph (bundle.json without {@code precision}). */
  public GraphSpec(MediaKind media, FileRef file, List<FileRef> dataFiles, List<TensorSpec> inputs,
      TensorSpec output, Preprocessing preprocessing, PostProcessing postprocessing, Aggregation aggregation) {
    this(media, file, dataFiles, inputs, output, preprocessing, postprocessing, aggregation, Precision.FLOAT32);
  }

  /** A graph with a single input (every graph except token-sequence text graphs). */
  public GraphSpec(MediaKind media, FileRef file, List<FileRef> dataFiles, TensorSpec input, TensorSpec output,
      Preprocessing preprocessing, PostProcessing postprocessing, Aggregation aggregation) {
    this(media, file, dataFiles, List.of(input), output, preprocessing, postprocessing, aggregation);
  }

  /** The first (for most graphs the only) input. */
  public TensorSpec input() {
    return inputs.get(0);
  }

  /**
   * Whether this is a token-sequence graph: a {@code wordpiece} text graph whose inputs are
   * {@code int64 [-1, -1]} (ids, attention mask, optionally token type ids) and whose output is the
   * per-token {@code float32 [-1, -1, dimension]}, pooled on the host.
   */
  public boolean tokenSequence() {
    return preprocessing instanceof Preprocessing.Text t && t.tokenizer() == Preprocessing.TokenizerKind.WORDPIECE;
  }

  /**
   * Whether this is a variable-length id graph: a {@code clip_bpe} text graph with {@code "padding":
   * "longest"} whose one input is {@code int64 [-1, -1]} token ids of any length from 1 to
   * {@code context_length} (a batch is padded to its longest row) and whose output is the pooled
   * {@code float32 [-1, dimension]}. See {@link Preprocessing.TextPadding#LONGEST}.
   */
  public boolean variableLengthIds() {
    return preprocessing instanceof Preprocessing.Text t && t.tokenizer() == Preprocessing.TokenizerKind.CLIP_BPE
        && t.padding() == Preprocessing.TextPadding.LONGEST;
  }

  /** The encoder tower. */
  public Modality modality() {
    return media.modality();
  }
}
