package dev.bindspace.cli.internal;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What the commands share beyond their options: how a model is opened, and whether stderr is a
 * terminal (progress bar) or not (plain progress lines).
 */
public final class CliContext {

  /** Opens the model for {@code --model} (empty: the default, bindspace-mini). */
  @FunctionalInterface
  public interface EmbedderFactory {
    /** @throws ModelException if the model cannot be opened */
    MediaEmbedder open(Optional<Path> model);
  }

  private final EmbedderFactory factory;
  private final boolean errIsTerminal;

  public CliContext(EmbedderFactory factory, boolean errIsTerminal) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.errIsTerminal = errIsTerminal;
  }

  /** The real thing: bundles through {@link ModelMediaEmbedder}. */
  public static CliContext defaults() {
    return new CliContext(ModelMediaEmbedder::open, System.console() != null && !"dumb".equals(System.getenv("TERM")));
  }

  public MediaEmbedder openModel(Optional<Path> model) {
    return factory.open(model);
  }

  public boolean errIsTerminal() {
    return errIsTerminal;
  }
}
