package dev.bindspace.onnx;

/**
 * How ONNX Runtime sessions are created; immutable, made by {@link #builder()}, validated in
 * {@link Builder#build()}. {@link #defaults()} suits most uses: {@link #DEFAULT_INTRA_OP_THREADS}
 * intra-op threads (the JVM's available processors), all graph optimisations, the CPU memory arena and
 * memory patterns on, weight prepacking on, sequential execution, intra-op spinning <em>off</em>,
 * denormals kept, batches of up to 16 views, int8 graphs run one input at a time
 * ({@link QuantizedBatching#PER_INPUT}), CUDA only when available.
 *
 * <p>Why these two defaults differ from ORT's own: ORT sizes its pool from the machine's physical
 * cores and ignores container CPU quotas, while {@link Runtime#availableProcessors()} honours them;
 * and ORT's spinning pool threads busy-wait after every run, which on a shared or small machine
 * (a bindspace model has one session per graph, and callers preprocess on the same cores) took
 * CPU from the threads with real work: 3x lower throughput in the concurrency run on 2 vCPUs
 * ({@code docs/performance-runtime.md}).
 *
 * <pre>{@code
 * // several sessions (text + image + audio) or several callers sharing a small CPU:
 * OnnxRuntimeOptions opts = OnnxRuntimeOptions.builder()
 *     .intraOpThreads(1)               // each session single-threaded: callers give the parallelism
 *     .intraOpSpinning(true)           // lowest latency for one caller on an otherwise idle machine
 *     .build();
 * try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(Path.of("bundle"), opts)) { ... }
 * }</pre>
 *
 * <p>What each option bought on a 2-vCPU machine is measured in {@code docs/performance-runtime.md}.
 */
public final class OnnxRuntimeOptions {
  /** Graph optimisation levels, mapped one to one onto ORT's {@code OptLevel}. */
  public enum OptimizationLevel { NONE, BASIC, EXTENDED, ALL }

  /** Which execution provider sessions use. */
  public enum ExecutionProvider {
    /** CUDA when the GPU build of ONNX Runtime is on the classpath and a GPU is present, else CPU (one log line). */
    AUTO,
    /** Always CPU. */
    CPU,
    /** CUDA or fail: opening a graph throws if CUDA cannot be used. */
    CUDA
  }

  /** How the operators of one graph run: one after another, or independent branches at once. */
  public enum ExecutionMode {
    /** One operator at a time, each using the intra-op threads (ORT's default; best for transformer chains). */
    SEQUENTIAL,
    /** Independent branches at once on the inter-op pool; only helps graphs with parallel branches. */
    PARALLEL
  }

  /** When a model's graphs are loaded into ONNX Runtime. */
  public enum GraphLoading {
    /**
     * Every graph of the bundle when the model opens: a graph ORT cannot load, or whose signature
     * differs from the manifest, fails {@code open}. Costs the memory of graphs never used.
     */
    EAGER,
    /**
     * Each graph on its first run: a model opens in milliseconds and holds only the graphs it runs
     * (ImageBind-Huge's {@code video} graph alone holds 2.5 GB of weights that image-only users never
     * need). A graph that cannot be loaded fails its first run with a {@link BundleException}.
     */
    ON_FIRST_USE
  }

  /**
   * How the inputs of one call share the runs of an int8 graph ({@link GraphSpec.Precision#INT8}). Dynamic int8
   * quantises each MatMul's activations with one scale for the whole run, so when several inputs share a run,
   * an outlier in one input coarsens the others' quantisation: the same input got cosine 0.998–0.9999 between
   * batch 1 and batch 8 on the ImageBind-Huge-shaped stand-in. Float32 graphs are not affected (their rows do
   * not interact) and always batch across inputs.
   */
  public enum QuantizedBatching {
    /**
     * Each run of an int8 graph holds the views of one input only (an audio file's clips, a video's views, one
     * text), so an input's embedding is the same whatever else is in the call, and calls are reproducible. On the
     * Huge-shaped stand-in this cost nothing for images and audio (their products are large at batch 1) and
     * 1.1-1.2x for batches of 8 short texts (176 ms shared, 199-217 ms one by one). The default.
     */
    PER_INPUT,
    /**
     * Views of several inputs share runs of up to {@link #maxBatchSize()}, as for float32 graphs: more
     * throughput for small int8 graphs, but an embedding then depends slightly on its neighbours in the call.
     */
    SHARED
  }

  /** The default intra-op thread count: {@link Runtime#availableProcessors()} when this class loads. */
  public static final int DEFAULT_INTRA_OP_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

