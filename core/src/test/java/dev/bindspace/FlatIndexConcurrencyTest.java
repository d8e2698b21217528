package dev.bindspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches, writes and saves at the same time. Every id's vector is a deterministic function of
 * (id, version) and its metadata records the version, so any hit can be checked against the exact
 * vector it claims to be. Removals are stamped from a global sequence after remove() returns; a
 * search reads the sequence before it starts, so "removed before the search started" is decidable
 * without false alarms.
 */
class FlatIndexConcurrencyTest {
  private static final String SPACE = "conc";
  private static final int D = 32;
  private static final long RUN_MILLIS = 4000;
  private static final int SEARCHERS = 8;
  private static final int WRITERS = 2;

  @TempDir Path dir;

  private long vectorSeed;
  private final ConcurrentHashMap<String, Set<Integer>> versions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> removedAt = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  /** Latest written version of every id ever added (set after the write returned). */
  private final ConcurrentHashMap<String, Integer> latest = new ConcurrentHashMap<>();
  /** Ids never upserted nor removed, published after add() returned. */
  private final AtomicReferenceArray<String> stable = new AtomicReferenceArray<>(1 << 20);
  private final AtomicInteger stableCount = new AtomicInteger();
  private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
  private final LongAdder searches = new LongAdder();
  private final LongAdder foundChecks = new LongAdder();
  private final LongAdder hitsChecked = new LongAdder();
  private final LongAdder removes = new LongAdder();
  private final LongAdder upserts = new LongAdder();
  private final LongAdder adds = new LongAdder();
  private final LongAdder gets = new LongAdder();

  private float[] vector(String id, int version) {
    Random r = new Random(vectorSeed ^ (0x9E3779B97F4A7C15L * id.hashCode()) ^ (version * 0xBF58476D1CE4E5B9L));
    return TestVectors.gaussian(r, D);
  }

  private IndexEntry entry(String id, int version, int writer) {
    versions.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(version); // before the write is visible
    return IndexEntry.of(id, Embedding.of(SPACE, MediaKind.values()[Math.floorMod(id.hashCode(), 7)],
        vector(id, version)), Map.of("v", Integer.toString(version), "w", Integer.toString(writer)));
  }

  private void publishStable(String id) {
    int i = stableCount.get();
    stable.set(i, id);
    stableCount.set(i + 1); // one writer at a time publishes (synchronized caller)
  }

  private synchronized void publishStableSync(String id) {
    publishStable(id);
  }

  /** The hit is a full, current-or-earlier version of a live entry, scored as its cosine. */
  private void checkHit(SearchHit h, float[] query, long startedAt) {
    Long removed = removedAt.get(h.id());
    if (removed != null && removed <= startedAt) {
      throw new AssertionError(h.id() + " returned although its remove() returned before the search started");
    }
    int v = Integer.parseInt(h.metadata().get("v"));
    Set<Integer> written = versions.get(h.id());
    if (written == null || !written.contains(v)) {
      throw new AssertionError(h.id() + " returned with version " + v + " that was never written: " + written);
    }
    double expected = TestVectors.cosine(query, vector(h.id(), v));
    if (!(Math.abs(h.score() - expected) <= 1e-5)) {
      throw new AssertionError(h.id() + " v" + v + " scored " + h.score() + " but its cosine is " + expected
          + " (half-written or mismatched vector?)");
    }
    hitsChecked.increment();
  }

