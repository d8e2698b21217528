package dev.bindspace.cli.internal;

import dev.bindspace.BindspaceException;
import dev.bindspace.Embedding;
import dev.bindspace.FlatIndex;
import dev.bindspace.IndexEntry;
import dev.bindspace.MediaKind;
import dev.bindspace.MetadataFilter;
import dev.bindspace.SearchHit;
import dev.bindspace.SearchRequest;
import dev.bindspace.VectorIndex;
import dev.bindspace.lucene.LuceneVectorIndex;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The index a command works on, {@link IndexType#FLAT} or {@link IndexType#HNSW}, with one notion of
 * <em>commit</em>: after {@link #commit()} returns, every write so far survives a crash (a flat
 * index is saved atomically over its file; a Lucene index makes a Lucene commit), and a crash
 * before it loses only the writes since the previous commit.
 *
 * <p>A flat index file is guarded by a lock on {@code FILE.lock} while a writer has it open, so two
 * {@code index add} runs on one file cannot overwrite each other's work; a Lucene directory has
 * Lucene's own write lock.
 */
public final class IndexStore implements AutoCloseable {
  /** Metadata keys of every entry the CLI writes. */
  public static final String PATH = "path";
  public static final String SHA256 = "sha256";
  public static final String MODALITY = "modality";
  public static final String START = "start";
  public static final String END = "end";

  private final Path location;
  private final IndexType type;
  private final VectorIndex index;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private boolean closed;

  private IndexStore(Path location, IndexType type, VectorIndex index, FileChannel lockChannel, FileLock lock) {
    this.location = location;
    this.type = type;
    this.index = index;
    this.lockChannel = lockChannel;
    this.lock = lock;   // held until close()
  }

  /** Whether something exists at {@code location}. */
  public static boolean exists(Path location) {
    return Files.exists(location);
  }

  /** The type of the index at {@code location}: a directory is HNSW, a file flat. */
  public static IndexType typeOf(Path location) {
    return Files.isDirectory(location) ? IndexType.HNSW : IndexType.FLAT;
  }

  /**
   * Creates an empty index at {@code location} and commits it.
   *
   * @throws InputException if something already exists there
   */
  public static IndexStore create(Path location, IndexType type, String space, int dimension) {
    if (Files.exists(location) && !(type == IndexType.HNSW && isEmptyDirectory(location))) {
      throw new InputException("index " + location + " already exists; use 'index add' to add to it");
    }
    if (type == IndexType.FLAT) {
      Lock l = lock(location);
      try {
        FlatIndex f = FlatIndex.create(space, dimension);
        IndexStore s = new IndexStore(location, type, f, l.channel, l.lock);
        s.commit();
        return s;
      } catch (RuntimeException e) {
        l.release();
        throw e;
      }
    }
    try {
      LuceneVectorIndex idx = LuceneVectorIndex.builder(space, dimension).directory(location)
          .options(luceneOptions()).build();
      IndexStore s = new IndexStore(location, type, idx, null, null);
      s.commit();
      return s;
    } catch (BindspaceException e) {
      throw new InputException("cannot create index " + location + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens the index at {@code location}, for reading and writing.
   *
   * @throws InputException if it is missing, damaged or in use by another writer
   */
  public static IndexStore open(Path location) {
    return open(location, true);
  }

  /**
   * Opens the index at {@code location} for reading: a flat index is not locked, so searches run
   * while another process adds to it (they see its last commit). A Lucene index always has a writer
   * and is locked as by {@link #open(Path)}.
   */
  public static IndexStore openForReading(Path location) {
    return open(location, false);
  }

  private static IndexStore open(Path location, boolean lockFlat) {
    if (!Files.exists(location)) {
      throw new InputException("index " + location + " does not exist; create it with 'bindspace index create'");
    }
    if (typeOf(location) == IndexType.HNSW) {
      try {
        return new IndexStore(location, IndexType.HNSW, LuceneVectorIndex.open(location, luceneOptions()), null, null);
      } catch (BindspaceException e) {
        throw new InputException("cannot open index " + location + ": " + e.getMessage(), e);
      }
    }
    if (!lockFlat) {
      try {
        return new IndexStore(location, IndexType.FLAT, FlatIndex.open(location), null, null);
      } catch (BindspaceException e) {
        throw new InputException("cannot open index " + location + ": " + e.getMessage(), e);
      }
    }
    Lock l = lock(location);
    try {
      return new IndexStore(location, IndexType.FLAT, FlatIndex.open(location), l.channel, l.lock);
    } catch (BindspaceException e) {
      l.release();
      throw new InputException("cannot open index " + location + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      l.release();
      throw e;
    }
  }

  /**
   * Lucene settings for the CLI: commits only when asked (so a crash keeps exactly the last
   * {@link #commit()}), and every search exact up to 100 million entries so that
   * {@link #entries()} can list the whole index through the public search API.
   */
  private static LuceneVectorIndex.Options luceneOptions() {
    return LuceneVectorIndex.Options.builder().commitPolicy(LuceneVectorIndex.CommitPolicy.MANUAL)
        .exactSearchThreshold(100_000_000).build();
  }

  private static boolean isEmptyDirectory(Path dir) {
    try (var s = Files.list(dir)) {
      return Files.isDirectory(dir) && s.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private record Lock(FileChannel channel, FileLock lock) {
    void release() {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing the channel releases the lock; nothing else to undo
      }
    }
  }

  private static Lock lock(Path location) {
    Path lockFile = location.resolveSibling(location.getFileName() + ".lock");
    FileChannel ch = null;
    try {
      ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;   // held by this JVM
      }
      if (l == null) {
        throw new InputException("index " + location + " is in use by another bindspace process (lock " + lockFile + ")");
      }
      return new Lock(ch, l);
    } catch (IOException e) {
      closeQuietly(ch);
      throw new InputException("cannot lock index " + location + " (" + lockFile + "): " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // best effort
      }
    }
  }

  public Path location() {
    return location;
  }

  public IndexType type() {
    return type;
  }

  /** The underlying index; writes become durable at the next {@link #commit()}. */
  public VectorIndex index() {
    return index;
  }

  /** Makes every write so far durable (atomic file save, or a Lucene commit). */
  public void commit() {
    try {
      if (index instanceof FlatIndex f) {
        f.save(location);
      } else {
        ((LuceneVectorIndex) index).commit();
      }
    } catch (BindspaceException e) {
      throw new InputException("cannot write index " + location + ": " + e.getMessage(), e);
    }
  }

  /** What a listing knows about an entry: everything but its vector. */
  public record Stored(String id, MediaKind media, Map<String, String> metadata) {
  }

  /**
   * Every entry's id, media kind and metadata, in id order for a flat index. A Lucene index is
   * listed by exact searches (see {@link #luceneOptions()}), split by the first hex digits of the
   * {@value #SHA256} metadata while a page comes back full ({@link SearchRequest#MAX_TOP_K} hits).
   */
  public List<Stored> entries() {
    List<Stored> out = new ArrayList<>(index.size());
    if (index instanceof FlatIndex f) {
      for (String id : f.ids()) {
        f.get(id).ifPresent(e -> out.add(new Stored(e.id(), e.embedding().media(), e.metadata())));
      }
      return out;
    }
    if (index.size() == 0) {
      return out;
    }
    float[] probe = new float[index.dimension()];
    probe[0] = 1;
    Embedding q = Embedding.of(index.space(), MediaKind.TEXT, probe);
    Map<String, Stored> byId = new LinkedHashMap<>();
    listLucene(q, "", index.size(), byId);
    out.addAll(byId.values());
    return out;
  }

  private void listLucene(Embedding q, String prefix, int expected, Map<String, Stored> out) {
    MetadataFilter f = prefix.isEmpty() ? MetadataFilter.all()
        : m -> m.getOrDefault(SHA256, "").startsWith(prefix);
    int k = Math.max(1, Math.min(expected, SearchRequest.MAX_TOP_K));
    List<SearchHit> hits = index.search(SearchRequest.builder(q).topK(k).filter(f).build());
    if (hits.size() < SearchRequest.MAX_TOP_K || prefix.length() == 64) {
      for (SearchHit h : hits) {
        out.put(h.id(), new Stored(h.id(), h.media(), h.metadata()));
      }
      return;
    }
    for (char c : "0123456789abcdef".toCharArray()) {  // a full page: there may be more, split the range
      listLucene(q, prefix + c, expected, out);
    }
  }

  /** Closes the index (a Lucene index discards writes since the last commit) and the lock. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      index.close();
    } finally {
      if (lockChannel != null) {
        closeQuietly(lockChannel);   // releases the lock
      }
    }
  }
}
