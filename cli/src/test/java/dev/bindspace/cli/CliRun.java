package dev.bindspace.cli;

import dev.bindspace.cli.internal.Cli;
import dev.bindspace.cli.internal.CliContext;
import dev.bindspace.cli.internal.MediaEmbedder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;

/** Runs the CLI in-process and captures exit code, stdout and stderr. */
record CliRun(int code, String out, String err) {

  static CliRun run(Supplier<MediaEmbedder> model, String... args) {
    return run(new CliContext(m -> model.get(), false), args);
  }

  static CliRun run(CliContext context, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.run(context, new PrintWriter(out), new PrintWriter(err), args);
    return new CliRun(code, out.toString(), err.toString());
  }

  @Override
  public String toString() {
    return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
