package dev.bindspace;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link Encoder} that gathers concurrent calls into batches for the encoder it wraps: many
 * threads call {@link #embed(Object)} with one input each, worker threads run them through the
 * model {@link BatchingPolicy#maxBatchSize()} at a time, and each caller gets its own embedding.
 *
 * <pre>{@code
 * try (OnnxEmbeddingModel model = BindspaceMini.open();
 *      BatchingEncoder<VisionInput> images = BatchingEncoder.wrap(
 *          model.encoder(Modality.VISION, VisionInput.class), BatchingPolicy.defaults())) {
 *   // from any number of threads:
 *   Embedding e = images.embed(VisionInput.file(Path.of("dog.jpg")));
 * }
 * }</pre>
 *
 * <h2>Threads</h2>
 * If the wrapped encoder is a {@link StagedEncoder}, the host stage ({@code prepare}: decode,
 * resize, tokenize) runs on the calling thread, before the input is queued, and only the model stage
 * runs on the worker. Callers therefore prepare the next batch while the model runs the current one
 * (the overlap costs no extra threads, and the number of inputs being prepared at once is the number
 * of callers: natural back-pressure). Other encoders run whole on the workers. By default two
 * workers per wrapper ({@link BatchingPolicy#workers()}): one batch runs while the next is formed,
 * which keeps 2 cores busy where one worker left half of them idle (measured on bindspace-mini).
 *
 * <h2>Batch formation</h2>
 * The worker takes the first queued input, then everything already queued, up to
 * {@link BatchingPolicy#maxBatchSize()}; it waits up to {@link BatchingPolicy#maxWait()} for more
 * only while some caller is in its host stage (about to queue). When every caller is blocked on a
 * result, nothing more can arrive, so the batch runs at once: synchronous callers never pay the
 * wait (measured: a fixed 500 µs wait halved the throughput of 4 callers on 2 cores).
 *
 * <h2>Errors</h2>
 * An input that fails its host stage fails only its caller, on the caller's thread. If a batch fails
 * in the model stage, its inputs are run again one at a time, so that each caller gets its own
 * result or its own exception: one undecodable image among eight does not fail the other seven.
 * {@link #embedAll(List)} keeps the {@link Encoder} contract: it returns every embedding in order or
 * throws for the first input that failed, the message naming its index.
 *
 * <h2>Closing</h2>
 * {@link #close()} is idempotent; it lets the batch in flight finish, fails every queued call with
 * {@link IllegalStateException} ("closed while queued"), and stops the worker threads before it
 * returns. It does not close the wrapped encoder (the caller, or the model that made it, owns that).
 *
 * @param <I> the input type
 */
public final class BatchingEncoder<I> implements Encoder<I> {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final long IDLE_POLL_MILLIS = 50;
  private static final long WAIT_SLICE_NANOS = 50_000;

  private final Encoder<I> delegate;
  private final Stages<I> stages;
  private final BatchingPolicy policy;
  private final BlockingQueue<Request> queue;
  private final List<Thread> workers = new ArrayList<>();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong items = new AtomicLong();
  /** Callers between entering the host stage and queueing: the only source of more inputs soon. */
  private final AtomicInteger preparing = new AtomicInteger();
  private volatile boolean closed;

  private BatchingEncoder(Encoder<I> delegate, BatchingPolicy policy) {
    this.delegate = delegate;
    this.policy = policy;
    this.stages = Stages.of(delegate);
    this.queue = new ArrayBlockingQueue<>(policy.queueCapacity());
    String name = "bindspace-batching-" + delegate.modality().name().toLowerCase(java.util.Locale.ROOT) + "-"
        + SEQUENCE.incrementAndGet();
    for (int w = 0; w < policy.workers(); w++) {
      Thread t = new Thread(this::work, policy.workers() == 1 ? name : name + "-w" + w);
      t.setDaemon(true); // a forgotten close() must not keep the JVM alive
      workers.add(t);
    }
    workers.forEach(Thread::start);
  }

  /** Wraps {@code encoder}, which must be thread-safe for {@code prepare} (the worker alone runs the model stage). */
  public static <I> BatchingEncoder<I> wrap(Encoder<I> encoder, BatchingPolicy policy) {
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(policy, "policy");
    if (encoder instanceof BatchingEncoder) {
      throw new IllegalArgumentException("encoder is already a BatchingEncoder: " + encoder);
    }
    return new BatchingEncoder<>(encoder, policy);
  }

  /** Wraps {@code encoder} with {@link BatchingPolicy#defaults()}. */
  public static <I> BatchingEncoder<I> wrap(Encoder<I> encoder) {
    return wrap(encoder, BatchingPolicy.defaults());
  }

  @Override
  public Modality modality() {
    return delegate.modality();
  }

  @Override
  public Class<I> inputType() {
    return delegate.inputType();
  }

  @Override
  public int dimension() {
    return delegate.dimension();
  }

  @Override
  public String space() {
    return delegate.space();
  }

  public BatchingPolicy policy() {
    return policy;
  }

  /** Whether the host stage runs on the callers ({@code true} when the wrapped encoder is a {@link StagedEncoder}). */
  public boolean overlapsPreparation() {
    return stages.staged();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /** Model runs so far (a batch re-run one input at a time after a failure counts each run). */
  public long batches() {
    return batches.get();
  }

  /** Inputs run through the model so far; {@code items() / batches()} is the mean batch size. */
  public long items() {
    return items.get();
  }

  @Override
  public Embedding embed(I input) {
    Objects.requireNonNull(input, "input");
    checkOpen();
    return await(prepareAndSubmit(input).result);
  }

  /**
   * Runs the host stage of {@code input} now, on this thread, queues it and returns without waiting
   * for the model: a caller that keeps several inputs in flight lets batches grow beyond the number
   * of calling threads (with synchronous {@link #embed} calls a batch holds at most one input per
   * caller). Blocks only while the queue is full.
   *
   * @throws EncodingException if the host stage fails (the model-stage failure completes the future
   *     exceptionally instead)
   */
  public CompletableFuture<Embedding> embedAsync(I input) {
    Objects.requireNonNull(input, "input");
    checkOpen();
    return prepareAndSubmit(input).result.copy();
  }

  @Override
  public List<Embedding> embedAll(List<? extends I> inputs) {
    Objects.requireNonNull(inputs, "inputs");
    checkOpen();
    List<CompletableFuture<Embedding>> futures = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      I in = Objects.requireNonNull(inputs.get(i), "inputs[" + i + "]");
      try {
        futures.add(prepareAndSubmit(in).result);
      } catch (RuntimeException e) {
        throw forInput(e, i, inputs.size());
      }
    }
    List<Embedding> out = new ArrayList<>(inputs.size());
    for (int i = 0; i < futures.size(); i++) {
      try {
        out.add(await(futures.get(i)));
      } catch (RuntimeException e) {
        throw forInput(e, i, inputs.size());
      }
    }
    return out;
  }

  private static RuntimeException forInput(RuntimeException e, int index, int size) {
    if (size == 1 || !(e instanceof EncodingException)) {
      return e;
    }
    return new EncodingException("input " + index + " of " + size + ": " + e.getMessage(), e);
  }

  private Request prepareAndSubmit(I input) {
    preparing.incrementAndGet();
    try {
      return submit(stages.prepare(input));
    } finally {
      preparing.decrementAndGet();
    }
  }

  private Request submit(Object prepared) {
    Request r = new Request(prepared);
    try {
      while (!queue.offer(r, IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        checkOpen();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BindspaceException("interrupted while waiting for room in the batching queue of " + this, e);
    }
    // close() may have drained the queue between our check and offer: take the request back and fail it
    if (closed && queue.remove(r)) {
      throw closedWhileQueued();
    }
    return r;
  }

  private static Embedding await(CompletableFuture<Embedding> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BindspaceException("interrupted while waiting for a batched embedding", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new EncodingException("batched embedding failed: " + c, c);
    }
  }

  private void work() {
    List<Request> batch = new ArrayList<>(policy.maxBatchSize());
    long waitNanos = policy.maxWait().toNanos();
    try {
      while (!closed) {
        Request first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long deadline = System.nanoTime() + waitNanos;
        while (batch.size() < policy.maxBatchSize()) {
          Request next = queue.poll();
          if (next == null) {
            // wait only while some caller is preparing an input: when every caller is blocked on a
            // result (e.g. 4 synchronous callers, 4 inputs queued) nothing more can come, and
            // waiting would only idle the cores
            long left = deadline - System.nanoTime();
            if (left <= 0 || preparing.get() == 0) {
              break;
            }
            next = queue.poll(Math.min(left, WAIT_SLICE_NANOS), TimeUnit.NANOSECONDS);
            if (next == null) {
              continue;
            }
          }
          batch.add(next);
        }
        run(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      // only close() could interrupt us; fall through to failing what is left
    } finally {
      for (Request r : batch) {
        r.result.completeExceptionally(closedWhileQueued());
      }
      Request r;
      while ((r = queue.poll()) != null) {
        r.result.completeExceptionally(closedWhileQueued());
      }
    }
  }

  private void run(List<Request> batch) {
    List<Object> prepared = new ArrayList<>(batch.size());
    for (Request r : batch) {
      prepared.add(r.prepared);
    }
    try {
      List<Embedding> out = runModel(prepared);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result.complete(out.get(i));
      }
      return;
    } catch (RuntimeException | Error e) {
      if (batch.size() == 1) {
        batch.get(0).result.completeExceptionally(e);
        return;
      }
    }
    // isolate the failure: every input alone, its own result or its own exception
    for (Request r : batch) {
      try {
        r.result.complete(runModel(List.of(r.prepared)).get(0));
      } catch (RuntimeException | Error e) {
        r.result.completeExceptionally(e);
      }
    }
  }

  private List<Embedding> runModel(List<Object> prepared) {
    batches.incrementAndGet();
    items.addAndGet(prepared.size());
    List<Embedding> out = stages.run(prepared);
    if (out.size() != prepared.size()) {
      throw new EncodingException(delegate + " returned " + out.size() + " embeddings for " + prepared.size()
          + " inputs");
    }
    return out;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  private IllegalStateException closedWhileQueued() {
    return new IllegalStateException(this + " was closed while the input was queued; it was not embedded");
  }

  /**
   * Stops taking calls, fails queued ones, waits for the batch in flight and the worker thread.
   * Idempotent; does not close the wrapped encoder.
   */
  @Override
  public void close() {
    closed = true;
    if (workers.contains(Thread.currentThread())) {
      return;
    }
    boolean interrupted = false;
    for (Thread worker : workers) {
      while (worker.isAlive()) {
        try {
          worker.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "BatchingEncoder[" + delegate.modality() + ", " + policy + (stages.staged() ? ", host stage on callers" : "")
        + "]";
  }

  private static final class Request {
    final Object prepared;
    final CompletableFuture<Embedding> result = new CompletableFuture<>();

    Request(Object prepared) {
      this.prepared = prepared;
    }
  }

  /** The two stages of the wrapped encoder, with the input type erased to Object inside the queue. */
  private abstract static class Stages<I> {
    abstract boolean staged();

    abstract Object prepare(I input);

    abstract List<Embedding> run(List<Object> prepared);

    @SuppressWarnings("unchecked")
    static <I> Stages<I> of(Encoder<I> e) {
      if (e instanceof StagedEncoder<?, ?> s) {
        StagedEncoder<I, Object> staged = (StagedEncoder<I, Object>) s;
        return new Stages<>() {
          @Override
          boolean staged() {
            return true;
          }

          @Override
          Object prepare(I input) {
            return Objects.requireNonNull(staged.prepare(input), "prepare returned null");
          }

          @Override
          List<Embedding> run(List<Object> prepared) {
            return staged.embedPrepared(prepared);
          }
        };
      }
      return new Stages<>() {
        @Override
        boolean staged() {
          return false;
        }

        @Override
        Object prepare(I input) {
          return input;
        }

        @Override
        List<Embedding> run(List<Object> prepared) {
          return e.embedAll((List<I>) prepared);
        }
      };
    }
  }
}
