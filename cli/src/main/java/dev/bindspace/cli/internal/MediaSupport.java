package dev.bindspace.cli.internal;

import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.audio.AudioEncoder;
import dev.bindspace.audio.AudioInput;
import dev.bindspace.audio.AudioMoments;
import dev.bindspace.audio.Moment;
import dev.bindspace.vision.VisionEncoder;
import dev.bindspace.vision.VisionInput;
import dev.bindspace.vision.video.VideoEncoder;
import dev.bindspace.vision.video.VideoSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The media encoders this build of the CLI uses: the one place where encoder modules are wired in.
 *
 * <p>{@link #register} fills a {@link ModelMediaEmbedder.Registry} with, per media kind, an input
 * factory (path to the input object the model's encoder for that modality takes) and a moments
 * encoder for long audio and video (windows with start/end seconds). Images and video come from
 * {@code bindspace-encoders-vision} ({@link VisionInput}; video moments: 2 s windows every 1 s, the
 * length of one of the model's clips), audio from {@code bindspace-encoders-audio} ({@link AudioInput},
 * {@link AudioMoments}: 10 s windows every 5 s).
 */
public final class MediaSupport {
  private MediaSupport() {
  }

  /**
   * Silences FFmpeg's own log (e.g. {@code moov atom not found} for a broken video), as the image and
   * audio decoders already do: the video reader does not, and the CLI reports every failure itself,
   * with the file name, in its skipped-files list. Done on the first video so that commands that
   * embed no video do not load FFmpeg.
   */
  private static final class FfmpegLog {
    private static volatile boolean quiet;

    static void quiet() {
      if (!quiet) {
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET);
        quiet = true;
      }
    }
  }

  /** Registers the media kinds this build can embed. */
  public static void register(ModelMediaEmbedder.Registry registry) {
    registry.input(MediaKind.IMAGE, VisionInput::file);
    registry.input(MediaKind.VIDEO, path -> {
      FfmpegLog.quiet();
      return VisionInput.video(path);
    });
    registry.moments(MediaKind.VIDEO, (model, path) -> {
      FfmpegLog.quiet();
      if (!(model.encoder(Modality.VISION) instanceof VisionEncoder vision)) {
        throw new IllegalStateException("the model's vision encoder is not bindspace-encoders-vision's");
      }
      VideoEncoder video = vision.video().orElseThrow(() -> new IllegalStateException(
          "the model " + model.name() + " has no video graph"));
      List<EmbeddedItem> out = new ArrayList<>();
      for (dev.bindspace.vision.video.Moment m : video.moments(2.0, 1.0).embed(VideoSource.of(path))) {
        out.add(EmbeddedItem.moment(MediaKind.VIDEO, m.embedding(), Optional.of(m.result().raw()),
            m.startSeconds(), m.endSeconds()));
      }
      return out;
    });
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