  /** The default largest number of views run through a graph in one call. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 16;

  private static final OnnxRuntimeOptions DEFAULTS = builder().build();

  private final int intraOpThreads;
  private final int interOpThreads;
  private final OptimizationLevel optimizationLevel;
  private final boolean memoryArena;
  private final int maxBatchSize;
  private final ExecutionProvider executionProvider;
  private final int cudaDevice;
  private final boolean weightPrepacking;
  private final boolean memoryPatterns;
  private final boolean intraOpSpinning;
  private final ExecutionMode executionMode;
  private final boolean denormalsAsZero;
  private final GraphLoading graphLoading;
  private final QuantizedBatching quantizedBatching;

  private OnnxRuntimeOptions(Builder b) {
    this.quantizedBatching = b.quantizedBatching;
    this.graphLoading = b.graphLoading;
    this.weightPrepacking = b.weightPrepacking;
    this.memoryPatterns = b.memoryPatterns;
    this.intraOpSpinning = b.intraOpSpinning;
    this.executionMode = b.executionMode;
    this.denormalsAsZero = b.denormalsAsZero;
    this.intraOpThreads = b.intraOpThreads;
    this.interOpThreads = b.interOpThreads;
    this.optimizationLevel = b.optimizationLevel;
    this.memoryArena = b.memoryArena;
    this.maxBatchSize = b.maxBatchSize;
    this.executionProvider = b.executionProvider;
    this.cudaDevice = b.cudaDevice;
  }

  public static OnnxRuntimeOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Threads inside one operator; 0 lets ONNX Runtime choose (its physical-core count, blind to
   * container quotas). Default {@link #DEFAULT_INTRA_OP_THREADS}.
   */
  public int intraOpThreads() {
    return intraOpThreads;
  }

  /** Threads across independent operators; 0 lets ONNX Runtime choose. */
  public int interOpThreads() {
    return interOpThreads;
  }

  public OptimizationLevel optimizationLevel() {
    return optimizationLevel;
  }

  /** Whether the CPU memory arena is on (faster, holds on to memory). */
  public boolean memoryArena() {
    return memoryArena;
  }

  /** The largest number of views per graph call; longer lists are split. */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  public ExecutionProvider executionProvider() {
    return executionProvider;
  }

  public int cudaDevice() {
    return cudaDevice;
  }

  /**
   * Whether ORT repacks constant MatMul/Gemm weights into its kernels' blocked layout once, at load
   * (ORT config {@code session.disable_prepacking = 0}). Faster runs, more memory while loading.
   */
  public boolean weightPrepacking() {
    return weightPrepacking;
  }

  /**
   * Whether ORT plans the buffers of a run from the shapes of earlier runs (memory pattern optimisation).
   * Applies to graphs with fixed view shapes; text graphs whose sequence length varies from call to call
   * (wordpiece, and {@code clip_bpe} with {@code "padding": "longest"}) always run without it: with it, the
   * ImageBind-Huge-shaped text graph took ~200 ms instead of ~60 ms per short caption of changing length.
   */
  public boolean memoryPatterns() {
    return memoryPatterns;
  }

  /**
   * Whether intra-op pool threads spin (busy-wait) for the next piece of work instead of sleeping
   * (ORT config {@code session.intra_op.allow_spinning}). Spinning lowers the latency of one caller
   * on an idle machine but burns cores other sessions or preprocessing threads could use.
   */
  public boolean intraOpSpinning() {
    return intraOpSpinning;
  }

  /** How the operators of a graph are scheduled. */
  public ExecutionMode executionMode() {
    return executionMode;
  }

  /**
   * Whether denormal floats are flushed to zero in ORT's kernels (ORT config
   * {@code session.set_denormal_as_zero}); avoids the slow path for tiny values, may change results
   * in the last bits.
   */
  public boolean denormalsAsZero() {
    return denormalsAsZero;
  }

  /** When graphs are loaded; default {@link GraphLoading#EAGER}. */
  public GraphLoading graphLoading() {
    return graphLoading;
  }

  /** How int8 graphs group inputs into runs; default {@link QuantizedBatching#PER_INPUT}. */
  public QuantizedBatching quantizedBatching() {
    return quantizedBatching;
  }

  @Override
  public String toString() {
    return "OnnxRuntimeOptions[intraOpThreads=" + intraOpThreads + ", interOpThreads=" + interOpThreads
        + ", optimizationLevel=" + optimizationLevel + ", memoryArena=" + memoryArena + ", maxBatchSize="
        + maxBatchSize + ", executionProvider=" + executionProvider + ", cudaDevice=" + cudaDevice
        + ", weightPrepacking=" + weightPrepacking + ", memoryPatterns=" + memoryPatterns + ", intraOpSpinning="
        + intraOpSpinning + ", executionMode=" + executionMode + ", denormalsAsZero=" + denormalsAsZero
        + ", graphLoading=" + graphLoading + ", quantizedBatching=" + quantizedBatching + "]";
  }

  /** Builder; every setter is optional. */
  public static final class Builder {
    private int intraOpThreads = DEFAULT_INTRA_OP_THREADS;
    private int interOpThreads;
    private OptimizationLevel optimizationLevel = OptimizationLevel.ALL;
    private boolean memoryArena = true;
    private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
    private ExecutionProvider executionProvider = ExecutionProvider.AUTO;
    private int cudaDevice;
    private boolean weightPrepacking = true;
    private boolean memoryPatterns = true;
    private boolean intraOpSpinning;
    private ExecutionMode executionMode = ExecutionMode.SEQUENTIAL;
    private boolean denormalsAsZero;
    private GraphLoading graphLoading = GraphLoading.EAGER;
    private QuantizedBatching quantizedBatching = QuantizedBatching.PER_INPUT;

