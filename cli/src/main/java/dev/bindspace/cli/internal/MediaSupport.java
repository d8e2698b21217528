package dev.bindspace.cli.internal;

/**
 * The media encoders this build of the CLI uses: the one place where encoder modules are wired in.
 *
 * <p>{@link #register} fills a {@link ModelMediaEmbedder.Registry} with, per media kind, an input
 * factory ({@code registry.input(MediaKind.IMAGE, path -> ...)}: path to the input object the
 * model's encoder for that modality takes) and optionally a moments encoder for long audio and
 * video ({@code registry.moments(MediaKind.VIDEO, (model, path) -> ...)}: windows with start/end
 * seconds). This build depends on no media encoder module ({@code bindspace-encoders-vision},
 * {@code bindspace-encoders-audio}), so it registers none: text (and {@code .txt}/{@code .md}
 * files) is embedded by the model's text encoder, and a media file is refused with "no encoder for
 * IMAGE files in this build", exit code 3.
 */
public final class MediaSupport {
  private MediaSupport() {
  }

  /** Registers the media kinds this build can embed. */
  public static void register(ModelMediaEmbedder.Registry registry) {
    // No media encoder module on this build's classpath: nothing to register (see the class javadoc).
  }
}