  private void searcher(FlatIndex index, long deadline, long seed) {
    Random rnd = new Random(seed);
    while (System.currentTimeMillis() < deadline) {
      long startedAt = sequence.get();
      int n = stableCount.get();
      if (rnd.nextBoolean() && n > 0) {
        // an id whose add() returned before this search: a query equal to its vector finds it first
        String id = stable.get(rnd.nextInt(n));
        float[] q = vector(id, 0);
        List<SearchHit> hits = index.search(SearchRequest.of(Embedding.of(SPACE, MediaKind.TEXT, q), 5));
        SearchAssertions.assertWellFormed(hits);
        if (hits.isEmpty() || !hits.get(0).id().equals(id) || hits.get(0).score() < 0.9999f) {
          throw new AssertionError("stable id " + id + " added before the search was not found first: " + hits);
        }
        hits.forEach(h -> checkHit(h, q, startedAt));
        foundChecks.increment();
      } else {
        int nq = rnd.nextInt(4) == 0 ? FlatIndex.AUTO_ND4J_MIN_BATCH : 1; // batches of 8 go through ND4J
        List<SearchRequest> requests = new ArrayList<>();
        List<float[]> queries = new ArrayList<>();
        for (int i = 0; i < nq; i++) {
          float[] q = TestVectors.gaussian(rnd, D);
          queries.add(q);
          SearchRequest.Builder b = SearchRequest.builder(Embedding.of(SPACE, MediaKind.TEXT, q)).topK(20);
          if (rnd.nextInt(3) == 0) {
            b.filter(MetadataFilter.equalTo("w", Integer.toString(rnd.nextInt(WRITERS))));
          }
          requests.add(b.build());
        }
        List<List<SearchHit>> results = nq == 1 ? List.of(index.search(requests.get(0))) : index.searchAll(requests);
        for (int i = 0; i < nq; i++) {
          SearchAssertions.assertWellFormed(results.get(i));
          float[] q = queries.get(i);
          results.get(i).forEach(h -> checkHit(h, q, startedAt));
        }
      }
      searches.increment();
      if (rnd.nextInt(8) == 0 && n > 0) { // get() never sees a half-written entry either
        String id = stable.get(rnd.nextInt(n));
        Optional<IndexEntry> e = index.get(id);
        assertThat(e).as("stable id %s", id).isPresent();
        assertThat(TestVectors.bits(e.get().embedding().toArray())).isEqualTo(TestVectors.bits(vector(id, 0)));
        gets.increment();
      }
    }
  }

