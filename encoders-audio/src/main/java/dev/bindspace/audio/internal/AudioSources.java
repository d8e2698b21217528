package dev.bindspace.audio.internal;

import dev.bindspace.audio.AudioDecodingException;
import dev.bindspace.audio.AudioDecodingException.Reason;
import dev.bindspace.audio.AudioInput;
import dev.bindspace.audio.AudioOptions;
import dev.bindspace.audio.AudioReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Picks the decoder for an input: PCM arrays, RIFF/WAVE in Java, anything else (or odd WAV codecs) via FFmpeg. */
public final class AudioSources {
  private AudioSources() {}

  public static AudioReader open(AudioInput input, AudioOptions options) {
    return open(input, options, Deadline.after(options.decodeTimeout()));
  }

  public static AudioReader open(AudioInput input, AudioOptions options, Deadline deadline) {
    if (input.isPcm()) {
      checkDuration(input.source(), input.frames(), input.sampleRate(), options);
      return new PcmReader(input);
    }
    Path file = input.path().orElseThrow();
    String src = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new AudioDecodingException(src, Reason.IO, Files.exists(file) ? "not a regular file" : "no such file");
    }
    byte[] head = new byte[12];
    int n;
    long size;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, 12);
      size = Files.size(file);
    } catch (IOException e) {
      throw new AudioDecodingException(src, Reason.IO, "cannot read: " + e, e);
    }
    if (size == 0) {
      throw new AudioDecodingException(src, Reason.EMPTY, "the file is empty (0 bytes)");
    }
    if (WavReader.isWav(head, n)) {
      try {
        return WavReader.open(file, options, deadline);
      } catch (AudioDecodingException e) {
        if (e.reason() != Reason.UNSUPPORTED) {
          throw e;
        }
        // ADPCM, µ-law, A-law, ...: let FFmpeg try; if it cannot, report our own message
        try {
          return FfmpegReader.open(file, options, deadline);
        } catch (AudioDecodingException f) {
          e.addSuppressed(f);
          throw e;
        }
      }
    }
    if (n >= 4 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F') {
      throw new AudioDecodingException(src, Reason.CORRUPT, "a RIFF file that is not WAVE (or a truncated header)");
    }
    return FfmpegReader.open(file, options, deadline);
  }

  /** @throws AudioDecodingException TOO_LONG if {@code frames} at {@code rate} exceed the maximum duration */
  public static void checkDuration(String source, long frames, int rate, AudioOptions options) {
    double seconds = (double) frames / rate;
    double max = options.maxDuration().toMillis() / 1000.0;
    if (seconds > max) {
      throw new AudioDecodingException(source, Reason.TOO_LONG, String.format(java.util.Locale.ROOT,
          "%.1f s of audio exceeds the maximum duration of %s", seconds, options.maxDuration()));
    }
  }
}
