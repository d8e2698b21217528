package dev.bindspace.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Records when each trial ran, so that the summary can set it against the CPU that other processes used
 * meanwhile (benchmarks/run.sh samples that into monitor.log). Appends one line per trial to {@code
 * $BINDSPACE_BENCH_RESULTS/windows.tsv}: benchmark, data set, path, threads, batch, start and end in
 * epoch milliseconds. Does nothing when the variable is unset.
 */
final class RunLog {
  static final String RESULTS_ENV = "BINDSPACE_BENCH_RESULTS";

  private RunLog() {
  }

  static void window(String benchmark, String dataset, String path, int threads, int batch, long startMillis) {
    String dir = System.getenv(RESULTS_ENV);
    if (dir == null || dir.isBlank()) {
      return;
    }
    String line = String.join("\t", benchmark, dataset, path, Integer.toString(threads), Integer.toString(batch),
        Long.toString(startMillis), Long.toString(System.currentTimeMillis())) + "\n";
    try {
      Files.writeString(Path.of(dir, "windows.tsv"), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
