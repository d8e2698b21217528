package dev.bindspace.audio.internal;

import dev.bindspace.audio.AudioDecodingException;
import dev.bindspace.audio.AudioDecodingException.Reason;
import dev.bindspace.audio.AudioOptions;
import dev.bindspace.audio.AudioReader;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Everything but PCM WAV: FFmpeg through JavaCV's {@link FFmpegFrameGrabber}, at the stream's own
 * sample rate and channel count (no FFmpeg resampling; resampling is torchaudio's, done by us),
 * samples converted to float by libswresample (exact for integer formats). The first audio stream
 * is used (the audio track of a video file). FFmpeg's log is silenced once per JVM.
 */
public final class FfmpegReader implements AudioReader {
  private static volatile boolean logSilenced;

  private final String source;
  private final FFmpegFrameGrabber grabber;
  private final int rate;
  private final int channels;
  private final long maxFrames;
  private final Deadline deadline;
  private FloatBuffer[] planes;
  private boolean interleaved;
  private int frameLen;
  private int framePos;
  private long decoded;
  private boolean eof;
  private boolean closed;

  private FfmpegReader(String source, FFmpegFrameGrabber grabber, long maxFrames, Deadline deadline) {
    this.source = source;
    this.grabber = grabber;
    this.rate = grabber.getSampleRate();
    this.channels = grabber.getAudioChannels();
    this.maxFrames = maxFrames;
    this.deadline = deadline;
  }

  static void silenceLog() {
    if (!logSilenced) {
      avutil.av_log_set_level(avutil.AV_LOG_QUIET);
      logSilenced = true;
    }
  }

  /** Opens the file; the grabber is released on every failure. */
  public static FfmpegReader open(Path file, AudioOptions options, Deadline deadline) {
    silenceLog();
    String src = file.toString();
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
    try {
      g.setSampleMode(FrameGrabber.SampleMode.FLOAT);
      g.start();
      if (g.getAudioChannels() <= 0 || g.getSampleRate() <= 0) {
        throw new AudioDecodingException(src, Reason.EMPTY, "no audio stream (format " + g.getFormat() + ")");
      }
      long est = g.getLengthInTime(); // microseconds, container estimate
      if (est > 0) {
        AudioSources.checkDuration(src, (long) (est / 1e6 * g.getSampleRate()), g.getSampleRate(), options);
      }
      double maxSeconds = options.maxDuration().toMillis() / 1000.0;
      long maxFrames = (long) Math.ceil(maxSeconds * g.getSampleRate());
      return new FfmpegReader(src, g, maxFrames, deadline);
    } catch (FrameGrabber.Exception | RuntimeException e) {
      release(g);
      if (e instanceof AudioDecodingException ade) {
        throw ade;
      }
      throw new AudioDecodingException(src, Reason.CORRUPT, "FFmpeg cannot open it as audio: " + e.getMessage(), e);
    }
  }

  private static void release(FFmpegFrameGrabber g) {
    try {
      g.close();
    } catch (Exception ignored) {
      // already failing or closing
    }
  }

  /** The container's duration estimate in frames, or -1. */
  public long estimatedFrames() {
    long us = grabber.getLengthInTime();
    return us > 0 ? (long) (us / 1e6 * rate) : -1;
  }

  @Override
  public int sampleRate() {
    return rate;
  }

  @Override
  public int channels() {
    return channels;
  }

  /** Unknown: container durations are estimates. */
  @Override
  public long frames() {
    return -1;
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public int read(float[][] dest, int offset, int max) {
    if (closed) {
      throw new IllegalStateException("reader of " + source + " is closed");
    }
    while (framePos >= frameLen) {
      if (eof || !nextFrame()) {
        return -1;
      }
    }
    int n = Math.min(max, frameLen - framePos);
    for (int c = 0; c < channels; c++) {
      float[] d = dest[c];
      if (interleaved) {
        FloatBuffer p = planes[0];
        for (int i = 0; i < n; i++) {
          d[offset + i] = p.get((framePos + i) * channels + c);
        }
      } else {
        planes[c].get(framePos, d, offset, n);
      }
    }
    framePos += n;
    return n;
  }

  private boolean nextFrame() {
    deadline.check(source);
    Frame f;
    try {
      f = grabber.grabSamples();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      throw new AudioDecodingException(source, Reason.CORRUPT, "FFmpeg decoding failed after " + decoded
          + " frames: " + e.getMessage(), e);
    }
    if (f == null) {
      eof = true;
      return false;
    }
    if (f.samples == null || f.samples.length == 0) {
      frameLen = 0;
      framePos = 0;
      return true;
    }
    if (f.audioChannels != channels || f.sampleRate != rate) {
      throw new AudioDecodingException(source, Reason.UNSUPPORTED, "the audio stream changes from " + channels
          + " ch @ " + rate + " Hz to " + f.audioChannels + " ch @ " + f.sampleRate + " Hz mid-stream");
    }
    Buffer[] s = f.samples;
    if (!(s[0] instanceof FloatBuffer)) {
      throw new AudioDecodingException(source, Reason.UNSUPPORTED, "FFmpeg returned "
          + s[0].getClass().getSimpleName() + " samples, expected float");
    }
    interleaved = s.length == 1 && channels > 1;
    if (!interleaved && s.length != channels) {
      throw new AudioDecodingException(source, Reason.UNSUPPORTED, "FFmpeg returned " + s.length + " planes for "
          + channels + " channels");
    }
    if (planes == null || planes.length != s.length) {
      planes = new FloatBuffer[s.length];
    }
    for (int i = 0; i < s.length; i++) {
      planes[i] = (FloatBuffer) s[i];
    }
    int len = planes[0].limit() - planes[0].position();
    frameLen = interleaved ? len / channels : len;
    if (planes[0].position() != 0) {
      for (int i = 0; i < s.length; i++) {
        planes[i] = planes[i].slice();
      }
    }
    framePos = 0;
    decoded += frameLen;
    if (decoded > maxFrames) {
      throw new AudioDecodingException(source, Reason.TOO_LONG, "longer than the maximum duration");
    }
    return true;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      release(grabber);
    }
  }

  @Override
  public String toString() {
    return "FfmpegReader[" + source + ", " + channels + " ch, " + rate + " Hz]";
  }
}
