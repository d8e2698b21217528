package dev.bindspace.cli;

import dev.bindspace.cli.internal.Cli;
import dev.bindspace.cli.internal.CliContext;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * The {@code bindspace} command-line tool: {@code info}, {@code embed}, {@code index
 * create|add|remove|stats}, {@code search}, {@code classify} and {@code report}. The reference is
 * docs/cli.md; {@code bindspace --help} and {@code bindspace COMMAND --help} print the options.
 *
 * <p>Exit codes: 0 ok, 2 usage (unknown option, missing argument, malformed query expression), 3
 * input error (a missing, unreadable or undecodable file, a damaged or mismatched index; the
 * message names it), 4 model error (the bundle cannot be opened), 1 an internal error.
 *
 * <pre>{@code
 * int code = BindspaceCli.run("search", "--index", "media.bsix", "--text", "a dog on a beach");
 * }</pre>
 */
public final class BindspaceCli {
  /** Lucene logs a JUL warning that it cannot vectorise on Java 17; bindspace plugs its own kernels in. */
  private static final java.util.logging.Logger LUCENE_VECTORIZATION =
      java.util.logging.Logger.getLogger("org.apache.lucene.internal.vectorization");

  private BindspaceCli() {
  }

  /** Runs the tool and exits the JVM with its exit code. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the tool on stdout/stderr with bindspace-mini as the default model; returns the exit code. */
  public static int run(String... args) {
    System.setProperty("java.awt.headless", "true");
    LUCENE_VECTORIZATION.setLevel(java.util.logging.Level.SEVERE);
    Charset cs = Charset.defaultCharset();
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, cs), false);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, cs), false);
    return Cli.run(CliContext.defaults(), out, err, args);
  }
}
