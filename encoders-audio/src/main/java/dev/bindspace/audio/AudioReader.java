package dev.bindspace.audio;

import dev.bindspace.audio.internal.AudioSources;
import java.nio.file.Path;

/**
 * A streaming audio decoder: yields the file's samples as float blocks at its own sample rate and
 * channel count, so memory stays bounded however long the recording. WAV (PCM 8/16/24/32-bit,
 * float 32/64, {@code WAVE_FORMAT_EXTENSIBLE}) is parsed in Java with torchaudio's (sox_io,
 * {@code normalize=True}) scaling; everything else goes through FFmpeg. Not thread-safe.
 *
 * <pre>{@code
 * try (AudioReader r = AudioReader.open(Path.of("talk.mp3"))) {
 *   float[][] block = new float[r.channels()][4096];
 *   for (int n; (n = r.read(block, 0, 4096)) > 0; ) {
 *     // block[c][0..n) holds channel c
 *   }
 * }
 * }</pre>
 */
public interface AudioReader extends AutoCloseable {

  /** Opens {@code file} with default options. @throws AudioDecodingException naming the file */
  static AudioReader open(Path file) {
    return open(file, AudioOptions.defaults());
  }

  /**
   * Opens {@code file}: the header is read (and checked against {@link AudioOptions#maxDuration()})
   * now; samples as {@link #read} is called.
   *
   * @throws AudioDecodingException naming the file if it is unreadable, corrupt, unsupported or too long
   */
  static AudioReader open(Path file, AudioOptions options) {
    return AudioSources.open(AudioInput.file(file), options);
  }

  /** The sample rate in Hz. */
  int sampleRate();

  /** The number of channels (at least 1). */
  int channels();

  /** The exact number of frames (samples per channel) if the header states it reliably, else -1. */
  long frames();

  /** The file path or {@code "pcm input"}, as used in error messages. */
  String source();

  /**
   * Reads up to {@code max} frames into {@code dest[c][offset..]} for every channel {@code c}.
   *
   * @return the number of frames read, or -1 at the end
   * @throws AudioDecodingException if the data is corrupt, too long or decoding times out
   */
  int read(float[][] dest, int offset, int max);

  /** Releases the file and any native decoder. Idempotent. */
  @Override
  void close();
}
