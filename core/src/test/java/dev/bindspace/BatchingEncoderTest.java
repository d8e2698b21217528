package dev.bindspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchingEncoderTest {
  private static final String SPACE = "test-space";

  /** Embeds integer i as (i, 1); negative inputs fail in the host stage, inputs >= 1000 in the model stage. */
  static class FakeStaged implements StagedEncoder<Integer, float[]> {
    final AtomicInteger modelCalls = new AtomicInteger();
    final List<Integer> batchSizes = java.util.Collections.synchronizedList(new ArrayList<>());
    volatile CountDownLatch entered = new CountDownLatch(0);
    volatile CountDownLatch release = new CountDownLatch(0);
    final AtomicInteger prepareThreadsNotCaller = new AtomicInteger();
    volatile boolean closed;

    @Override public Modality modality() { return Modality.TEXT; }
    @Override public Class<Integer> inputType() { return Integer.class; }
    @Override public int dimension() { return 2; }
    @Override public String space() { return SPACE; }

    @Override
    public float[] prepare(Integer input) {
      if (Thread.currentThread().getName().startsWith("bindspace-batching-")) {
        prepareThreadsNotCaller.incrementAndGet();
      }
      if (input < 0) {
        throw new EncodingException("input " + input + ": negative");
      }
      return new float[] {input, 1};
    }

    @Override
    public List<Embedding> embedPrepared(List<? extends float[]> prepared) {
      modelCalls.incrementAndGet();
      batchSizes.add(prepared.size());
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      List<Embedding> out = new ArrayList<>();
      for (int i = 0; i < prepared.size(); i++) {
        float[] p = prepared.get(i);
        if (p[0] >= 1000) {
          throw new EncodingException("input " + i + ": too large for the model");
        }
        out.add(Embedding.of(SPACE, MediaKind.TEXT, p));
      }
      return out;
    }

    @Override
    public List<Embedding> embedAll(List<? extends Integer> inputs) {
      List<float[]> p = new ArrayList<>();
      for (Integer i : inputs) {
        p.add(prepare(i));
      }
      return embedPrepared(p);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** Not staged: the whole embedAll runs on the worker. */
  static final class FakePlain implements Encoder<Integer> {
    final FakeStaged inner = new FakeStaged();
    @Override public Modality modality() { return Modality.TEXT; }
    @Override public Class<Integer> inputType() { return Integer.class; }
    @Override public int dimension() { return 2; }
    @Override public String space() { return SPACE; }
    @Override public List<Embedding> embedAll(List<? extends Integer> inputs) { return inner.embedAll(inputs); }
    @Override public void close() {}
  }

  private static long workerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("bindspace-batching-") && t.isAlive()).count();
  }

  @Test
  void should_validate_the_policy() {
    assertThatThrownBy(() -> BatchingPolicy.builder().maxBatchSize(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxBatchSize must be >= 1, got 0");
    assertThatThrownBy(() -> BatchingPolicy.builder().maxWaitMicros(-1))
        .hasMessage("maxWait must be >= 0 µs, got -1");
    assertThatThrownBy(() -> BatchingPolicy.builder().maxWait(Duration.ofSeconds(2)).build())
        .hasMessageContaining("got PT2S");
    assertThatThrownBy(() -> BatchingPolicy.builder().maxBatchSize(32).queueCapacity(16).build())
        .hasMessage("queueCapacity must be >= maxBatchSize (32), got 16");
    assertThat(BatchingPolicy.defaults().toString())
        .isEqualTo("BatchingPolicy[maxBatchSize=16, maxWait=100us, queueCapacity=64, workers=2]");
    assertThatThrownBy(() -> BatchingPolicy.builder().workers(0).build())
        .hasMessage("workers must be in [1, 64], got 0");
  }

  @Test
  void should_batch_concurrent_callers_and_give_each_its_own_embedding() throws Exception {
    FakeStaged fake = new FakeStaged();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (BatchingEncoder<Integer> enc = BatchingEncoder.wrap(fake,
        BatchingPolicy.builder().maxBatchSize(8).maxWaitMicros(2000).build())) {
      assertThat(enc.overlapsPreparation()).isTrue();
      List<Future<Embedding>> fs = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        int x = i;
        fs.add(pool.submit(() -> enc.embed(x)));
      }
      for (int i = 0; i < 400; i++) {
        assertThat(fs.get(i).get(10, TimeUnit.SECONDS).get(0)).isEqualTo(i);
      }
      assertThat(enc.items()).isEqualTo(400);
      assertThat(enc.batches()).isLessThan(400); // 8 callers at once: batches form
      assertThat(fake.batchSizes).allMatch(s -> s <= 8);
      assertThat(fake.prepareThreadsNotCaller.get()).isZero(); // host stage on the callers
      assertThat(enc.embedAll(List.of(3, 4, 5))).extracting(e -> e.get(0)).containsExactly(3f, 4f, 5f);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void should_fail_only_the_caller_whose_input_fails() throws Exception {
    for (boolean staged : new boolean[] {true, false}) {
      FakeStaged fake = new FakeStaged();
      Encoder<Integer> target = fake;
      if (!staged) {
        FakePlain plain = new FakePlain();
        fake = plain.inner;
        target = plain;
      }
      fake.entered = new CountDownLatch(1);
      fake.release = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(9);
      try (BatchingEncoder<Integer> enc = BatchingEncoder.wrap(target,
          BatchingPolicy.builder().maxBatchSize(8).workers(1).build())) {
        // hold the worker in a first batch so the next eight queue up and run as one batch
        Future<Embedding> blocker = pool.submit(() -> enc.embed(-0));
        assertThat(fake.entered.await(5, TimeUnit.SECONDS)).isTrue();
        List<Future<Embedding>> fs = new ArrayList<>();
        int[] inputs = {1, 2, 3, 1000, 5, 6, 7, 8};
        for (int x : inputs) {
          fs.add(pool.submit(() -> enc.embed(x)));
        }
        Thread.sleep(200);
        fake.release.countDown();
        blocker.get(5, TimeUnit.SECONDS);
        for (int i = 0; i < inputs.length; i++) {
          if (inputs[i] == 1000) {
            Future<Embedding> bad = fs.get(i);
            assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(EncodingException.class).hasMessageContaining("too large");
          } else {
            assertThat(fs.get(i).get(5, TimeUnit.SECONDS).get(0)).as("staged=%s", staged).isEqualTo(inputs[i]);
          }
        }
        assertThat(fake.batchSizes).as("staged=%s", staged).contains(8);
        // a host-stage failure never reaches the queue, and embedAll names the index
        assertThatThrownBy(() -> enc.embed(-5)).isInstanceOf(EncodingException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> enc.embedAll(List.of(1, 2, 1000)))
            .isInstanceOf(EncodingException.class).hasMessageStartingWith("input 2 of 3: ");
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void should_fail_queued_callers_on_close_finish_the_batch_in_flight_and_stop_its_thread() throws Exception {
    long before = workerThreads();
    FakeStaged fake = new FakeStaged();
    fake.entered = new CountDownLatch(1);
    fake.release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    BatchingEncoder<Integer> enc = BatchingEncoder.wrap(fake, BatchingPolicy.builder().maxBatchSize(1).workers(1).build());
    try {
      assertThat(workerThreads()).isEqualTo(before + 1);
      Future<Embedding> inFlight = pool.submit(() -> enc.embed(1));
      assertThat(fake.entered.await(5, TimeUnit.SECONDS)).isTrue();
      Future<Embedding> queued1 = pool.submit(() -> enc.embed(2));
      Future<Embedding> queued2 = pool.submit(() -> enc.embed(3));
      Thread.sleep(200);
      Future<?> closing = pool.submit(enc::close);
      while (!enc.isClosed()) {
        Thread.sleep(5);
      }
      fake.release.countDown();
      closing.get(5, TimeUnit.SECONDS);
      assertThat(inFlight.get(5, TimeUnit.SECONDS).get(0)).isEqualTo(1f);
      for (Future<Embedding> q : List.of(queued1, queued2)) {
        assertThatThrownBy(() -> q.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("closed while the input was queued");
      }
      enc.close(); // idempotent
      assertThat(workerThreads()).isEqualTo(before);
      assertThatThrownBy(() -> enc.embed(4)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
      assertThat(fake.closed).isFalse(); // never closes what it was handed
    } finally {
      pool.shutdownNow();
      enc.close();
    }
  }

  @Test
  void should_let_one_caller_fill_batches_with_async_calls() throws Exception {
    FakeStaged fake = new FakeStaged();
    try (BatchingEncoder<Integer> enc = BatchingEncoder.wrap(fake,
        BatchingPolicy.builder().maxBatchSize(8).maxWaitMicros(20_000).build())) {
      List<java.util.concurrent.CompletableFuture<Embedding>> fs = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        fs.add(enc.embedAsync(i));
      }
      for (int i = 0; i < 64; i++) {
        assertThat(fs.get(i).get(5, TimeUnit.SECONDS).get(0)).isEqualTo(i);
      }
      assertThat(enc.batches()).isLessThan(32); // one thread, yet batches of several
      assertThatThrownBy(() -> enc.embedAsync(-1)).isInstanceOf(EncodingException.class);
    }
  }

  @Test
  void should_not_leak_threads_over_many_open_close_cycles() {
    long before = workerThreads();
    for (int i = 0; i < 50; i++) {
      try (BatchingEncoder<Integer> enc = BatchingEncoder.wrap(new FakeStaged(),
          BatchingPolicy.builder().workers(1 + i % 3).build())) {
        assertThat(workerThreads()).isEqualTo(before + 1 + i % 3);
        assertThat(enc.embed(i).get(0)).isEqualTo(i);
      }
    }
    assertThat(workerThreads()).isEqualTo(before);
  }
}
