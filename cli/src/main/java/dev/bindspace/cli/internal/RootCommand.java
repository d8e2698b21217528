package dev.bindspace.cli.internal;

import picocli.CommandLine.Command;

/** {@code bindspace}: the command table. */
@Command(name = "bindspace", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class,
    description = "Embed, index, search and classify text, images, audio and video in one joint vector space.",
    subcommands = {InfoCommand.class, EmbedCommand.class, IndexCommand.class, SearchCommand.class,
        ClassifyCommand.class, ReportCommand.class},
    footer = {"", "Exit codes: 0 ok, 2 usage, 3 input error (names the file), 4 model error.",
        "Reference: docs/cli.md"})
public final class RootCommand implements Runnable {
  private final CliContext context;

  public RootCommand(CliContext context) {
    this.context = context;
  }

  CliContext context() {
    return context;
  }

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
        "a command is required: info, embed, index, search, classify or report");
  }

  /** The version from the jar manifest, or "development build". */
  static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = RootCommand.class.getPackage().getImplementationVersion();
      return new String[] {"bindspace " + (v == null ? "(development build)" : v)};
    }
  }
}
