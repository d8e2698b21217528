package dev.bindspace.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * An opened, verified model bundle: its {@link BundleManifest} and a directory on disk holding
 * every file the manifest names, each checked against its SHA-256.
 *
 * <p>A bundle opens from a directory ({@link #open(Path)}), a zip file (same method; entries are
 * extracted to a private temporary directory), or the classpath under a resource prefix
 * ({@link #fromClasspath(String)}, so a model can ship as a Maven artifact; also extracted). ONNX
 * Runtime then loads graphs by path, which also lets graphs with external weight files load.
 * Nothing is ever fetched from the network.
 *
 * <p>Refused, with what was expected and what was found: a missing or invalid {@code bundle.json},
 * an unknown format version, a missing file, a file whose SHA-256 differs (tampered or truncated),
 * a path or zip entry that escapes the bundle root, a symbolic link leading out of a directory
 * bundle.
 *
 * <p>{@link #close()} deletes the extracted copy (a directory bundle is left alone); idempotent.
 * Signature checks of the graphs themselves happen when ONNX Runtime opens them
 * ({@link OnnxEmbeddingModel}).
 */
public final class Bundle implements AutoCloseable {
  private final BundleManifest manifest;
  private final Path root;
  private final boolean temporary;
  private final String source;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Bundle(BundleManifest manifest, Path root, boolean temporary, String source) {
    this.manifest = manifest;
    this.root = root;
    this.temporary = temporary;
    this.source = source;
  }

  /**
   * Opens a bundle directory, or a zip file holding {@code bundle.json} at its root.
   *
   * @throws BundleException if the bundle is missing, invalid or tampered with
   */
  public static Bundle open(Path path) {
    Objects.requireNonNull(path, "path");
    if (Files.isDirectory(path)) {
      return openDirectory(path);
    }
    if (Files.isRegularFile(path)) {
      return openZip(path);
    }
    throw new BundleException("expected a bundle directory or zip file at " + path + ", found nothing there");
  }

  /** Opens a bundle from the context class loader's resources under {@code prefix} (e.g. {@code models/mini/}). */
  public static Bundle fromClasspath(String prefix) {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return fromClasspath(prefix, cl != null ? cl : Bundle.class.getClassLoader());
  }

  /**
   * Opens a bundle from {@code loader}'s resources under {@code prefix}: {@code prefix + "bundle.json"}
   * and every file it names, copied to a temporary directory and verified.
   *
   * @throws BundleException if a resource is missing or a file is tampered with
   */
  public static Bundle fromClasspath(String prefix, ClassLoader loader) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(loader, "loader");
    String p = prefix.startsWith("/") ? prefix.substring(1) : prefix;
    if (!p.isEmpty() && !p.endsWith("/")) {
      p = p + "/";
    }
    String src = "classpath:" + p;
    Path tmp = createTempDir();
    try {
      byte[] json = readResource(loader, p + BundleManifest.FILE_NAME, src);
      BundleManifest m = BundleManifest.parse(json, src + BundleManifest.FILE_NAME);
      for (FileRef f : m.allFiles()) {
        String name = f.isClasspathResource() ? f.resource().substring(1) : p + f.path();
        try (InputStream in = loader.getResourceAsStream(name)) {
          if (in == null) {
            throw missing(src, f, "resource " + name + " not on the classpath");
          }
          copyVerified(in, tmp, f, src);
        } catch (IOException e) {
          throw new BundleException(src + ": cannot read " + f.path() + ": " + e.getMessage(), e);
        }
      }
      return new Bundle(m, tmp, true, src);
    } catch (RuntimeException e) {
      deleteTree(tmp);
      throw e;
    }
  }

  private static Bundle openDirectory(Path dir) {
    Path root;
    try {
      root = dir.toRealPath();
    } catch (IOException e) {
      throw new BundleException("cannot resolve bundle directory " + dir + ": " + e.getMessage(), e);
    }
    String src = root.toString();
    Path manifestFile = root.resolve(BundleManifest.FILE_NAME);
    byte[] json;
    try {
      json = Files.readAllBytes(manifestFile);
    } catch (NoSuchFileException e) {
      throw new BundleException(src + ": expected " + BundleManifest.FILE_NAME + " at the bundle root, found no such file");
    } catch (IOException e) {
      throw new BundleException(src + ": cannot read " + BundleManifest.FILE_NAME + ": " + e.getMessage(), e);
    }
    BundleManifest m = BundleManifest.parse(json, src + "/" + BundleManifest.FILE_NAME);
    refuseClasspathResources(m, src);
    for (FileRef f : m.allFiles()) {
      Path file = root.resolve(f.path());
      if (!Files.isRegularFile(file)) {
        throw missing(src, f, "no such file");
      }
      Path real;
      try {
        real = file.toRealPath();
      } catch (IOException e) {
        throw new BundleException(src + ": cannot resolve " + f.path() + ": " + e.getMessage(), e);
      }
      if (!real.startsWith(root)) {
        throw new BundleException(src + ": file '" + f.path() + "' escapes the bundle root: expected a file under "
            + root + ", found a link to " + real);
      }
      try (InputStream in = Files.newInputStream(real)) {
        checkDigest(src, f, digest(in), Files.size(real));
      } catch (IOException e) {
        throw new BundleException(src + ": cannot read " + f.path() + ": " + e.getMessage(), e);
      }
    }
    return new Bundle(m, root, false, src);
  }

  private static Bundle openZip(Path zipPath) {
    String src = zipPath.toAbsolutePath().toString();
    Path tmp = createTempDir();
    try (ZipFile zip = new ZipFile(zipPath.toFile())) {
      // every entry is checked, not just the referenced ones: a zip carrying an escaping entry is refused whole
      for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
        ZipEntry e = en.nextElement();
        String name = e.isDirectory() && e.getName().endsWith("/")
            ? e.getName().substring(0, e.getName().length() - 1) : e.getName();
        if (name.isEmpty()) {
          continue;
        }
        try {
          FileRef.checkRelativePath(name);
        } catch (IllegalArgumentException ex) {
          throw new BundleException(src + ": zip entry '" + e.getName()
              + "' escapes the bundle root: expected a relative path inside the bundle without '..' segments");
        }
      }
      ZipEntry me = zip.getEntry(BundleManifest.FILE_NAME);
      if (me == null) {
        throw new BundleException(src + ": expected " + BundleManifest.FILE_NAME
            + " at the root of the zip, found no such entry");
      }
      byte[] json;
      try (InputStream in = zip.getInputStream(me)) {
        json = in.readAllBytes();
      }
      BundleManifest m = BundleManifest.parse(json, src + "!/" + BundleManifest.FILE_NAME);
      refuseClasspathResources(m, src);
      for (FileRef f : m.allFiles()) {
        ZipEntry e = zip.getEntry(f.path());
        if (e == null || e.isDirectory()) {
          throw missing(src, f, "no such zip entry");
        }
        try (InputStream in = zip.getInputStream(e)) {
          copyVerified(in, tmp, f, src);
        }
      }
      return new Bundle(m, tmp, true, src);
    } catch (IOException e) {
      deleteTree(tmp);
      throw new BundleException(src + ": cannot read the zip: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      deleteTree(tmp);
      throw e;
    }
  }

  private static void refuseClasspathResources(BundleManifest m, String src) {
    for (FileRef f : m.allFiles()) {
      if (f.isClasspathResource()) {
        throw new BundleException(src + ": file '" + f.path() + "' names the classpath resource " + f.resource()
            + ": expected such references only in a bundle opened from the classpath, found them in a directory or zip");
      }
    }
  }

  private static BundleException missing(String src, FileRef f, String found) {
    return new BundleException(src + ": expected file '" + f.path() + "' named in " + BundleManifest.FILE_NAME
        + ", found " + found);
  }

  private static void copyVerified(InputStream in, Path dir, FileRef f, String src) throws IOException {
    Path target = dir.resolve(f.path()).normalize();
    if (!target.startsWith(dir)) { // FileRef already refuses '..'; belt and braces
      throw new BundleException(src + ": file '" + f.path() + "' escapes the bundle root");
    }
    Files.createDirectories(target.getParent());
    MessageDigest md = sha256();
    long size;
    try (DigestInputStream din = new DigestInputStream(in, md)) {
      size = Files.copy(din, target, StandardCopyOption.REPLACE_EXISTING);
    }
    checkDigest(src, f, HexFormat.of().formatHex(md.digest()), size);
  }

  private static void checkDigest(String src, FileRef f, String actual, long size) {
    if (!actual.equals(f.sha256())) {
      throw new BundleException(src + ": SHA-256 mismatch for '" + f.path() + "': expected " + f.sha256()
          + " (from " + BundleManifest.FILE_NAME + "), found " + actual + " over " + size
          + " bytes; the file is corrupt, truncated or was modified");
    }
  }

  private static String digest(InputStream in) throws IOException {
    MessageDigest md = sha256();
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0; ) {
      md.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static byte[] readResource(ClassLoader loader, String name, String src) {
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new BundleException(src + ": expected resource " + name + " on the classpath, found none");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new BundleException(src + ": cannot read resource " + name + ": " + e.getMessage(), e);
    }
  }

  private static Path createTempDir() {
    try {
      return Files.createTempDirectory("bindspace-bundle-").toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for the bundle", e);
    }
  }

  private static void deleteTree(Path p) {
    try {
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
          for (Path c : ds) {
            deleteTree(c);
          }
        }
      }
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // best effort: a leftover temp file is not worth failing a close over
    }
  }

  /** The verified manifest. */
  public BundleManifest manifest() {
    return manifest;
  }

  /** The directory holding the verified files (a private temporary copy for zip and classpath bundles). */
  public Path root() {
    checkOpen();
    return root;
  }

  /** The on-disk path of a file the manifest names. */
  public Path file(FileRef ref) {
    checkOpen();
    return root.resolve(ref.path());
  }

  /** Where the bundle came from: a directory, a zip path or {@code classpath:prefix}. */
  public String source() {
    return source;
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("bundle " + source + " is closed");
    }
  }

  /** Deletes the temporary copy of a zip or classpath bundle. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && temporary) {
      deleteTree(root);
    }
  }

  @Override
  public String toString() {
    return "Bundle[" + source + ", " + manifest + "]";
  }
}