    private Builder() {}

    /** See {@link OnnxRuntimeOptions#quantizedBatching()}; default {@link QuantizedBatching#PER_INPUT}. */
    public Builder quantizedBatching(QuantizedBatching batching) {
      this.quantizedBatching = java.util.Objects.requireNonNull(batching, "batching");
      return this;
    }

    /** See {@link OnnxRuntimeOptions#graphLoading()}; default {@link GraphLoading#EAGER}. */
    public Builder graphLoading(GraphLoading loading) {
      this.graphLoading = java.util.Objects.requireNonNull(loading, "loading");
      return this;
    }

    /** See {@link OnnxRuntimeOptions#weightPrepacking()}; default on. */
    public Builder weightPrepacking(boolean on) {
      this.weightPrepacking = on;
      return this;
    }

    /** See {@link OnnxRuntimeOptions#memoryPatterns()}; default on. */
    public Builder memoryPatterns(boolean on) {
      this.memoryPatterns = on;
      return this;
    }

    /** See {@link OnnxRuntimeOptions#intraOpSpinning()}; default off (ORT's own default is on). */
    public Builder intraOpSpinning(boolean on) {
      this.intraOpSpinning = on;
      return this;
    }

    /** See {@link OnnxRuntimeOptions#executionMode()}; default {@link ExecutionMode#SEQUENTIAL}. */
    public Builder executionMode(ExecutionMode mode) {
      this.executionMode = java.util.Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** See {@link OnnxRuntimeOptions#denormalsAsZero()}; default off. */
    public Builder denormalsAsZero(boolean on) {
      this.denormalsAsZero = on;
      return this;
    }

    /** Starts from every value of {@code options}. */
    public Builder from(OnnxRuntimeOptions options) {
      java.util.Objects.requireNonNull(options, "options");
      intraOpThreads = options.intraOpThreads;
      interOpThreads = options.interOpThreads;
      optimizationLevel = options.optimizationLevel;
      memoryArena = options.memoryArena;
      maxBatchSize = options.maxBatchSize;
      executionProvider = options.executionProvider;
      cudaDevice = options.cudaDevice;
      weightPrepacking = options.weightPrepacking;
      memoryPatterns = options.memoryPatterns;
      intraOpSpinning = options.intraOpSpinning;
      executionMode = options.executionMode;
      denormalsAsZero = options.denormalsAsZero;
      graphLoading = options.graphLoading;
      quantizedBatching = options.quantizedBatching;
      return this;
    }

    /** Threads inside one operator; 0 lets ONNX Runtime choose (see {@link OnnxRuntimeOptions#intraOpThreads()}). */
    public Builder intraOpThreads(int n) {
      this.intraOpThreads = n;
      return this;
    }

    /** Threads across independent operators; used only with {@link ExecutionMode#PARALLEL}; 0 = ORT default. */
    public Builder interOpThreads(int n) {
      this.interOpThreads = n;
      return this;
    }

    public Builder optimizationLevel(OptimizationLevel level) {
      this.optimizationLevel = java.util.Objects.requireNonNull(level, "level");
      return this;
    }

    public Builder memoryArena(boolean on) {
      this.memoryArena = on;
      return this;
    }

    public Builder maxBatchSize(int n) {
      this.maxBatchSize = n;
      return this;
    }

    public Builder executionProvider(ExecutionProvider provider) {
      this.executionProvider = java.util.Objects.requireNonNull(provider, "provider");
      return this;
    }

    public Builder cudaDevice(int device) {
      this.cudaDevice = device;
      return this;
    }

    /** @throws IllegalArgumentException naming the bad value */
    public OnnxRuntimeOptions build() {
      if (intraOpThreads < 0) {
        throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = ORT default), got " + intraOpThreads);
      }
      if (interOpThreads < 0) {
        throw new IllegalArgumentException("interOpThreads must be >= 0 (0 = ORT default), got " + interOpThreads);
      }
      if (maxBatchSize < 1) {
        throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + maxBatchSize);
      }
      if (cudaDevice < 0) {
        throw new IllegalArgumentException("cudaDevice must be >= 0, got " + cudaDevice);
      }
      if (interOpThreads > 1 && executionMode == ExecutionMode.SEQUENTIAL) {
        throw new IllegalArgumentException("interOpThreads = " + interOpThreads + " has no effect with executionMode "
            + "SEQUENTIAL (ORT uses the inter-op pool only in PARALLEL mode): expected interOpThreads 0 or 1, or "
            + "executionMode(PARALLEL)");
      }
      return new OnnxRuntimeOptions(this);
    }
  }
}
