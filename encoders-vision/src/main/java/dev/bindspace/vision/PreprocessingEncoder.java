package dev.bindspace.vision;

import dev.bindspace.EncodingException;
import dev.bindspace.Modality;
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
abstract class PreprocessingEncoder<I> implements OnnxEncoder<I> {
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
        float[] t = tensorOf(in, i);
        if (t.length != viewSize) {
          throw new EncodingException("input " + i + " (" + in + "): preprocessing produced " + t.length
              + " values, the graph takes " + Arrays.toString(viewShape));
        }
        chunk.add(Tensor.ofFloats(viewShape, t));
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
