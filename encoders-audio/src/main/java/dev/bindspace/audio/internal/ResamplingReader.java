package dev.bindspace.audio.internal;

import dev.bindspace.audio.AudioReader;

/**
 * Streams {@link SincResampler} over another reader, all channels, keeping only the input history
 * the next outputs need (about {@code 2*width + orig} samples plus one read block).
 * Closes the wrapped reader.
 */
public final class ResamplingReader implements AudioReader {
  private static final int BLOCK = 8192;

  private final AudioReader src;
  private final SincResampler rs;
  private final int channels;
  private final int rate;
  private float[][] in;
  private long inStart;
  private int inLen;
  private boolean srcEof;
  private long srcTotal = Long.MAX_VALUE;
  private long outTotal = -1;
  private long outPos;

  public ResamplingReader(AudioReader src, int newRate) {
    this.src = src;
    this.rs = SincResampler.of(src.sampleRate(), newRate);
    this.channels = src.channels();
    this.rate = newRate;
    this.in = new float[channels][BLOCK * 2];
    if (src.frames() >= 0) {
      outTotal = rs.outputLength(src.frames());
    }
  }

  /** {@code src} itself if its rate is already {@code rate}, else a resampling view of it. */
  public static AudioReader to(AudioReader src, int rate) {
    return src.sampleRate() == rate ? src : new ResamplingReader(src, rate);
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
    return outTotal;
  }

  @Override
  public String source() {
    return src.source();
  }

  @Override
  public int read(float[][] dest, int offset, int max) {
    int produced = 0;
    while (produced < max) {
      if (outTotal >= 0 && outPos >= outTotal) {
        break;
      }
      if (!srcEof && rs.inputEnd(outPos) > inStart + inLen) {
        fill();
        continue;
      }
      // as many consecutive outputs as the buffered input allows, all channels at once
      long limit = outTotal >= 0 ? Math.min(outTotal, outPos + max - produced) : outPos + max - produced;
      int c = 1;
      while (outPos + c < limit && (srcEof || rs.inputEnd(outPos + c) <= inStart + inLen)) {
        c++;
      }
      for (int ch = 0; ch < channels; ch++) {
        rs.outputs(outPos, c, in[ch], inStart, inLen, srcTotal, dest[ch], offset + produced);
      }
      produced += c;
      outPos += c;
    }
    return produced == 0 && max > 0 ? -1 : produced;
  }

  private void fill() {
    long keep = Math.max(rs.keepFrom(outPos), 0);
    int drop = (int) Math.min(Math.max(keep - inStart, 0), inLen);
    if (drop > 0) {
      for (int c = 0; c < channels; c++) {
        System.arraycopy(in[c], drop, in[c], 0, inLen - drop);
      }
      inStart += drop;
      inLen -= drop;
    }
    if (in[0].length - inLen < BLOCK) {
      int cap = Math.max(in[0].length * 2, inLen + BLOCK);
      for (int c = 0; c < channels; c++) {
        in[c] = java.util.Arrays.copyOf(in[c], cap);
      }
    }
    int n = src.read(in, inLen, BLOCK);
    if (n < 0) {
      srcEof = true;
      srcTotal = inStart + inLen;
      outTotal = rs.outputLength(srcTotal);
    } else {
      inLen += n;
    }
  }

  @Override
  public void close() {
    src.close();
  }
}
