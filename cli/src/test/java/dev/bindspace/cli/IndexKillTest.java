package dev.bindspace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.FlatIndex;
import dev.bindspace.MediaKind;
import dev.bindspace.cli.internal.Hashing;
import dev.bindspace.cli.internal.IndexStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGKILLs a child {@code bindspace index add} JVM in the middle of a folder, then re-runs it: the
 * committed entries survive intact (exactly the first files in path order, each with its content's
 * hash and vector), the re-run embeds only the rest, and the index ends with every file once.
 */
class IndexKillTest {
  private static final int FILES = 300;

  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"flat", "hnsw"})
  void should_lose_nothing_committed_and_duplicate_nothing_after_a_kill(String type) throws Exception {
    long seed = System.nanoTime();
    System.out.println("IndexKillTest " + type + " seed " + seed);
    Random random = new Random(seed);
    Path dir = Files.createDirectories(tmp.resolve("notes"));
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < FILES; i++) {
      Path f = dir.resolve(String.format(Locale.ROOT, "d%02d/note-%04d.txt", i % 7, i));
      Files.createDirectories(f.getParent());
      Files.writeString(f, "note number " + i + " " + random.nextLong() + "\n");
      files.add(f.toAbsolutePath().normalize());
    }
    files.sort(null);
    Path index = tmp.resolve(type.equals("flat") ? "notes.bsix" : "notes-hnsw");

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Dbindspace.test.delayMillis=15", "-cp",
        System.getProperty("java.class.path"), KillTestMain.class.getName(), "index", "add", "--index",
        index.toString(), "--index-type", type, "--commit-every", "10", "--progress", "none", dir.toString());
    pb.redirectOutput(tmp.resolve("child.out").toFile()).redirectError(tmp.resolve("child.err").toFile());
    Process child = pb.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (committed(index, type) < 10) {
        assertThat(child.isAlive()).as("child ended early: %s", Files.readString(tmp.resolve("child.err"))).isTrue();
        assertThat(System.nanoTime()).as("no commit within 60 s").isLessThan(deadline);
        Thread.sleep(20);
      }
      Thread.sleep(random.nextInt(800));
      assertThat(child.isAlive()).as("the child must still be indexing when killed").isTrue();
    } finally {
      child.destroyForcibly();   // SIGKILL on Unix: no shutdown hooks, no close()
      child.waitFor(30, TimeUnit.SECONDS);
    }

    Map<String, String> afterKill = CliCommandsTest.snapshot(index);
    int n = afterKill.size();
    System.out.println("IndexKillTest " + type + ": " + n + " of " + FILES + " entries committed before the kill");
    assertThat(n).isBetween(10, FILES - 1);
    assertThat(afterKill.keySet()).as("committed entries are the first files in path order")
        .containsExactlyElementsOf(files.subList(0, n).stream().map(Path::toString).sorted().toList());
    checkEntries(index, files.subList(0, n));

    CliRun rerun = CliRun.run(() -> new FakeEmbedder(EnumSet.of(MediaKind.TEXT), 0), "index", "add", "--index",
        index.toString(), dir.toString());
    assertThat(rerun.code()).as(rerun.toString()).isZero();
    assertThat(rerun.out()).contains((FILES - n) + " new, 0 changed, " + n + " unchanged files; " + (FILES - n)
        + " entries written");
    Map<String, String> all = CliCommandsTest.snapshot(index);
    assertThat(all).hasSize(FILES);
    assertThat(all).containsAllEntriesOf(afterKill);
    checkEntries(index, files);
  }

  /** Every file has exactly one entry, with its content's hash and the vector of its content. */
  private static void checkEntries(Path index, List<Path> expected) throws IOException {
    try (IndexStore s = IndexStore.open(index)) {
      Map<String, IndexStore.Stored> byId = new TreeMap<>();
      for (IndexStore.Stored e : s.entries()) {
        assertThat(byId.put(e.id(), e)).as("duplicate id %s", e.id()).isNull();
      }
      assertThat(byId).hasSize(expected.size());
      for (Path f : expected) {
        IndexStore.Stored e = byId.get(f.toString());
        assertThat(e).as("entry of %s", f).isNotNull();
        assertThat(e.metadata()).containsEntry(IndexStore.PATH, f.toString())
            .containsEntry(IndexStore.SHA256, Hashing.sha256(f)).containsEntry(IndexStore.MODALITY, "text");
        float[] v = s.index().get(f.toString()).orElseThrow().embedding().toArray();
        float[] want = FakeEmbedder.vector(Files.readString(f).strip());
        double dot = 0;
        double nw = 0;
        for (int i = 0; i < v.length; i++) {
          dot += v[i] * want[i];
          nw += want[i] * want[i];
        }
        assertThat(dot / Math.sqrt(nw)).as("vector of %s", f).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
      }
    }
  }

  /** Entries in the last commit, read without taking the writer's lock. */
  private static int committed(Path index, String type) {
    try {
      if (type.equals("flat")) {
        if (!Files.exists(index)) {
          return 0;
        }
        try (FlatIndex f = FlatIndex.open(index)) {
          return f.size();
        }
      }
      if (!Files.isDirectory(index)) {
        return 0;
      }
      try (FSDirectory d = FSDirectory.open(index)) {
        if (!DirectoryReader.indexExists(d)) {
          return 0;
        }
        try (DirectoryReader r = DirectoryReader.open(d)) {
          return r.numDocs();
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;   // caught between a rename and its directory sync, or the first commit not written yet
    }
  }
}
