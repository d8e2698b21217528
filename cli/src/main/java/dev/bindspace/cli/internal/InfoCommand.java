package dev.bindspace.cli.internal;

import dev.bindspace.MediaKind;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bindspace info}. */
@Command(name = "info", description = "Show the model: name, joint space, modalities, dimension, licence.")
final class InfoCommand extends BaseCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "DIR|ZIP", description = "Model bundle (default: bindspace-mini).")
  Path model;

  @Override
  public Integer call() {
    try (MediaEmbedder e = openModel(Optional.ofNullable(model))) {
      ModelInfo i = e.info();
      var out = out();
      out.printf("model:       %s %s%n", i.name(), i.version());
      out.printf("space:       %s%n", i.space());
      out.printf("dimension:   %d%n", i.dimension());
      out.printf("modalities:  %s (bundle graphs: %s)%n", names(i.embeddableKinds()), names(i.bundleKinds()));
      out.printf("licence:     %s (%s)%n", i.licenseId(), i.licenseName());
      out.printf("attribution: %s%n", i.attribution());
      for (String d : i.details()) {
        out.printf("  %s%n", d);
      }
      out.flush();
    }
    return ExitCodes.OK;
  }

  private static String names(Set<MediaKind> kinds) {
    String s = kinds.stream().sorted().map(BaseCommand::lower).collect(Collectors.joining(", "));
    return s.isEmpty() ? "none" : s;
  }
}
