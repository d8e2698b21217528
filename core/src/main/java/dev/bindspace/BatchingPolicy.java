package dev.bindspace;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link BatchingEncoder} gathers concurrent calls into batches; immutable, made by
 * {@link #builder()}, validated in {@link Builder#build()}.
 *
 * <ul>
 *   <li>{@link #maxBatchSize()}: the most inputs one model run takes (default
 *       {@value #DEFAULT_MAX_BATCH_SIZE});
 *   <li>{@link #maxWait()}: how long the worker waits, after the first input of a batch arrived, for
 *       more to fill it, and only while some caller is preparing an input (default
 *       {@value #DEFAULT_MAX_WAIT_MICROS} µs). While the model is busy, inputs queue up anyway, so
 *       the wait matters only on a lightly loaded encoder: larger values make bigger batches at the
 *       cost of that much added latency;
 *   <li>{@link #queueCapacity()}: how many prepared inputs may wait; callers block beyond it
 *       (back-pressure, bounded memory; default {@value #DEFAULT_QUEUE_CAPACITY});
 *   <li>{@link #workers()}: model-stage threads taking batches from the queue (default
 *       {@value #DEFAULT_WORKERS}: one batch runs while the next is formed). ORT runs concurrent
 *       batches of one session on the same intra-op pool; with one worker, a small graph whose
 *       operators parallelise poorly left half of 2 cores idle (54 % CPU vs 94 % with two workers
 *       and one intra-op thread, bindspace-mini, docs/performance-runtime.md).
 * </ul>
 */
public final class BatchingPolicy {
  /** Default {@link #maxBatchSize()}. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 16;
  /** Default {@link #maxWait()} in microseconds. */
  public static final long DEFAULT_MAX_WAIT_MICROS = 100;
  /** Default {@link #workers()}: one batch runs while the next is formed. */
  public static final int DEFAULT_WORKERS = 2;
  /** Default {@link #queueCapacity()}. */
  public static final int DEFAULT_QUEUE_CAPACITY = 64;
  /** The longest {@link #maxWait()} accepted: one second. */
  public static final Duration MAX_WAIT_LIMIT = Duration.ofSeconds(1);
  /** The most {@link #workers()} accepted. */
  public static final int MAX_WORKERS = 64;

  private static final BatchingPolicy DEFAULTS = builder().build();

  private final int maxBatchSize;
  private final Duration maxWait;
  private final int queueCapacity;
  private final int workers;

  private BatchingPolicy(Builder b) {
    this.workers = b.workers;
    this.maxBatchSize = b.maxBatchSize;
    this.maxWait = b.maxWait;
    this.queueCapacity = b.queueCapacity;
  }

  /** Batches of up to 16, 100 µs wait, 64 queued inputs, two workers. */
  public static BatchingPolicy defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The most inputs per model run. */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /** How long to wait for more inputs once a batch has its first. */
  public Duration maxWait() {
    return maxWait;
  }

  /** How many prepared inputs may wait before callers block. */
  public int queueCapacity() {
    return queueCapacity;
  }

  /** Model-stage threads. */
  public int workers() {
    return workers;
  }

  @Override
  public String toString() {
    return "BatchingPolicy[maxBatchSize=" + maxBatchSize + ", maxWait=" + maxWait.toNanos() / 1000 + "us, queueCapacity="
        + queueCapacity + ", workers=" + workers + "]";
  }

  /** Builder; every setter is optional. */
  public static final class Builder {
    private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
    private Duration maxWait = Duration.ofNanos(DEFAULT_MAX_WAIT_MICROS * 1000);
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int workers = DEFAULT_WORKERS;

    private Builder() {}

    /** Model-stage threads, 1 to {@link #MAX_WORKERS}. */
    public Builder workers(int n) {
      this.workers = n;
      return this;
    }

    /** The most inputs per model run, >= 1. */
    public Builder maxBatchSize(int n) {
      this.maxBatchSize = n;
      return this;
    }

    /** The wait for more inputs, 0 (never wait) to {@link #MAX_WAIT_LIMIT}. */
    public Builder maxWait(Duration wait) {
      this.maxWait = Objects.requireNonNull(wait, "wait");
      return this;
    }

    /** {@link #maxWait(Duration)} in microseconds. */
    public Builder maxWaitMicros(long micros) {
      if (micros < 0) {
        throw new IllegalArgumentException("maxWait must be >= 0 µs, got " + micros);
      }
      return maxWait(Duration.ofNanos(Math.multiplyExact(micros, 1000L)));
    }

    /** Queued inputs before callers block, >= maxBatchSize. */
    public Builder queueCapacity(int n) {
      this.queueCapacity = n;
      return this;
    }

    /** @throws IllegalArgumentException naming the bad value */
    public BatchingPolicy build() {
      if (maxBatchSize < 1) {
        throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + maxBatchSize);
      }
      if (maxWait.isNegative() || maxWait.compareTo(MAX_WAIT_LIMIT) > 0) {
        throw new IllegalArgumentException("maxWait must be between 0 and " + MAX_WAIT_LIMIT + ", got " + maxWait);
      }
      if (queueCapacity < maxBatchSize) {
        throw new IllegalArgumentException("queueCapacity must be >= maxBatchSize (" + maxBatchSize + "), got "
            + queueCapacity);
      }
      if (workers < 1 || workers > MAX_WORKERS) {
        throw new IllegalArgumentException("workers must be in [1, " + MAX_WORKERS + "], got " + workers);
      }
      return new BatchingPolicy(this);
    }
  }
}
