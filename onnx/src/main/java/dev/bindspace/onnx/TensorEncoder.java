package dev.bindspace.onnx;

import dev.bindspace.Embedding;
import dev.bindspace.EncodingException;
import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The generic encoder of already-preprocessed tensors: serves modalities that need no media
 * decoding (IMU {@code float (6, 2000)}) and, for any graph, the parity path "same preprocessed
 * tensor in, same numbers out as PyTorch".
 *
 * <p>An input is either one view, shaped like the graph input without its batch axis (IMU
 * {@code (6, 2000)}, image {@code (3, 224, 224)}, text {@code (77)} int64), or {@code S} views
 * stacked in front ({@code (S, ...)}: audio {@code (3, 1, 128, 204)}, video {@code (15, 3, 2, 224, 224)}),
 * which are aggregated as the bundle says (ImageBind: mean). Views of all inputs are run together
 * in batches of at most {@link OnnxRuntimeOptions#maxBatchSize()}; an int8 graph runs one input's views at a
 * time unless {@link OnnxRuntimeOptions.QuantizedBatching#SHARED} is chosen
 * ({@link OnnxGraph#batchesAcrossInputs()}). Thread-safe.
 */
public final class TensorEncoder implements OnnxEncoder<Tensor> {
  private final OnnxGraph graph;
  private final boolean ownsGraph;
  private final String space;
  private final int dimension;
  private final int maxBatch;
  private final GraphSpec spec;
  private final long[] itemShape;
  private final int itemSize;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * An encoder over {@code graph}.
   *
   * @param ownsGraph whether {@link #close()} also closes the graph
   */
  public TensorEncoder(OnnxGraph graph, String space, int dimension, int maxBatchSize, boolean ownsGraph) {
    this.graph = Objects.requireNonNull(graph, "graph");
    this.space = Embedding.checkSpace(space);
    this.spec = graph.spec();
    long d = spec.output().shape().get(1);
    if (d != dimension) {
      throw new IllegalArgumentException("graph output dimension " + d + " differs from the model dimension " + dimension);
    }
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + maxBatchSize);
    }
    this.dimension = dimension;
    this.maxBatch = maxBatchSize;
    this.ownsGraph = ownsGraph;
    this.itemShape = graph.itemShape();
    this.itemSize = graph.itemSize();
  }

  /** The media kind of the graph ({@code IMAGE} and {@code VIDEO} are distinct graphs of {@code VISION}). */
  public MediaKind media() {
    return spec.media();
  }

  @Override
  public Modality modality() {
    return spec.modality();
  }

  @Override
  public Class<Tensor> inputType() {
    return Tensor.class;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public String space() {
    return space;
  }

  /** The shape of one view. */
  public long[] viewShape() {
    return itemShape.clone();
  }

  @Override
  public List<EmbeddingResult> encodeAll(List<? extends Tensor> inputs) {
    Objects.requireNonNull(inputs, "inputs");
    if (closed.get()) {
      throw new IllegalStateException("the " + spec.media() + " tensor encoder is closed");
    }
    int[] views = new int[inputs.size()];
    int total = 0;
    for (int i = 0; i < inputs.size(); i++) {
      views[i] = viewCount(Objects.requireNonNull(inputs.get(i), "inputs[" + i + "]"), i);
      total = Math.addExact(total, views[i]);
    }
    // 1. per-view outputs, batched across inputs
    float[] out = new float[Math.multiplyExact(total, dimension)];
    int done = 0;
    int input = 0;
    int viewInInput = 0;
    boolean floats = spec.input().type() == TensorType.FLOAT32;
    boolean across = graph.batchesAcrossInputs();
    while (done < total) {
      if (!across) {
        // int8, one input per run: the rest of the current input's views (skipping inputs already done)
        while (viewInInput == views[input]) {
          input++;
          viewInInput = 0;
        }
      }
      int n = Math.min(maxBatch, across ? total - done : views[input] - viewInInput);
      // which input and view each row of this batch comes from
      int[] rowInput = new int[n];
      int[] rowView = new int[n];
      for (int k = 0; k < n; k++) {
        while (viewInInput == views[input]) {
          input++;
          viewInInput = 0;
        }
        rowInput[k] = input;
        rowView[k] = viewInInput++;
      }
      float[] r;
      if (floats) {
        // zero-copy: views go straight into the direct buffer ORT reads
        r = graph.runFloats(n, buf -> {
          for (int k = 0; k < n; k++) {
            inputs.get(rowInput[k]).putFloats(rowView[k] * itemSize, buf, itemSize);
          }
        });
      } else {
        long[] lb = new long[n * itemSize];
        for (int k = 0; k < n; k++) {
          inputs.get(rowInput[k]).copyLongs(rowView[k] * itemSize, lb, k * itemSize, itemSize);
        }
        r = graph.runLongs(lb, n);
      }
      System.arraycopy(r, 0, out, done * dimension, r.length);
      done += n;
    }
    // 2. host post-processing if the graph does not do it, then 3. aggregation per input
    PostProcessing post = spec.postprocessing();
    if (post.appliedIn() == PostProcessing.Stage.HOST) {
      for (int v = 0; v < total; v++) {
        postProcess(out, v * dimension, dimension, post);
      }
    }
    List<EmbeddingResult> results = new ArrayList<>(inputs.size());
    int offset = 0;
    for (int i = 0; i < inputs.size(); i++) {
      double[] acc = new double[dimension];
      for (int v = 0; v < views[i]; v++) {
        int base = (offset + v) * dimension;
        for (int j = 0; j < dimension; j++) {
          acc[j] += out[base + j];
        }
      }
      float[] raw = new float[dimension];
      for (int j = 0; j < dimension; j++) {
        raw[j] = (float) (acc[j] / views[i]);
      }
      offset += views[i];
      Embedding rawE;
      try {
        rawE = Embedding.of(space, spec.media(), raw);
      } catch (IllegalArgumentException e) {
        throw new EncodingException("input " + i + " (" + inputs.get(i) + "): the " + spec.media()
            + " graph produced a non-finite value: " + e.getMessage(), e);
      }
      if (rawE.norm() == 0) {
        throw new EncodingException("input " + i + " (" + inputs.get(i) + "): the " + spec.media()
            + " graph produced a zero vector, which has no direction to normalise");
      }
      results.add(new EmbeddingResult(rawE.normalize(), rawE));
    }
    return results;
  }

  private static void postProcess(float[] out, int base, int dim, PostProcessing post) {
    double scale = post.logitScale();
    if (post.l2Normalize()) {
      double s = 0;
      for (int j = base; j < base + dim; j++) {
        s += (double) out[j] * out[j];
      }
      scale = scale / Math.max(Math.sqrt(s), 1e-12);
    }
    for (int j = base; j < base + dim; j++) {
      out[j] = (float) (out[j] * scale);
    }
  }

  private int viewCount(Tensor t, int index) {
    if (t.type() != spec.input().type()) {
      throw new IllegalArgumentException("input " + index + " is " + t.type().manifestName() + ", expected "
          + spec.input().type().manifestName() + " for the " + spec.media() + " graph");
    }
    long[] s = t.shape();
    if (Arrays.equals(s, itemShape)) {
      return 1;
    }
    if (s.length == itemShape.length + 1 && Arrays.equals(Arrays.copyOfRange(s, 1, s.length), itemShape)) {
      if (spec.aggregation().mode() == Aggregation.Mode.NONE && s[0] != 1) {
        throw new IllegalArgumentException("input " + index + " has " + s[0] + " views, but the " + spec.media()
            + " graph aggregates none: expected shape " + Arrays.toString(itemShape));
      }
      return Math.toIntExact(s[0]);
    }
    throw new IllegalArgumentException("input " + index + " has shape " + Arrays.toString(s) + ", expected "
        + Arrays.toString(itemShape) + " (one view) or [S, " + Arrays.toString(itemShape).substring(1)
        + " (S views) for the " + spec.media() + " graph");
  }

  /** Closes the graph if this encoder owns it. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsGraph) {
      graph.close();
    }
  }

  @Override
  public String toString() {
    return "TensorEncoder[" + spec.media() + ", view " + Arrays.toString(itemShape) + ", " + graph.executionProvider() + "]";
  }
}
