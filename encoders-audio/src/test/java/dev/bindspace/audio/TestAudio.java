package dev.bindspace.audio;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Test helpers: locating ../shared, reading whole files, comparing arrays. */
final class TestAudio {
  private TestAudio() {}

  /** The shared folder (system property bindspace.shared set by the POM, else ../../shared). */
  static Path shared() {
    return Path.of(System.getProperty("bindspace.shared", "../../shared"));
  }

  static Path sharedOrSkip(String rel) {
    Path p = shared().resolve(rel);
    assumeTrue(Files.exists(p), "shared goldens not present at " + p.toAbsolutePath() + " - skipping");
    return p;
  }

  /** The test resource folder of this module. */
  static Path resource(String rel) {
    return Path.of("src/test/resources").resolve(rel);
  }

  /** Reads a whole stream as [channel][frame]. */
  static float[][] readAll(AudioReader r) {
    int ch = r.channels();
    float[][] d = new float[ch][1024];
    int len = 0;
    while (true) {
      if (d[0].length - len < 4096) {
        for (int c = 0; c < ch; c++) {
          d[c] = Arrays.copyOf(d[c], d[c].length * 2 + 4096);
        }
      }
      int n = r.read(d, len, 4096);
      if (n < 0) {
        break;
      }
      len += n;
    }
    for (int c = 0; c < ch; c++) {
      d[c] = Arrays.copyOf(d[c], len);
    }
    return d;
  }

  /** Channels concatenated, i.e. a (C, N) array in row-major order. */
  static float[] flat(float[][] d) {
    int n = d[0].length;
    float[] out = new float[d.length * n];
    for (int c = 0; c < d.length; c++) {
      System.arraycopy(d[c], 0, out, c * n, n);
    }
    return out;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
    }
    return m;
  }
}
