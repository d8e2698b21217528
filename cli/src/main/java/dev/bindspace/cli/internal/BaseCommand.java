package dev.bindspace.cli.internal;

import dev.bindspace.MediaKind;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command shares: the streams, the context, the model option. */
abstract class BaseCommand {
  @Spec
  CommandSpec spec;

  CliContext context() {
    return ((RootCommand) spec.root().userObject()).context();
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  MediaEmbedder openModel(Optional<Path> model) {
    return context().openModel(model);
  }

  CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** The media kind of {@code file}: as forced, or detected. */
  static MediaKind kindOf(MediaEmbedder embedder, Path file, KindOption forced) {
    if (!Files.exists(file)) {
      throw new InputException("no such file: " + file);
    }
    if (Files.isDirectory(file)) {
      throw new InputException(file + " is a folder; name files (or use 'bindspace index add' for folders)");
    }
    if (forced != KindOption.AUTO) {
      return forced.kind();
    }
    return embedder.detect(file).orElseThrow(() -> new InputException("cannot tell what kind of media " + file
        + " is (extension '" + MediaTypes.extension(file) + "'); pass --modality"));
  }

  static String lower(Enum<?> k) {
    return k.name().toLowerCase(Locale.ROOT);
  }

  /** The index's space and dimension must be the model's. */
  static void checkCompatible(IndexStore store, MediaEmbedder embedder) {
    var idx = store.index();
    if (!idx.space().equals(embedder.space()) || idx.dimension() != embedder.dimension()) {
      throw new InputException("index " + store.location() + " holds space '" + idx.space() + "' (dimension "
          + idx.dimension() + ") but model " + embedder.info().name() + " embeds into '" + embedder.space()
          + "' (dimension " + embedder.dimension() + "); pass the model the index was built with (--model)");
    }
  }
}
