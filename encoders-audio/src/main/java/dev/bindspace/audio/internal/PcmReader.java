package dev.bindspace.audio.internal;

import dev.bindspace.audio.AudioInput;
import dev.bindspace.audio.AudioReader;

/** Reads an in-memory {@link AudioInput#pcm} input, or arrays held internally, in blocks. */
public final class PcmReader implements AudioReader, Seekable {
  private final String source;
  private final AudioInput input;
  private final float[][] data;
  private final int rate;
  private final int channels;
  private final long frames;
  private long pos;

  public PcmReader(AudioInput input) {
    this.source = input.source();
    this.input = input;
    this.data = null;
    this.rate = input.sampleRate();
    this.channels = input.channels();
    this.frames = input.frames();
  }

  /** Over {@code data[c][0..frames)}, not copied. */
  public PcmReader(String source, float[][] data, long frames, int rate) {
    this.source = source;
    this.input = null;
    this.data = data;
    this.rate = rate;
    this.channels = data.length;
    this.frames = frames;
  }

  @Override
  public int sampleRate() {
    return rate;
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public long frames() {
    return frames;
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public void seek(long frame) {
    if (frame < 0 || frame > frames) {
      throw new IllegalArgumentException("frame " + frame + " outside [0, " + frames + "]");
    }
    pos = frame;
  }

  @Override
  public int read(float[][] dest, int offset, int max) {
    if (pos >= frames) {
      return -1;
    }
    int n = (int) Math.min(max, frames - pos);
    for (int c = 0; c < channels; c++) {
      if (input != null) {
        input.copySamples(c, (int) pos, dest[c], offset, n);
      } else {
        System.arraycopy(data[c], (int) pos, dest[c], offset, n);
      }
    }
    pos += n;
    return n;
  }

  @Override
  public void close() {
    // nothing native
  }
}