  private void writer(FlatIndex index, int w, long deadline, long seed) {
    Random rnd = new Random(seed);
    List<String> mutable = new ArrayList<>();
    Map<String, Integer> version = new java.util.HashMap<>();
    int k = 0;
    while (System.currentTimeMillis() < deadline) {
      int op = rnd.nextInt(10);
      if (op < 3 || mutable.size() < 20) { // add a fresh id (or a batch of them)
        int batch = rnd.nextInt(5) == 0 ? 5 : 1;
        List<IndexEntry> es = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
          es.add(entry("w" + w + "-" + k++, 0, w));
        }
        if (batch == 1) {
          index.add(es.get(0));
        } else {
          index.addAll(es);
        }
        adds.add(batch);
        for (IndexEntry e : es) {
          latest.put(e.id(), 0);
          if (Math.floorMod(e.id().hashCode(), 8) == 0) {
            publishStableSync(e.id());
          } else {
            mutable.add(e.id());
            version.put(e.id(), 0);
          }
        }
      } else if (op < 7 && mutable.size() < 1000) { // upsert: a new version of one of its own ids
        String id = mutable.get(rnd.nextInt(mutable.size()));
        int v = version.merge(id, 1, Integer::sum);
        index.upsert(entry(id, v, w));
        latest.put(id, v);
        upserts.increment();
      } else { // remove one of its own ids, for good
        String id = mutable.remove(rnd.nextInt(mutable.size()));
        if (!index.remove(id)) {
          throw new AssertionError("remove(" + id + ") returned false for a live id");
        }
        removedAt.put(id, sequence.incrementAndGet());
        removes.increment();
      }
      LockSupport.parkNanos(200_000); // leave the two cores to the searchers too
    }
  }

  private Thread start(String name, Runnable body, CountDownLatch done) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Throwable e) {
        failures.add(new AssertionError(name + ": " + e, e));
      } finally {
        done.countDown();
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** A file saved while writers run opens and holds only complete, consistent entries. */
  private void checkSaved(Path file, long savedAfter, int stableBefore) {
    try (FlatIndex saved = FlatIndex.open(file, FlatIndex.Options.builder().strategy(FlatIndex.Strategy.JAVA).build())) {
      List<String> ids = saved.ids();
      assertThat(ids).doesNotHaveDuplicates().hasSize(saved.size());
      for (String id : ids) {
        IndexEntry e = saved.get(id).orElseThrow();
        int v = Integer.parseInt(e.metadata().get("v"));
        assertThat(versions.get(id)).as("versions of %s", id).contains(v);
        assertThat(TestVectors.bits(e.embedding().toArray())).as("%s v%d", id, v)
            .isEqualTo(TestVectors.bits(vector(id, v)));
        Long removed = removedAt.get(id);
        assertThat(removed == null || removed > savedAfter).as("%s removed before the save began", id).isTrue();
      }
      Set<String> present = Set.copyOf(ids);
      for (int i = 0; i < stableBefore; i++) {
        assertThat(present).as("stable id added before the save began").contains(stable.get(i));
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void should_keep_every_search_consistent_while_writers_and_saves_run(TestInfo info) throws Exception {
    Random rnd = TestRandom.forTest(info);
    vectorSeed = rnd.nextLong();
    try (FlatIndex index = FlatIndex.create(SPACE, D, FlatIndex.Options.builder().threads(2).build())) {
      List<IndexEntry> base = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        base.add(entry("base-" + i, 0, -1));
      }
      index.addAll(base);
      base.forEach(e -> publishStable(e.id()));

      base.forEach(e -> latest.put(e.id(), 0));
      long deadline = System.currentTimeMillis() + RUN_MILLIS;
      CountDownLatch done = new CountDownLatch(SEARCHERS + WRITERS + 2);
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        long seed = rnd.nextLong();
        start("writer-" + w, () -> writer(index, writer, deadline, seed), done);
      }
      for (int s = 0; s < SEARCHERS; s++) {
        long seed = rnd.nextLong();
        start("searcher-" + s, () -> searcher(index, deadline, seed), done);
      }
      AtomicInteger saves = new AtomicInteger();
      start("saver", () -> {
        while (System.currentTimeMillis() < deadline - 200) {
          LockSupport.parkNanos(100_000_000L);
          long before = sequence.get();
          int stableBefore = stableCount.get();
          Path file = dir.resolve("snapshot-" + saves.get() + ".bsix");
          index.save(file); // while the writers write
          checkSaved(file, before, stableBefore);
          saves.incrementAndGet();
        }
      }, done);
      AtomicInteger compactions = new AtomicInteger();
      start("compaction-monitor", () -> {
        int last = FlatIndexInternals.storedRows(index);
        while (System.currentTimeMillis() < deadline) {
          int rows = FlatIndexInternals.storedRows(index);
          if (rows < last) {
            compactions.incrementAndGet();
          }
          last = rows;
          LockSupport.parkNanos(200_000);
        }
      }, done);
      assertThat(done.await(40, TimeUnit.SECONDS)).as("threads finished").isTrue();

      System.out.printf("concurrency: %d searches (%d found-first checks, %d hits checked, %d gets), "
          + "%d adds, %d upserts, %d removes, %d concurrent saves, %d compactions seen, final size %d%n",
          searches.sum(), foundChecks.sum(), hitsChecked.sum(), gets.sum(), adds.sum(), upserts.sum(),
          removes.sum(), saves.get(), compactions.get(), index.size());
      if (!failures.isEmpty()) {
        AssertionError all = new AssertionError(failures.size() + " thread(s) failed; first: " + failures.peek());
        failures.forEach(all::addSuppressed);
        throw all;
      }
      // not vacuous: every kind of operation happened, concurrently
      assertThat(searches.sum()).isGreaterThan(100);
      assertThat(foundChecks.sum()).isGreaterThan(20);
      assertThat(hitsChecked.sum()).isGreaterThan(1000);
      assertThat(adds.sum()).isGreaterThan(50);
      assertThat(upserts.sum()).isGreaterThan(20);
      assertThat(removes.sum()).isGreaterThan(20);
      assertThat(saves.get()).isGreaterThanOrEqualTo(3);
      assertThat(compactions.get()).as("removals triggered compaction under load").isGreaterThanOrEqualTo(1);
      // after the dust settles: exactly the ids never removed, each at its latest version
      Set<String> live = new java.util.HashSet<>(latest.keySet());
      live.removeAll(removedAt.keySet());
      assertThat(index.ids()).containsExactlyInAnyOrderElementsOf(live);
      for (String id : live) {
        IndexEntry e = index.get(id).orElseThrow();
        assertThat(e.metadata().get("v")).as(id).isEqualTo(Integer.toString(latest.get(id)));
        assertThat(TestVectors.bits(e.embedding().toArray())).as(id)
            .isEqualTo(TestVectors.bits(vector(id, latest.get(id))));
      }
    }
  }
}
