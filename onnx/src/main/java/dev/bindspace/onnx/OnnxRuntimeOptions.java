package dev.bindspace.onnx;

/**
 * How ONNX Runtime sessions are created; immutable, made by {@link #builder()}, validated in
 * {@link Builder#build()}. {@link #defaults()} suits most uses: ORT's own thread counts, all graph
 * optimisations, the CPU memory arena on, batches of up to 16 views, CUDA only when available.
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

  private OnnxRuntimeOptions(Builder b) {
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

  /** Threads inside one operator; 0 lets ONNX Runtime choose. */
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

  @Override
  public String toString() {
    return "OnnxRuntimeOptions[intraOpThreads=" + intraOpThreads + ", interOpThreads=" + interOpThreads
        + ", optimizationLevel=" + optimizationLevel + ", memoryArena=" + memoryArena + ", maxBatchSize="
        + maxBatchSize + ", executionProvider=" + executionProvider + ", cudaDevice=" + cudaDevice + "]";
  }

  /** Builder; every setter is optional. */
  public static final class Builder {
    private int intraOpThreads;
    private int interOpThreads;
    private OptimizationLevel optimizationLevel = OptimizationLevel.ALL;
    private boolean memoryArena = true;
    private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
    private ExecutionProvider executionProvider = ExecutionProvider.AUTO;
    private int cudaDevice;

    private Builder() {}

    public Builder intraOpThreads(int n) {
      this.intraOpThreads = n;
      return this;
    }

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
      return new OnnxRuntimeOptions(this);
    }
  }
}
