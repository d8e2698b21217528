package dev.bindspace.audio;

import dev.bindspace.Modality;
import dev.bindspace.onnx.EmbeddingResult;
import dev.bindspace.onnx.OnnxEncoder;
import dev.bindspace.onnx.OnnxGraph;
import dev.bindspace.onnx.Preprocessing;
import dev.bindspace.onnx.Tensor;
import dev.bindspace.onnx.TensorEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Embeds audio through a bundle's audio graph: each input becomes {@code clips_per_file} views
 * ({@link AudioPreprocessor}), which the generic {@link TensorEncoder} batches across inputs, runs,
 * post-processes and aggregates as the bundle says (ImageBind: mean of the clip embeddings).
 * Normally obtained from {@link dev.bindspace.onnx.OnnxEmbeddingModel#encoder}; thread-safe.
 *
 * <pre>{@code
 * try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(Path.of("imagebind-bundle"))) {
 *   AudioEncoder audio = (AudioEncoder) model.encoder(Modality.AUDIO);
 *   Embedding dog = audio.embed(AudioInput.file(Path.of("bark.wav")));
 * }
 * }</pre>
 */
public final class AudioEncoder implements OnnxEncoder<AudioInput> {
  private final TensorEncoder tensors;
  private final AudioPreprocessor pre;
  private final long[] shape;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * An encoder over {@code graph} (not closed by this encoder).
   *
   * @throws IllegalArgumentException if the graph's preprocessing is not {@code audio} or its input
   *     shape is not {@code [-1, 1, mel_bins, target_frames]}
   */
  public AudioEncoder(OnnxGraph graph, String space, int dimension, int maxBatchSize, AudioOptions options) {
    Objects.requireNonNull(graph, "graph");
    if (!(graph.spec().preprocessing() instanceof Preprocessing.Audio profile)) {
      throw new IllegalArgumentException("graph " + graph.spec().media() + " has preprocessing kind '"
          + graph.spec().preprocessing().kind() + "', expected 'audio'");
    }
    this.pre = AudioPreprocessor.of(profile, options);
    long[] view = graph.itemShape();
    long[] want = {1, profile.melBins(), profile.targetFrames()};
    if (!Arrays.equals(view, want)) {
      throw new IllegalArgumentException("audio graph input view is " + Arrays.toString(view) + ", but the profile ("
          + profile.melBins() + " mel bins, " + profile.targetFrames() + " frames) needs " + Arrays.toString(want));
    }
    this.tensors = new TensorEncoder(graph, space, dimension, maxBatchSize, false);
    this.shape = pre.shape();
  }

  /** The preprocessing this encoder applies. */
  public AudioPreprocessor preprocessor() {
    return pre;
  }

  /** Embeds already-preprocessed tensors ({@code (clips, 1, mel, frames)} each); used by {@link AudioMoments}. */
  List<EmbeddingResult> encodeTensors(List<float[]> xs) {
    List<Tensor> ts = new ArrayList<>(xs.size());
    for (float[] x : xs) {
      ts.add(Tensor.ofFloats(shape, x));
    }
    return tensors.encodeAll(ts);
  }

  @Override
  public List<EmbeddingResult> encodeAll(List<? extends AudioInput> inputs) {
    Objects.requireNonNull(inputs, "inputs");
    if (closed.get()) {
      throw new IllegalStateException("the audio encoder is closed");
    }
    List<float[]> xs = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      xs.add(pre.preprocess(Objects.requireNonNull(inputs.get(i), "inputs[" + i + "]")));
    }
    return encodeTensors(xs);
  }

  @Override
  public Modality modality() {
    return Modality.AUDIO;
  }

  @Override
  public Class<AudioInput> inputType() {
    return AudioInput.class;
  }

  @Override
  public int dimension() {
    return tensors.dimension();
  }

  @Override
  public String space() {
    return tensors.space();
  }

  /** Idempotent; the graph belongs to whoever passed it in. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      tensors.close();
    }
  }

  @Override
  public String toString() {
    return "AudioEncoder[" + Arrays.toString(shape) + ", " + tensors + "]";
  }
}
