package dev.bindspace.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.Embedding;
import dev.bindspace.IndexEntry;
import dev.bindspace.MediaKind;
import dev.bindspace.SearchHit;
import dev.bindspace.SearchRequest;
import dev.bindspace.TestRandom;
import dev.bindspace.lucene.LuceneVectorIndex.Options;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Searches racing writers: a search never returns an entry whose {@code remove} returned before it
 * started, nor a version of an entry older than one whose {@code upsert} returned before it started,
 * and it does return entries whose {@code add} returned before it started.
 */
class LuceneConcurrencyTest {
  private static final int D = 16;
  private static final int HOT = 64;

  /**
   * 10k updates with the default overlay (1000), a small one and none (every read after a write
   * refreshes); and with heap copies of segments that appear and are merged away while searches run.
   */
  @ParameterizedTest(name = "maxPendingEntries={0}, updates={1}, residency={2}")
  @CsvSource({"1000, 10000, MAPPED", "16, 10000, MAPPED", "0, 10000, MAPPED", "16, 10000, HEAP"})
  @Timeout(120)
  void should_never_return_a_removed_id_or_a_stale_version_while_10k_updates_run(int maxPending, int updates,
      LuceneVectorIndex.Residency residency, TestInfo info) throws Exception {
    Random rnd = TestRandom.forTest(info);
    // exact threshold 0 and a small beam: most searches walk graphs, over several segments
    try (LuceneVectorIndex index = LuceneVectorIndex.builder(ClusteredData.SPACE, D)
        .options(Options.builder().maxPendingEntries(maxPending).exactSearchThreshold(0).candidates(32)
            .ramBufferMb(1).residency(residency).build())
        .build()) {
      float[][] vectors = ClusteredData.vectors(rnd, updates + HOT, D, 8);
      // published by the writer after each write returns, read by searchers before each search
      AtomicInteger removedUpTo = new AtomicInteger(); // ids r0 .. r(removedUpTo-1) are removed
      AtomicInteger addedUpTo = new AtomicInteger(); // ids r0 .. r(addedUpTo-1) were added
      AtomicIntegerArray hotVersion = new AtomicIntegerArray(HOT); // completed upsert version per hot id
      AtomicReferenceArray<Embedding> hotVector = new AtomicReferenceArray<>(HOT);
      for (int h = 0; h < HOT; h++) {
        Embedding e = Embedding.of(ClusteredData.SPACE, MediaKind.IMAGE, vectors[updates + h]);
        index.add(IndexEntry.of("hot" + h, e, Map.of("version", "0")));
        hotVector.set(h, e);
      }
      AtomicBoolean done = new AtomicBoolean();
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      AtomicInteger searches = new AtomicInteger();

      Thread writer = new Thread(() -> {
        try {
          Random wr = new Random(rnd.nextLong());
          int added = 0;
          int removed = 0;
          for (int op = 0; op < updates; op++) {
            int kind = op % 4;
            if (kind == 0 || kind == 1) {
              index.add(IndexEntry.of("r" + added, Embedding.of(ClusteredData.SPACE, MediaKind.AUDIO, vectors[added])));
              addedUpTo.set(++added);
            } else if (kind == 2 && removed < added - 20) {
              assertThat(index.remove("r" + removed)).isTrue();
              removedUpTo.set(++removed);
            } else {
              int h = wr.nextInt(HOT);
              int v = hotVersion.get(h) + 1;
              index.upsert(IndexEntry.of("hot" + h, hotVector.get(h), Map.of("version", Integer.toString(v))));
              hotVersion.set(h, v);
            }
          }
        } catch (Throwable t) {
          failures.add("writer: " + t);
        } finally {
          done.set(true);
        }
      });

      Runnable searcher = () -> {
        Random sr = new Random(rnd.nextLong());
        try {
          while (!done.get()) {
            int removedBefore = removedUpTo.get();
            int addedBefore = addedUpTo.get();
            int[] versions = new int[HOT];
            for (int h = 0; h < HOT; h++) {
              versions[h] = hotVersion.get(h);
            }
            // the query is a recently removed vector (the best match if it leaked) or a hot one
            boolean hot = sr.nextInt(3) == 0 || removedBefore == 0;
            int target = hot ? sr.nextInt(HOT) : Math.max(0, removedBefore - 1 - sr.nextInt(Math.min(removedBefore, 10)));
            float[] q = hot ? hotVector.get(target).toArray() : vectors[target];
            List<SearchHit> hits = index.search(SearchRequest.of(Embedding.of(ClusteredData.SPACE, MediaKind.TEXT, q), 20));
            searches.incrementAndGet();
            for (SearchHit hit : hits) {
              String id = hit.id();
              if (id.startsWith("r")) {
                int n = Integer.parseInt(id.substring(1));
                if (n < removedBefore) {
                  failures.add("r" + n + " returned although removed before the search (removed up to " + removedBefore + ")");
                }
              } else {
                int h = Integer.parseInt(id.substring(3));
                int v = Integer.parseInt(hit.metadata().get("version"));
                if (v < versions[h]) {
                  failures.add(id + " version " + v + " returned although version " + versions[h] + " was upserted before");
                }
              }
            }
            if (hot) { // the hot entry itself, live the whole time, is the best match
              assertThat(hits).isNotEmpty();
              assertThat(hits.get(0).score()).isGreaterThan(0.999f);
            }
            if (!hot && addedBefore > removedBefore) {
              // a live entry added before the search started is found by get()
              String live = "r" + (addedBefore - 1);
              if (!index.contains(live) && removedUpTo.get() <= addedBefore - 1) {
                failures.add(live + " was added before the search but is missing");
              }
            }
          }
        } catch (Throwable t) {
          failures.add("searcher: " + t);
        }
      };
      List<Thread> threads = new ArrayList<>();
      threads.add(writer);
      for (int i = 0; i < 3; i++) {
        threads.add(new Thread(searcher));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      assertThat(failures).isEmpty();
      System.out.printf("maxPending=%d, %s: %d searches raced %d updates, %d segments%n", maxPending, residency,
          searches.get(), updates, index.segmentCount());
      assertThat(searches.get()).isGreaterThan(50);
      // after the race: the state is exactly what the writer made
      int added = addedUpTo.get();
      int removed = removedUpTo.get();
      assertThat(index.size()).isEqualTo(added - removed + HOT);
      for (int i = 0; i < added; i++) {
        assertThat(index.contains("r" + i)).as("r%d", i).isEqualTo(i >= removed);
      }
    }
  }

  @Test
  @Timeout(60)
  void should_let_searches_in_flight_finish_when_the_index_closes() throws Exception {
    Random rnd = new Random(7);
    LuceneVectorIndex index = LuceneVectorIndex.builder(ClusteredData.SPACE, D).build();
    index.addAll(ClusteredData.entries(ClusteredData.vectors(rnd, 3000, D, 4), "c"));
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> other = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      threads.add(new Thread(() -> {
        for (int i = 0; i < 200; i++) {
          try {
            index.search(ClusteredData.query(ClusteredData.gaussian(rnd, D), 10));
            ok.incrementAndGet();
          } catch (IllegalStateException closed) {
            refused.incrementAndGet();
          } catch (Throwable e) {
            other.add(e);
          }
        }
      }));
    }
    threads.forEach(Thread::start);
    Thread.sleep(50);
    index.close();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(other).isEmpty();
    assertThat(ok.get() + refused.get()).isEqualTo(600);
  }
}
