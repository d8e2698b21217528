package dev.bindspace.lucene.reliability;

import dev.bindspace.Embedding;
import dev.bindspace.IndexEntry;
import dev.bindspace.MediaKind;
import dev.bindspace.SearchHit;
import dev.bindspace.SearchRequest;
import dev.bindspace.lucene.LuceneVectorIndex;
import dev.bindspace.lucene.LuceneVectorIndex.CommitPolicy;
import dev.bindspace.lucene.LuceneVectorIndex.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.store.FSDirectory;

/**
 * The Java side of {@code index-lucene/scripts/kill-test.sh}.
 *
 * <pre>
 * KillTest write  DIR         open (or create) the index and write batches until killed:
 *                             batch b = {@value #BATCH} adds "b{b}-{j}", then removes "b{b}-0".."b{b}-9";
 *                             after every odd batch: prints "COMMITTING b", commits, prints "COMMITTED b"
 * KillTest verify DIR LO HI   after a SIGKILL: CheckIndex must find the files clean, the index must open,
 *                             hold exactly the first c batches for some c in {LO, HI} (c = last printed
 *                             COMMITTED + 1 or COMMITTING + 1), every entry bit-exact, nothing of batch c,
 *                             and searches for stored vectors must find them; prints one JSON line;
 *                             exit status 0 when all holds
 * </pre>
 * Vectors are a pure function of (batch, j), so the verifier knows every expected value.
 */
public final class KillTest {
  static final int BATCH = 1000;
  static final int REMOVED_PER_BATCH = 10;
  static final int D = 64;
  static final String SPACE = "kill-test";

  private KillTest() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("write")) {
      write(Path.of(args[1]));
    } else if (args.length == 4 && args[0].equals("verify")) {
      System.exit(verify(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3])) ? 0 : 1);
    } else {
      System.err.println("usage: KillTest write DIR | KillTest verify DIR LO HI");
      System.exit(2);
    }
  }

  static Options options() {
    // MANUAL: only explicit commits count; small buffers: flushes and merges happen between commits
    return Options.builder().commitPolicy(CommitPolicy.MANUAL).ramBufferMb(2).maxPendingEntries(64).build();
  }

  static IndexEntry entry(int batch, int j) {
    SplittableRandom r = new SplittableRandom(batch * 1_000_003L + j);
    float[] v = new float[D];
    for (int i = 0; i < D; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    MediaKind m = MediaKind.values()[(batch + j) % MediaKind.values().length];
    return IndexEntry.of("b" + batch + "-" + j, Embedding.of(SPACE, m, v), Map.of("batch", Integer.toString(batch)));
  }

  static void write(Path dir) {
    LuceneVectorIndex index = Files.exists(dir.resolve("write.lock")) || isIndex(dir)
        ? LuceneVectorIndex.open(dir, options())
        : LuceneVectorIndex.builder(SPACE, D).directory(dir).options(options()).build();
    int live = BATCH - REMOVED_PER_BATCH;
    if (index.size() % live != 0) {
      throw new IllegalStateException("index holds " + index.size() + " entries, not whole batches of " + live);
    }
    int start = index.size() / live;
    System.out.println("READY " + start);
    System.out.flush();
    for (int b = start; ; b++) {
      List<IndexEntry> batch = new ArrayList<>(BATCH);
      for (int j = 0; j < BATCH; j++) {
        batch.add(entry(b, j));
      }
      index.addAll(batch);
      for (int j = 0; j < REMOVED_PER_BATCH; j++) {
        index.remove("b" + b + "-" + j);
      }
      if (b % 2 == 1) {
        System.out.println("COMMITTING " + b);
        System.out.flush();
        index.commit();
        System.out.println("COMMITTED " + b);
        System.out.flush();
      }
    }
  }

  private static boolean isIndex(Path dir) {
    try (var files = Files.list(dir)) {
      return files.anyMatch(p -> p.getFileName().toString().startsWith("segments_"));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  static boolean verify(Path dir, int lo, int hi) throws Exception {
    long t0 = System.nanoTime();
    String check;
    boolean clean;
    try (FSDirectory fs = FSDirectory.open(dir); CheckIndex ci = new CheckIndex(fs)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ci.setInfoStream(new PrintStream(out, true, StandardCharsets.UTF_8));
      CheckIndex.Status s = ci.checkIndex();
      clean = s.clean;
      check = "segments=" + s.numSegments + ", clean=" + s.clean;
      if (!clean) {
        System.err.println(out.toString(StandardCharsets.UTF_8));
      }
    }
    List<String> problems = new ArrayList<>();
    if (!clean) {
      problems.add("CheckIndex: " + check);
    }
    int batches = -1;
    int size = -1;
    try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, options())) {
      int live = BATCH - REMOVED_PER_BATCH;
      size = index.size();
      if (size % live != 0) {
        problems.add("size " + size + " is not whole batches of " + live);
      }
      batches = size / live;
      if (batches != lo && batches != hi) {
        problems.add("holds " + batches + " batches, expected " + lo + " or " + hi + " (the last commit)");
      }
      for (int b = 0; b < batches && problems.size() < 5; b++) {
        for (int j = 0; j < BATCH; j++) {
          IndexEntry e = entry(b, j);
          Optional<IndexEntry> got = index.get(e.id());
          if (j < REMOVED_PER_BATCH ? got.isPresent() : !got.equals(Optional.of(e))) {
            problems.add(e.id() + ": expected " + (j < REMOVED_PER_BATCH ? "removed" : "stored bit-exact") + ", got " + got);
            break;
          }
        }
      }
      for (int j = REMOVED_PER_BATCH; j < BATCH; j += 97) {
        if (index.contains("b" + batches + "-" + j)) {
          problems.add("uncommitted entry b" + batches + "-" + j + " survived the crash");
        }
      }
      SplittableRandom r = new SplittableRandom(batches);
      for (int q = 0; q < 20 && batches > 0; q++) {
        IndexEntry e = entry(r.nextInt(batches), REMOVED_PER_BATCH + r.nextInt(BATCH - REMOVED_PER_BATCH));
        List<SearchHit> hits = index.search(SearchRequest.of(e.embedding(), 3));
        if (hits.isEmpty() || !hits.get(0).id().equals(e.id())) {
          problems.add("search for " + e.id() + "'s own vector returned " + hits);
        }
      }
    } catch (RuntimeException e) {
      problems.add("open failed: " + e);
    }
    boolean ok = problems.isEmpty();
    System.out.printf("{\"ok\": %s, \"batches\": %d, \"entries\": %d, \"expected_batches\": [%d, %d], "
        + "\"checkindex\": \"%s\", \"verify_ms\": %d, \"problems\": \"%s\"}%n", ok, batches, size, lo, hi, check,
        (System.nanoTime() - t0) / 1_000_000, String.join("; ", problems).replace("\"", "'"));
    return ok;
  }
}
