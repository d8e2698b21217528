package dev.bindspace.cli.internal;

import dev.bindspace.BindspaceException;
import dev.bindspace.CorruptIndexException;
import dev.bindspace.EncodingException;
import dev.bindspace.UnsupportedModalityException;
import dev.bindspace.onnx.BundleException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/** Builds the picocli command line and maps exceptions to exit codes ({@link ExitCodes}). */
public final class Cli {
  private Cli() {
  }

  /** Runs {@code args}; everything goes to {@code out} and {@code err}; returns the exit code. */
  public static int run(CliContext context, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new RootCommand(context));
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> handle(ex, cmd.getErr()));
    try {
      return cl.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static int handle(Exception ex, PrintWriter err) {
    int code;
    String message = ex.getMessage();
    if (ex instanceof ExpressionException x) {
      code = ExitCodes.USAGE;
      message = "invalid query expression at " + x.getMessage() + "\n  " + x.pointer().replace("\n", "\n  ");
    } else if (ex instanceof ModelException || ex instanceof BundleException) {
      code = ExitCodes.MODEL;
    } else if (ex instanceof InputException || ex instanceof CorruptIndexException || ex instanceof EncodingException
        || ex instanceof UnsupportedModalityException || ex instanceof UncheckedIOException) {
      code = ExitCodes.INPUT;
    } else if (ex instanceof BindspaceException) {
      code = ExitCodes.INPUT;
    } else {
      err.println("bindspace: internal error: " + ex);
      ex.printStackTrace(err);
      err.flush();
      return ExitCodes.INTERNAL;
    }
    err.println("bindspace: " + message);
    err.flush();
    return code;
  }
}
