package dev.bindspace.vision;

import dev.bindspace.Embedding;
import dev.bindspace.EncodingException;
import dev.bindspace.Modality;
import dev.bindspace.StagedEncoder;
import dev.bindspace.onnx.EmbeddingResult;
import dev.bindspace.onnx.OnnxEncoder;
import dev.bindspace.onnx.OnnxGraph;
import dev.bindspace.onnx.Tensor;
import dev.bindspace.onnx.TensorEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Shared body of the image-like encoders: turn each input into one view tensor on the host, then run
 * the graph through a {@link TensorEncoder} in chunks of the batch size (so a long list never holds
 * more than one batch of tensors). Does not own the graph.
 */
abstract class PreprocessingEncoder<I> implements OnnxEncoder<I>, StagedEncoder<I, PreparedView<I>> {
  private final TensorEncoder tensors;
  private final long[] viewShape;
  private final int viewSize;
  private final int maxBatch;
  private final Class<I> type;
  private final AtomicBoolean closed = new AtomicBoolean();

  PreprocessingEncoder(OnnxGraph graph, String space, int dimension, int maxBatchSize, Class<I> type) {
    this.tensors = new TensorEncoder(graph, space, dimension, maxBatchSize, false);
    this.viewShape = graph.itemShape();
    this.viewSize = graph.itemSize();
    this.maxBatch = maxBatchSize;
    this.type = type;
  }

  /** The view tensor (shape {@link #viewShape()}) of {@code input}; {@code index} for messages. */
  abstract float[] tensorOf(I input, int index);

  /** Whether {@code input} skips the host stage and runs whole in the model stage (videos). */
  boolean runsWhole(I input) {
    return false;
  }

  /**
   * The host stage: decodes and preprocesses {@code input} into its view tensor, on the calling
   * thread. With a {@link dev.bindspace.BatchingEncoder} this runs on the callers while the model
   * runs the previous batch.
   */
  @Override
  public PreparedView<I> prepare(I input) {
    Objects.requireNonNull(input, "input");
    if (closed.get()) {
      throw new IllegalStateException("the " + modality() + " encoder is closed");
    }
    if (runsWhole(input)) {
      return PreparedView.whole(input);
    }
    return PreparedView.ofView(input, view(input, 0));
  }

  /** The model stage: runs the prepared views as batches of the graph; inputs run whole go one by one. */
  @Override
  public List<Embedding> embedPrepared(List<? extends PreparedView<I>> prepared) {
    Objects.requireNonNull(prepared, "prepared");
    if (closed.get()) {
      throw new IllegalStateException("the " + modality() + " encoder is closed");
    }
    Embedding[] out = new Embedding[prepared.size()];
    List<Tensor> views = new ArrayList<>(prepared.size());
    List<Integer> viewAt = new ArrayList<>(prepared.size());
    for (int i = 0; i < prepared.size(); i++) {
      PreparedView<I> p = Objects.requireNonNull(prepared.get(i), "prepared[" + i + "]");
      if (p.view().isPresent()) {
        views.add(p.view().get());
        viewAt.add(i);
      } else {
        out[i] = encodeAll(List.of(p.input())).get(0).joint();
      }
    }
    if (!views.isEmpty()) {
      List<EmbeddingResult> r = tensors.encodeAll(views);
      for (int k = 0; k < r.size(); k++) {
        out[viewAt.get(k)] = r.get(k).joint();
      }
    }
    return Arrays.asList(out);
  }

  private Tensor view(I in, int index) {
    float[] t = tensorOf(in, index);
    if (t.length != viewSize) {
      throw new EncodingException("input " + index + " (" + in + "): preprocessing produced " + t.length
          + " values, the graph takes " + Arrays.toString(viewShape));
    }
    return Tensor.ofFloats(viewShape, t);
  }

  /** One view's shape, without batch axis. */
  public long[] viewShape() {
    return viewShape.clone();
  }

  int viewSize() {
    return viewSize;
  }

  @Override
  public Modality modality() {
    return tensors.modality();
  }

  @Override
  public Class<I> inputType() {
    return type;
  }

  @Override
  public int dimension() {
    return tensors.dimension();
  }

  @Override
  public String space() {
    return tensors.space();
  }

  @Override
  public List<EmbeddingResult> encodeAll(List<? extends I> inputs) {
    Objects.requireNonNull(inputs, "inputs");
    if (closed.get()) {
      throw new IllegalStateException("the " + modality() + " encoder is closed");
    }
    List<EmbeddingResult> out = new ArrayList<>(inputs.size());
    for (int start = 0; start < inputs.size(); start += maxBatch) {
      int end = Math.min(inputs.size(), start + maxBatch);
      List<Tensor> chunk = new ArrayList<>(end - start);
      for (int i = start; i < end; i++) {
        I in = Objects.requireNonNull(inputs.get(i), "inputs[" + i + "]");
        chunk.add(view(in, i));
      }
      out.addAll(tensors.encodeAll(chunk));
    }
    return out;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      tensors.close();
    }
  }
}
