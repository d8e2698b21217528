package dev.bindspace.cli.internal;

import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.audio.AudioEncoder;
import dev.bindspace.audio.AudioInput;
import dev.bindspace.audio.AudioMoments;
import dev.bindspace.audio.Moment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The media encoders this build of the CLI uses: the one place where encoder modules are wired in.
 *
 * <p>{@link #register} fills a {@link ModelMediaEmbedder.Registry} with, per media kind, an input
 * factory (path to the input object the model's encoder for that modality takes) and a moments
 * encoder for long audio and video (windows with start/end seconds). Audio comes from
 * {@code bindspace-encoders-audio} ({@link AudioInput}, {@link AudioMoments}: 10 s windows every 5 s).
 */
public final class MediaSupport {
  private MediaSupport() {
  }

  /** Registers the media kinds this build can embed. */
  public static void register(ModelMediaEmbedder.Registry registry) {
    registry.input(MediaKind.AUDIO, AudioInput::file);
    registry.moments(MediaKind.AUDIO, (model, path) -> {
      if (!(model.encoder(Modality.AUDIO) instanceof AudioEncoder audio)) {
        throw new IllegalStateException("the model's audio encoder is not bindspace-encoders-audio's");
      }
      List<EmbeddedItem> out = new ArrayList<>();
      for (Moment m : AudioMoments.builder(audio).build().embed(AudioInput.file(path))) {
        out.add(EmbeddedItem.moment(MediaKind.AUDIO, m.embedding(), Optional.empty(),
            m.start().toNanos() / 1e9, m.end().toNanos() / 1e9));
      }
      return out;
    });
  }
}
