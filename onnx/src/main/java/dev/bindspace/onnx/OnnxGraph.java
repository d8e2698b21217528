package dev.bindspace.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.bindspace.EncodingException;
import dev.bindspace.onnx.internal.OrtRuntime;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One ONNX graph of a bundle on ONNX Runtime: a single {@code OrtSession}, shared by all threads
 * (ORT sessions support concurrent {@code run} calls), checked against its {@link GraphSpec} when
 * loaded: when opened with {@link OnnxRuntimeOptions.GraphLoading#EAGER}, on its first run with
 * {@link OnnxRuntimeOptions.GraphLoading#ON_FIRST_USE}. {@link OrtException} is wrapped here, once: opening failures become
 * {@link BundleException}, run failures {@link EncodingException}.
 *
 * <p>{@link #close()} is idempotent and waits for runs in flight; a run after close throws
 * {@link IllegalStateException}.
 */
public final class OnnxGraph implements AutoCloseable {
  private final GraphSpec spec;
  private final String label;
  private final String provider;
  private final Path file;
  private final OnnxRuntimeOptions options;
  private final Object loading = new Object();
  /** Null until loaded; written under {@code loading} while holding the read lock, read under the lock. */
  private volatile OrtSession session;
  private final long[] itemShape;
  private final int itemSize;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private OnnxGraph(GraphSpec spec, String label, String provider, OrtSession session, Path file,
      OnnxRuntimeOptions options) {
    this.file = file;
    this.options = options;
    this.spec = spec;
    this.label = label;
    this.provider = provider;
    this.session = session;
    this.itemShape = spec.input().itemShape();
    if (spec.tokenSequence() || spec.variableLengthIds()) {
      this.itemSize = -1;
      return;
    }
    long n = 1;
    for (long d : itemShape) {
      if (d < 1) {
        throw new BundleException(label + ": input '" + spec.input().name() + "' has shape " + spec.input().shape()
            + ", expected only the batch axis to be dynamic");
      }
      n = Math.multiplyExact(n, d);
    }
    this.itemSize = Math.toIntExact(n);
  }

  /** Opens the graph in the verified {@code bundle}. */
  public static OnnxGraph open(Bundle bundle, GraphSpec spec, OnnxRuntimeOptions options) {
    return open(bundle.file(spec.file()), spec, options,
        bundle.source() + ": graph " + BundleManifest.key(spec.media()) + " (" + spec.file().path() + ")");
  }

  /**
   * Opens {@code file} and checks that its input and output names, element types and shapes are
   * those of {@code spec}.
   *
   * @param label names the graph in messages
   * @throws BundleException if ORT cannot load it or the signature differs
   */
  public static OnnxGraph open(Path file, GraphSpec spec, OnnxRuntimeOptions options, String label) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(options, "options");
    String[] chosen = new String[1];
    if (options.graphLoading() == OnnxRuntimeOptions.GraphLoading.ON_FIRST_USE) {
      if (!java.nio.file.Files.isRegularFile(file)) {
        throw new BundleException(label + ": graph file " + file + " does not exist");
      }
      // Settles the execution provider now (cheap), the session itself on the first run.
      OrtRuntime.sessionOptions(options, chosen).close();
      return new OnnxGraph(spec, label, chosen[0], null, file, options);
    }
    OrtSession session = load(file, spec, options, label, chosen);
    return new OnnxGraph(spec, label, chosen[0], session, file, options);
  }

  private static OrtSession load(Path file, GraphSpec spec, OnnxRuntimeOptions options, String label,
      String[] chosen) {
    OrtSession session;
    try (OrtSession.SessionOptions so = OrtRuntime.sessionOptions(options, chosen)) {
      if (spec.tokenSequence() || spec.variableLengthIds()) {
        // ORT's memory patterns plan buffers from earlier runs' input shapes; a text graph sees a new sequence
        // length on most calls, and with them on the Huge stand-in took 200 ms instead of 60 ms for "A dog."
        so.setMemoryPatternOptimization(false);
      }
      session = OrtRuntime.environment().createSession(file.toString(), so);
    } catch (OrtException e) {
      throw new BundleException(label + ": ONNX Runtime cannot load the graph: " + e.getMessage(), e);
    }
    try {
      checkSignature(session.getInputInfo(), spec.inputs(), "input", label);
      checkSignature(session.getOutputInfo(), List.of(spec.output()), "output", label);
      return session;
    } catch (OrtException e) {
      closeQuietly(session);
      throw new BundleException(label + ": cannot read the graph signature: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(session);
      throw e;
    }
  }

  private static void checkSignature(Map<String, NodeInfo> actual, List<TensorSpec> expected, String what,
      String label) {
    List<String> names = new ArrayList<>(actual.keySet());
    List<String> want = new ArrayList<>();
    for (TensorSpec t : expected) {
      want.add(t.name());
    }
    if (!names.equals(want)) {
      throw new BundleException(label + ": " + what + " names differ from " + BundleManifest.FILE_NAME + ": expected "
          + want + ", found " + names);
    }
    for (TensorSpec t : expected) {
      NodeInfo info = actual.get(t.name());
      if (!(info.getInfo() instanceof TensorInfo ti)) {
        throw new BundleException(label + ": " + what + " '" + t.name() + "': expected a tensor, found "
            + info.getInfo());
      }
      OnnxJavaType wantType = t.type() == TensorType.FLOAT32 ? OnnxJavaType.FLOAT : OnnxJavaType.INT64;
      if (ti.type != wantType) {
        throw new BundleException(label + ": " + what + " '" + t.name() + "' has element type: expected "
            + t.type().manifestName() + ", found " + ti.type);
      }
      long[] shape = ti.getShape();
      if (!Arrays.equals(shape, t.shapeArray())) {
        throw new BundleException(label + ": " + what + " '" + t.name() + "' has shape: expected " + t.shape()
            + " (from " + BundleManifest.FILE_NAME + "), found " + Arrays.toString(shape) + " in the graph");
      }
    }
  }

  public GraphSpec spec() {
    return spec;
  }

  /**
   * The session, loading it on first use. Called with the read lock held after the closed check, so
   * {@link #close()} cannot run meanwhile; concurrent first runs load once.
   */
  private OrtSession session() {
    OrtSession s = session;
    if (s == null) {
      synchronized (loading) {
        s = session;
        if (s == null) {
          s = load(file, spec, options, label, new String[1]);
          session = s;
        }
      }
    }
    return s;
  }

  /**
   * Whether one run may hold views of several inputs. False for an int8 graph under
   * {@link OnnxRuntimeOptions.QuantizedBatching#PER_INPUT} (the default): its activations are quantised with one
   * scale per run, so sharing a run would make an input's embedding depend on the others. Encoders that batch
   * inputs ({@link TensorEncoder}, the text encoder) honour it.
   */
  public boolean batchesAcrossInputs() {
    return spec.precision() != GraphSpec.Precision.INT8
        || options.quantizedBatching() == OnnxRuntimeOptions.QuantizedBatching.SHARED;
  }

  /** Whether the ONNX Runtime session exists yet (always, unless opened {@code ON_FIRST_USE} and not run). */
  public boolean loaded() {
    return session != null;
  }

  /** The execution provider the session runs on: {@code CPU} or {@code CUDA}. */
  public String executionProvider() {
    return provider;
  }

  /** The shape of one view (the input shape without the batch axis). */
  public long[] itemShape() {
    return itemShape.clone();
  }

  /**
   * The number of values in one view; -1 for a token-sequence or variable-length id graph (the sequence
   * axis is dynamic).
   */
  public int itemSize() {
    return itemSize;
  }

  /**
   * Runs a float32 batch of {@code batch} views laid out back to back and returns the outputs,
   * {@code batch × dimension} values row-major. The values are copied once, into this thread's direct
   * staging buffer that ONNX Runtime reads in place.
   */
  public float[] runFloats(float[] data, int batch) {
    requireType(TensorType.FLOAT32);
    checkLength(data.length, batch);
    return runFloats(batch, buf -> buf.put(data));
  }

  /**
   * Runs a float32 batch written by {@code fill} straight into a direct, native-order buffer that ONNX
   * Runtime reads without copying (the zero-copy path: preprocessing writes the model input in
   * place). {@code fill} must put exactly {@code batch × itemSize()} values from position 0. The
   * buffer is this thread's staging buffer, valid only during the call.
   */
  public float[] runFloats(int batch, java.util.function.Consumer<FloatBuffer> fill) {
    requireType(TensorType.FLOAT32);
    requireFixedViews();
    checkBatch(batch);
    int n = Math.multiplyExact(batch, itemSize);
    Staging st = Staging.get();
    FloatBuffer in = st.floats(n);
    fill.accept(in);
    if (in.position() != n) {
      throw new IllegalArgumentException(label + ": a batch of " + batch + " views of shape "
          + Arrays.toString(itemShape) + " needs " + n + " values, the filler wrote " + in.position());
    }
    in.flip();
    return run(() -> OnnxTensor.createTensor(OrtRuntime.environment(), in, batchShape(batch)), batch, st);
  }

  /** Runs an int64 batch (e.g. token ids); see {@link #runFloats}. */
  public float[] runLongs(long[] data, int batch) {
    requireType(TensorType.INT64);
    checkLength(data.length, batch);
    Staging st = Staging.get();
    LongBuffer in = st.longs(0, data.length);
    in.put(data).flip();
    return run(() -> OnnxTensor.createTensor(OrtRuntime.environment(), in, batchShape(batch)), batch, st);
  }

  /**
   * Runs a batch of token ids, {@code batch × sequenceLength} values row-major, and returns the pooled
   * outputs, {@code batch × dimension} values row-major. A variable-length id graph
   * ({@link GraphSpec#variableLengthIds()}) takes any {@code sequenceLength} from 1 to the profile's
   * {@code context_length}; a fixed one only its declared length.
   */
  public float[] runIds(long[] ids, int batch, int sequenceLength) {
    if (spec.tokenSequence()) {
      throw new IllegalArgumentException(label + " is a token-sequence graph; use runTokens");
    }
    if (!spec.variableLengthIds()) {
      if (itemShape.length != 1 || sequenceLength != itemShape[0]) {
        throw new IllegalArgumentException(label + ": takes views of shape " + Arrays.toString(itemShape)
            + ", not a sequence of " + sequenceLength + " ids");
      }
      return runLongs(ids, batch);
    }
    requireType(TensorType.INT64);
    int max = ((Preprocessing.Text) spec.preprocessing()).contextLength();
    if (batch < 1 || sequenceLength < 1 || sequenceLength > max) {
      throw new IllegalArgumentException(label + ": batch must be >= 1 and the sequence length in [1, " + max
          + "], got " + batch + " and " + sequenceLength);
    }
    if ((long) batch * sequenceLength != ids.length) {
      throw new IllegalArgumentException(label + ": a " + batch + " × " + sequenceLength + " batch needs "
          + (long) batch * sequenceLength + " ids, got " + ids.length);
    }
    Staging st = Staging.get();
    LongBuffer in = st.longs(0, ids.length);
    in.put(ids).flip();
    long[] shape = {batch, sequenceLength};
    return run(() -> OnnxTensor.createTensor(OrtRuntime.environment(), in, shape), batch, st);
  }

  /**
   * Runs a token-sequence graph ({@link GraphSpec#tokenSequence()}): {@code inputs[k]} is the
   * row-major {@code batch × sequenceLength} int64 tensor of the k-th declared input (ids, attention
   * mask, token type ids). Returns the per-token output, {@code batch × sequenceLength × dimension}
   * values row-major.
   */
  public float[] runTokens(long[][] inputs, int batch, int sequenceLength) {
    if (!spec.tokenSequence()) {
      throw new IllegalArgumentException(label + " is not a token-sequence graph");
    }
    if (inputs.length != spec.inputs().size()) {
      throw new IllegalArgumentException(label + ": expected " + spec.inputs().size() + " input tensors "
          + spec.inputs() + ", got " + inputs.length);
    }
    if (batch < 1 || sequenceLength < 1) {
      throw new IllegalArgumentException(label + ": batch and sequence length must be >= 1, got " + batch + " and "
          + sequenceLength);
    }
    long n = (long) batch * sequenceLength;
    for (long[] in : inputs) {
      if (in.length != n) {
        throw new IllegalArgumentException(label + ": a " + batch + " × " + sequenceLength + " batch needs " + n
            + " values per input, got " + in.length);
      }
    }
    long[] shape = {batch, sequenceLength};
    long dim = spec.output().shape().get(2);
    long[] outShape = {batch, sequenceLength, dim};
    Staging st = Staging.get();
    lock.readLock().lock();
    List<OnnxTensor> made = new ArrayList<>();
    try {
      if (closed) {
        throw new IllegalStateException(label + " is closed");
      }
      Map<String, OnnxTensor> feed = new java.util.LinkedHashMap<>();
      for (int k = 0; k < inputs.length; k++) {
        LongBuffer lb = st.longs(k, inputs[k].length);
        lb.put(inputs[k]).flip();
        OnnxTensor t = OnnxTensor.createTensor(OrtRuntime.environment(), lb, shape);
        made.add(t);
        feed.put(spec.inputs().get(k).name(), t);
      }
      FloatBuffer outBuf = st.output(Math.toIntExact(Math.multiplyExact(n, dim)));
      OnnxTensor out = OnnxTensor.createTensor(OrtRuntime.environment(), outBuf, outShape);
      made.add(out);
      try (OrtSession.Result r = session().run(feed, Map.of(spec.output().name(), out))) {
        float[] res = new float[outBuf.remaining()];
        outBuf.get(res);
        return res;
      }
    } catch (OrtException e) {
      throw new EncodingException(label + ": ONNX Runtime failed on a batch of " + batch + " × " + sequenceLength
          + " tokens: " + e.getMessage(), e);
    } finally {
      for (OnnxTensor t : made) {
        t.close();
      }
      lock.readLock().unlock();
    }
  }

  private interface TensorMaker {
    OnnxTensor make() throws OrtException;
  }

  /**
   * Runs one batch. The input tensor wraps a staging buffer (no copy by ORT); the output is pinned
   * to this thread's direct output buffer, so ORT writes the result there and the only copy left is
   * the one into the returned array.
   */
  private float[] run(TensorMaker maker, int batch, Staging st) {
    long dim = spec.output().shape().get(1);
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException(label + " is closed");
      }
      FloatBuffer outBuf = st.output(Math.toIntExact(batch * dim));
      try (OnnxTensor in = maker.make();
           OnnxTensor out = OnnxTensor.createTensor(OrtRuntime.environment(), outBuf, new long[] {batch, dim});
           OrtSession.Result r = session().run(Map.of(spec.input().name(), in), Map.of(spec.output().name(), out))) {
        float[] res = new float[outBuf.remaining()];
        outBuf.get(res);
        return res;
      }
    } catch (OrtException e) {
      throw new EncodingException(label + ": ONNX Runtime failed on a batch of " + batch + ": " + e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Per-thread direct, native-order buffers that ONNX Runtime reads and writes in place: one for
   * float input, up to three for int64 inputs, one for the output. They grow to the largest batch
   * seen on the thread; beyond {@link #KEEP_BYTES} a call gets fresh buffers that are not kept, so a
   * thread never pins more than a few tens of MB. Safe to reuse because every tensor over them is
   * closed before the call that filled them returns.
   */
  private static final class Staging {
    static final int KEEP_BYTES = 64 << 20;
    private static final ThreadLocal<Staging> LOCAL = ThreadLocal.withInitial(Staging::new);
    private java.nio.ByteBuffer in;
    private final java.nio.ByteBuffer[] longs = new java.nio.ByteBuffer[3];
    private java.nio.ByteBuffer out;

    static Staging get() {
      return LOCAL.get();
    }

    FloatBuffer floats(int count) {
      long bytes = (long) count * Float.BYTES;
      if (bytes > KEEP_BYTES) {
        return fresh(bytes).asFloatBuffer();
      }
      in = grow(in, bytes);
      return slice(in, bytes).asFloatBuffer();
    }

    LongBuffer longs(int slot, int count) {
      long bytes = (long) count * Long.BYTES;
      if (bytes > KEEP_BYTES) {
        return fresh(bytes).asLongBuffer();
      }
      longs[slot] = grow(longs[slot], bytes);
      return slice(longs[slot], bytes).asLongBuffer();
    }

    FloatBuffer output(int count) {
      long bytes = (long) count * Float.BYTES;
      if (bytes > KEEP_BYTES) {
        return fresh(bytes).asFloatBuffer();
      }
      out = grow(out, bytes);
      return slice(out, bytes).asFloatBuffer();
    }

    private static java.nio.ByteBuffer fresh(long bytes) {
      return java.nio.ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(java.nio.ByteOrder.nativeOrder());
    }

    private static java.nio.ByteBuffer grow(java.nio.ByteBuffer b, long bytes) {
      if (b != null && b.capacity() >= bytes) {
        return b;
      }
      long doubled = b == null ? 0 : 2L * b.capacity();
      return fresh(Math.min(KEEP_BYTES, Math.max(bytes, doubled)));
    }

    private static java.nio.ByteBuffer slice(java.nio.ByteBuffer b, long bytes) {
      return b.duplicate().clear().limit(Math.toIntExact(bytes)).slice().order(java.nio.ByteOrder.nativeOrder());
    }
  }

  private long[] batchShape(int batch) {
    long[] s = new long[itemShape.length + 1];
    s[0] = batch;
    System.arraycopy(itemShape, 0, s, 1, itemShape.length);
    return s;
  }

  private void requireType(TensorType t) {
    if (spec.tokenSequence()) {
      throw new IllegalArgumentException(label + " is a token-sequence graph; use runTokens");
    }
    if (spec.input().type() != t) {
      throw new IllegalArgumentException(label + " takes " + spec.input().type().manifestName() + " input, not "
          + t.manifestName());
    }
  }

  private void requireFixedViews() {
    if (itemSize < 0) {
      throw new IllegalArgumentException(label + " takes token ids of any length up to the context length; "
          + "use runIds");
    }
  }

  private void checkBatch(int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException(label + ": batch must be >= 1, got " + batch);
    }
  }

  private void checkLength(int length, int batch) {
    requireFixedViews();
    if (batch < 1 || (long) batch * itemSize != length) {
      throw new IllegalArgumentException(label + ": a batch of " + batch + " views of shape "
          + Arrays.toString(itemShape) + " needs " + (long) batch * itemSize + " values, got " + length);
    }
  }

  private static void closeQuietly(OrtSession s) {
    try {
      s.close();
    } catch (OrtException e) {
      // already failing; the first error is the one to report
    }
  }

  /** Releases the session. Idempotent; waits for runs in flight. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      OrtSession s = session;
      if (s == null) {
        return;
      }
      try {
        s.close();
      } catch (OrtException e) {
        throw new BundleException(label + ": ONNX Runtime failed to close the session: " + e.getMessage(), e);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "OnnxGraph[" + label + ", " + (spec.inputs().size() == 1 ? spec.input() : spec.inputs()) + " -> " + spec.output() + ", " + provider + "]";
  }
}
