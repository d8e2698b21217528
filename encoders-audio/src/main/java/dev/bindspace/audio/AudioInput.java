package dev.bindspace.audio;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable audio input: a file ({@link #file}) or samples already in memory ({@link #pcm}).
 * PCM arrays are copied in and used as given (no scaling, any finite values).
 */
public final class AudioInput {
  private final Path file;
  private final float[][] pcm;
  private final int sampleRate;

  private AudioInput(Path file, float[][] pcm, int sampleRate) {
    this.file = file;
    this.pcm = pcm;
    this.sampleRate = sampleRate;
  }

  /** An audio file; WAV is decoded in Java, any other format through FFmpeg. */
  public static AudioInput file(Path file) {
    return new AudioInput(Objects.requireNonNull(file, "file"), null, 0);
  }

  /**
   * Samples in memory, {@code channels[c][i]}; copied.
   *
   * @throws IllegalArgumentException if there are no channels, the channels differ in length, a
   *     value is not finite or the rate is not positive
   */
  public static AudioInput pcm(float[][] channels, int sampleRate) {
    Objects.requireNonNull(channels, "channels");
    if (channels.length == 0) {
      throw new IllegalArgumentException("pcm input needs at least one channel, got 0");
    }
    if (sampleRate < 1) {
      throw new IllegalArgumentException("sampleRate must be positive, got " + sampleRate);
    }
    int n = Objects.requireNonNull(channels[0], "channels[0]").length;
    float[][] copy = new float[channels.length][];
    for (int c = 0; c < channels.length; c++) {
      float[] ch = Objects.requireNonNull(channels[c], "channels[" + c + "]");
      if (ch.length != n) {
        throw new IllegalArgumentException("channel " + c + " has " + ch.length + " samples, channel 0 has " + n);
      }
      for (int i = 0; i < n; i++) {
        if (!Float.isFinite(ch[i])) {
          throw new IllegalArgumentException("channel " + c + " sample " + i + " is " + ch[i] + ", expected finite");
        }
      }
      copy[c] = ch.clone();
    }
    return new AudioInput(null, copy, sampleRate);
  }

  /** The file, if this is a file input. */
  public Optional<Path> path() {
    return Optional.ofNullable(file);
  }

  /** Whether this holds samples in memory. */
  public boolean isPcm() {
    return pcm != null;
  }

  /** The sample rate of a PCM input; 0 for a file (its header says). */
  public int sampleRate() {
    return sampleRate;
  }

  /** The number of channels of a PCM input; 0 for a file. */
  public int channels() {
    return pcm == null ? 0 : pcm.length;
  }

  /** The frames per channel of a PCM input; 0 for a file. */
  public int frames() {
    return pcm == null ? 0 : pcm[0].length;
  }

  /** Copies {@code count} samples of {@code channel} from {@code from} into {@code dest}. */
  public void copySamples(int channel, int from, float[] dest, int destOffset, int count) {
    if (pcm == null) {
      throw new IllegalStateException("not a pcm input: " + file);
    }
    System.arraycopy(pcm[channel], from, dest, destOffset, count);
  }

  /** The file path or {@code "pcm input"}, as used in messages. */
  public String source() {
    return file != null ? file.toString() : "pcm input";
  }

  @Override
  public String toString() {
    return file != null ? "AudioInput[" + file + "]"
        : "AudioInput[pcm, " + pcm.length + " ch, " + pcm[0].length + " frames @ " + sampleRate + " Hz]";
  }
}
