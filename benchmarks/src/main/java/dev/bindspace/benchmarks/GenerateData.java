package dev.bindspace.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the benchmark vectors, queries and exact answers (see {@link Dataset}) into the data directory,
 * skipping files that already exist with the expected header. Deterministic: the same seeds give the
 * same bytes.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.bindspace.benchmarks.GenerateData [--force] [label...]
 * </pre>
 */
public final class GenerateData {
  private GenerateData() {
  }

  public static void main(String[] args) throws IOException {
    boolean force = false;
    List<Dataset> sets = new ArrayList<>();
    for (String a : args) {
      if (a.equals("--force")) {
        force = true;
      } else {
        sets.add(Dataset.of(a));
      }
    }
    if (sets.isEmpty()) {
      sets = List.of(Dataset.values());
    }
    Path dir = Dataset.dataDir();
    Files.createDirectories(dir);
    System.out.println("data directory: " + dir.toAbsolutePath());
    for (Dataset ds : sets) {
      generate(ds, force);
    }
  }

  static void generate(Dataset ds, boolean force) throws IOException {
    VectorFile.Header base = new VectorFile.Header(ds.dimension(), ds.rows(), ds.seed());
    VectorFile.Header queries = new VectorFile.Header(ds.dimension(), Dataset.QUERIES, ~ds.seed());
    boolean fresh = false;
    if (force || !matches(ds.baseFile(), base)) {
      long t = System.nanoTime();
      VectorFile.write(ds.baseFile(), base, (row, dest) -> Dataset.unitGaussian(base.seed(), row, dest));
      System.out.printf(Locale.ROOT, "%s: wrote %d x %d rows (%.0f MB) in %.1f s%n", ds.label(), ds.rows(),
          ds.dimension(), ds.vectorBytes() / 1e6, (System.nanoTime() - t) / 1e9);
      fresh = true;
    }
    if (force || !matches(ds.queryFile(), queries)) {
      VectorFile.write(ds.queryFile(), queries, (row, dest) -> Dataset.unitGaussian(queries.seed(), row, dest));
      fresh = true;
    }
    if (fresh || !Files.exists(ds.groundTruthFile())) {
      long t = System.nanoTime();
      float[][] all = VectorFile.readAll(ds.queryFile());
      float[][] q = java.util.Arrays.copyOf(all, Dataset.GT_QUERIES);
      GroundTruth.compute(ds.baseFile(), q, Dataset.TOP_K).write(ds.groundTruthFile());
      System.out.printf(Locale.ROOT, "%s: exact top-%d of %d queries in %.1f s%n", ds.label(), Dataset.TOP_K,
          Dataset.GT_QUERIES, (System.nanoTime() - t) / 1e9);
    } else {
      System.out.println(ds.label() + ": up to date");
    }
  }

  private static boolean matches(Path file, VectorFile.Header expected) {
    try {
      return Files.exists(file) && VectorFile.readHeader(file).equals(expected);
    } catch (IOException e) {
      return false;
    }
  }
}
