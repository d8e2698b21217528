package dev.bindspace.cli.internal;

import dev.bindspace.IndexEntry;
import dev.bindspace.MediaKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Adds files and folders (recursively) to an index, resumably.
 *
 * <ul>
 *   <li>Each media file becomes one entry (id = its absolute path) or one per moment (id =
 *       {@code path#t=start,end}), with metadata {@code path}, {@code sha256} (of the content),
 *       {@code modality} (the media kind, lower case) and, for moments, {@code start}/{@code end}
 *       seconds.</li>
 *   <li>A file whose path is indexed with the same SHA-256 is skipped; a changed file replaces
 *       its old entries (upsert, and moments that no longer exist are removed).</li>
 *   <li>Writes are committed ({@link IndexStore#commit()}) every {@code commitEvery} entries or
 *       {@code commitInterval}, whichever comes first, and at the end: a killed run keeps everything
 *       up to its last commit, and a re-run does the rest without duplicates (ids are paths).</li>
 *   <li>Unreadable or undecodable files are reported and skipped; folders are searched for media
 *       files only (other files are counted as ignored), while a file named explicitly must be media.</li>
 * </ul>
 */
public final class Ingester {

  /**
   * What a run did.
   *
   * @param added files new to the index
   * @param updated files whose content changed
   * @param unchanged files already indexed with the same content
   * @param ignored files in folders that are not media
   * @param entriesWritten entries added or replaced
   * @param entriesRemoved stale moment entries removed
   * @param failures "path: reason" for every skipped file or folder
   * @param commits commits made
   * @param seconds elapsed time
   */
  public record Summary(int added, int updated, int unchanged, int ignored, int entriesWritten, int entriesRemoved,
      List<String> failures, int commits, double seconds) {
    public Summary {
      failures = List.copyOf(failures);
    }
  }

  private final MediaEmbedder embedder;
  private final IndexStore store;
  private final PrintWriter err;
  private final Progress.Mode progressMode;
  private final int commitEvery;
  private final long commitIntervalNanos;
  private final Granularity granularity;
  private final Set<MediaKind> kinds;

  public Ingester(MediaEmbedder embedder, IndexStore store, PrintWriter err, Progress.Mode progressMode,
      int commitEvery, Duration commitInterval, Granularity granularity, Set<MediaKind> kinds) {
    this.embedder = Objects.requireNonNull(embedder, "embedder");
    this.store = Objects.requireNonNull(store, "store");
    this.err = Objects.requireNonNull(err, "err");
    this.progressMode = Objects.requireNonNull(progressMode, "progressMode");
    if (commitEvery < 1) {
      throw new IllegalArgumentException("commitEvery must be >= 1, got " + commitEvery);
    }
    this.commitEvery = commitEvery;
    this.commitIntervalNanos = commitInterval.toNanos();
    this.granularity = Objects.requireNonNull(granularity, "granularity");
    this.kinds = kinds.isEmpty() ? EnumSet.allOf(MediaKind.class) : EnumSet.copyOf(kinds);
  }

  /** The id of the entry for {@code item} of {@code file} (an absolute, normalised path). */
  public static String entryId(String path, EmbeddedItem item) {
    if (!item.isMoment()) {
      return path;
    }
    return path + "#t=" + seconds(item.start().getAsDouble()) + "," + seconds(item.end().getAsDouble());
  }

  /** Seconds with 3 decimals, as stored in ids and metadata. */
  public static String seconds(double s) {
    return String.format(Locale.ROOT, "%.3f", s);
  }

  /** The path as stored: absolute and normalised. */
  public static String key(Path p) {
    return p.toAbsolutePath().normalize().toString();
  }

  /** Adds every media file under {@code roots}. */
  public Summary add(List<Path> roots) {
    long start = System.nanoTime();
    List<String> failures = new ArrayList<>();
    int[] ignored = new int[1];
    Map<Path, MediaKind> files = collect(roots, failures, ignored);

    Map<String, List<IndexStore.Stored>> indexed = new HashMap<>();
    for (IndexStore.Stored s : store.entries()) {
      String p = s.metadata().get(IndexStore.PATH);
      if (p != null) {
        indexed.computeIfAbsent(p, x -> new ArrayList<>()).add(s);
      }
    }

    Progress progress = new Progress(err, progressMode, "indexing", files.size());
    int added = 0;
    int updated = 0;
    int unchanged = 0;
    int written = 0;
    int removed = 0;
    int commits = 0;
    int pending = 0;
    long lastCommit = System.nanoTime();
    for (Map.Entry<Path, MediaKind> f : files.entrySet()) {
      Path file = f.getKey();
      String path = key(file);
      try {
        if (!embedder.info().embeddableKinds().contains(f.getValue())) {
          embedder.embed(file, f.getValue(), granularity);  // throws its "no encoder for ..." message; no hashing
        }
        String sha;
        try {
          sha = Hashing.sha256(file);
        } catch (IOException e) {
          throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<IndexStore.Stored> old = indexed.getOrDefault(path, List.of());
        if (!old.isEmpty() && old.stream().allMatch(s -> sha.equals(s.metadata().get(IndexStore.SHA256)))) {
          unchanged++;
          continue;
        }
        List<EmbeddedItem> items;
        try {
          items = embedder.embed(file, f.getValue(), granularity);
        } catch (InputException e) {
          throw e;
        } catch (RuntimeException e) {   // a decoder's own failure must not end a long run either
          throw new InputException("cannot embed " + file + ": " + e, e);
        }
        List<IndexEntry> entries = new ArrayList<>(items.size());
        Set<String> ids = new LinkedHashSet<>();
        for (EmbeddedItem it : items) {
          String id = entryId(path, it);
          if (ids.add(id)) {
            entries.add(IndexEntry.of(id, it.joint(), metadata(path, sha, it)));
          }
        }
        for (IndexStore.Stored s : old) {
          if (!ids.contains(s.id()) && store.index().remove(s.id())) {
            removed++;
          }
        }
        store.index().upsertAll(entries);
        written += entries.size();
        pending += entries.size() + old.size();
        if (old.isEmpty()) {
          added++;
        } else {
          updated++;
        }
      } catch (InputException e) {
        failures.add(e.getMessage());
      } finally {
        progress.step(file.toString());
      }
      if (pending >= commitEvery || pending > 0 && System.nanoTime() - lastCommit >= commitIntervalNanos) {
        store.commit();
        commits++;
        pending = 0;
        lastCommit = System.nanoTime();
      }
    }
    if (pending > 0) {
      store.commit();
      commits++;
    }
    progress.finish();
    return new Summary(added, updated, unchanged, ignored[0], written, removed, failures, commits,
        (System.nanoTime() - start) / 1e9);
  }

  private static Map<String, String> metadata(String path, String sha, EmbeddedItem it) {
    Map<String, String> m = new HashMap<>();
    m.put(IndexStore.PATH, path);
    m.put(IndexStore.SHA256, sha);
    m.put(IndexStore.MODALITY, it.media().name().toLowerCase(Locale.ROOT));
    if (it.isMoment()) {
      m.put(IndexStore.START, seconds(it.start().getAsDouble()));
      m.put(IndexStore.END, seconds(it.end().getAsDouble()));
    }
    return m;
  }

  /** Media files under the roots in path order (each once), with failures and ignored files counted. */
  private Map<Path, MediaKind> collect(List<Path> roots, List<String> failures, int[] ignored) {
    Map<Path, MediaKind> out = new java.util.TreeMap<>();
    for (Path root : roots) {
      if (!Files.exists(root)) {
        failures.add(root + ": no such file or folder");
        continue;
      }
      if (!Files.isDirectory(root)) {
        var k = embedder.detect(root);
        if (k.isEmpty()) {
          failures.add(root + ": not a media file bindspace knows (extension '" + MediaTypes.extension(root) + "')");
        } else if (kinds.contains(k.get())) {
          out.put(root.toAbsolutePath().normalize(), k.get());
        }
        continue;
      }
      try {
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
            new SimpleFileVisitor<>() {
              @Override
              public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                  var k = embedder.detect(file);
                  if (k.isPresent() && kinds.contains(k.get())) {
                    out.put(file.toAbsolutePath().normalize(), k.get());
                  } else {
                    ignored[0]++;
                  }
                }
                return FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult visitFileFailed(Path file, IOException e) {
                failures.add(file + ": cannot read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
                return FileVisitResult.CONTINUE;
              }
            });
      } catch (IOException e) {
        failures.add(root + ": " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * Removes the entries of files at or under {@code paths} (matched by their {@code path}
   * metadata), and with {@code missing} those whose file no longer exists; commits. Returns the
   * number of entries removed.
   */
  public static int remove(IndexStore store, List<Path> paths, boolean missing) {
    Set<String> exact = new TreeSet<>();
    List<String> prefixes = new ArrayList<>();
    for (Path p : paths) {
      String k = key(p);
      exact.add(k);
      prefixes.add(k.endsWith(java.io.File.separator) ? k : k + java.io.File.separator);
    }
    int n = 0;
    for (IndexStore.Stored s : store.entries()) {
      String p = s.metadata().getOrDefault(IndexStore.PATH, s.id());
      boolean hit = exact.contains(p) || prefixes.stream().anyMatch(p::startsWith)
          || missing && !Files.exists(Path.of(p));
      if (hit && store.index().remove(s.id())) {
        n++;
      }
    }
    store.commit();
    return n;
  }
}
