package dev.bindspace;

import java.util.Random;
import org.junit.jupiter.api.TestInfo;

/**
 * Seeds for randomized tests. One master seed per JVM: {@code -Dtests.seed=N} (decimal or
 * {@code 0x} hex) when given, otherwise a fresh random one. Each test derives its own seed from the
 * master seed and its name, so rerunning with the printed {@code -Dtests.seed} reproduces every
 * test, alone or together.
 */
public final class TestRandom {
  /** The system property that overrides the master seed. */
  public static final String PROPERTY = "tests.seed";

  private static final long MASTER = masterFromProperty();

  private TestRandom() {
  }

  private static long masterFromProperty() {
    String p = System.getProperty(PROPERTY, "").trim();
    if (p.isEmpty()) {
      return new java.security.SecureRandom().nextLong();
    }
    if (p.startsWith("0x") || p.startsWith("0X")) {
      return Long.parseUnsignedLong(p.substring(2), 16);
    }
    return Long.parseLong(p);
  }

  /** The master seed of this JVM. */
  public static long masterSeed() {
    return MASTER;
  }

  /** A {@link Random} for the current test; prints the seed to reproduce it. */
  public static Random forTest(TestInfo info) {
    String name = info.getTestClass().map(Class::getSimpleName).orElse("?") + "." + info.getDisplayName();
    return forName(name);
  }

  /** A {@link Random} derived from the master seed and {@code name}; prints the seed. */
  public static Random forName(String name) {
    long seed = mix(MASTER ^ (0x9E3779B97F4A7C15L * name.hashCode()));
    System.out.println("[seed] " + name + ": -D" + PROPERTY + "=" + MASTER + " (derived seed " + seed + ")");
    return new Random(seed);
  }

  /** SplitMix64 finaliser: spreads nearby inputs over the whole range. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
