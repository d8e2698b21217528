package dev.bindspace.cli;

import dev.bindspace.MediaKind;
import dev.bindspace.cli.internal.Cli;
import dev.bindspace.cli.internal.CliContext;
import java.io.PrintWriter;
import java.util.EnumSet;

/**
 * The CLI with {@link FakeEmbedder} (TEXT only, {@code bindspace.test.delayMillis} per file), run as
 * a child JVM by {@link IndexKillTest}.
 */
public final class KillTestMain {
  private KillTestMain() {
  }

  public static void main(String[] args) {
    long delay = Long.getLong("bindspace.test.delayMillis", 0);
    CliContext ctx = new CliContext(m -> new FakeEmbedder(EnumSet.of(MediaKind.TEXT), delay), false);
    int code = Cli.run(ctx, new PrintWriter(System.out), new PrintWriter(System.err), args);
    System.exit(code);
  }
}
