package dev.bindspace.audio.internal;

import dev.bindspace.audio.AudioDecodingException;
import dev.bindspace.audio.AudioDecodingException.Reason;
import dev.bindspace.audio.AudioInput;
import dev.bindspace.audio.AudioOptions;
import dev.bindspace.audio.AudioReader;
import dev.bindspace.audio.ShortAudioPolicy;
import dev.bindspace.onnx.Preprocessing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ImageBind's {@code load_and_transform_audio_data} for one input, streaming: decode, resample to the
 * profile's rate, keep only the samples the clips use, then per clip (in order) subtract the clip
 * mean over all channels <em>in place</em> (so overlapping later clips see already-shifted samples,
 * as in the official code), Kaldi fbank on channel 0, pad/cut to {@code target_frames}, normalise.
 */
public final class ClipPipeline {
  /** Compressed inputs whose decoded size (container estimate) is below this are decoded once into memory. */
  static final long IN_MEMORY_BYTES = 64L << 20;
  /** Tests only: force the streaming paths (two passes for FFmpeg, no seeking for WAV/PCM). */
  static volatile boolean forceStreaming;
  private static final int BLOCK = 16384;

  private final Preprocessing.Audio profile;
  private final AudioOptions options;
  private final KaldiFbank fbank;
  private final float meanF;
  private final float stdF;

  public ClipPipeline(Preprocessing.Audio profile, AudioOptions options) {
    this.profile = profile;
    this.options = options;
    this.fbank = new KaldiFbank(profile.sampleRate(), profile.frameLengthMs(), profile.frameShiftMs(), profile.melBins());
    this.meanF = (float) profile.mean();
    this.stdF = (float) profile.std();
  }

  public Preprocessing.Audio profile() {
    return profile;
  }

  public KaldiFbank fbank() {
    return fbank;
  }

  /** Values per clip: {@code mel_bins * target_frames}. */
  public int clipSize() {
    return profile.melBins() * profile.targetFrames();
  }

  /** The {@code (clips, 1, mel, frames)} tensor of one input, row-major. */
  public float[] preprocess(AudioInput input) {
    Deadline deadline = Deadline.after(options.decodeTimeout());
    AudioReader src = AudioSources.open(input, options, deadline);
    try {
      long n = src.frames();
      if (n < 0) {
        long est = src instanceof FfmpegReader f ? f.estimatedFrames() : -1;
        if (!forceStreaming && est >= 0 && est * src.channels() * 4 <= IN_MEMORY_BYTES) {
          AudioReader mem = readAll(src);
          src.close();
          src = mem;
          n = mem.frames();
        } else {
          n = count(src);
          src.close();
          src = AudioSources.open(input, options, deadline);
        }
      }
      if (n == 0) {
        throw new AudioDecodingException(input.source(), Reason.EMPTY, "no audio samples");
      }
      int rate = profile.sampleRate();
      long total = src.sampleRate() == rate ? n : SincResampler.of(src.sampleRate(), rate).outputLength(n);
      long[][] clips = ClipSampler.clips(total, rate, profile.clipDurationSeconds(), profile.clipsPerFile());
      Segments seg = src instanceof Seekable sk && !forceStreaming
          ? collectSeeking(src, sk, n, rate, clips, total)
          : collect(ResamplingReader.to(src, rate), clips, total);
      return clipsToTensor(input.source(), seg, clips);
    } finally {
      src.close();
    }
  }

  /**
   * The tensor of already-decoded samples at the profile rate: {@code data[c][from .. from+len)}; used
   * by moments. The array is modified (in-place mean subtraction).
   */
  public float[] preprocessWindow(String source, float[][] data, int from, int len) {
    long[][] clips = ClipSampler.clips(len, profile.sampleRate(), profile.clipDurationSeconds(), profile.clipsPerFile());
    float[][] view = new float[data.length][];
    for (int c = 0; c < data.length; c++) {
      view[c] = Arrays.copyOfRange(data[c], from, from + len);
    }
    Segments s = new Segments(new long[] {0}, new long[] {len}, new float[][][] {view}, len);
    return clipsToTensor(source, s, clips);
  }

  private static AudioReader readAll(AudioReader src) {
    int ch = src.channels();
    float[][] data = new float[ch][1 << 16];
    int len = 0;
    while (true) {
      if (data[0].length - len < BLOCK) {
        for (int c = 0; c < ch; c++) {
          data[c] = Arrays.copyOf(data[c], Math.max(data[c].length * 2, len + BLOCK));
        }
      }
      int got = src.read(data, len, BLOCK);
      if (got < 0) {
        break;
      }
      len += got;
    }
    checkFinite(src.source(), data, len);
    return new PcmReader(src.source(), data, len, src.sampleRate());
  }

  private static void checkFinite(String source, float[][] data, int len) {
    for (float[] d : data) {
      for (int i = 0; i < len; i++) {
        if (!Float.isFinite(d[i])) {
          throw new AudioDecodingException(source, Reason.CORRUPT, "decoded sample " + i + " is " + d[i]);
        }
      }
    }
  }

  private static long count(AudioReader src) {
    float[][] tmp = new float[src.channels()][BLOCK];
    long n = 0;
    for (int got; (got = src.read(tmp, 0, BLOCK)) >= 0; ) {
      n += got;
    }
    return n;
  }

  /** Disjoint sample ranges with their data (all channels), sorted. */
  record Segments(long[] start, long[] end, float[][][] data, long total) {
    int find(long a, long b) {
      for (int i = 0; i < start.length; i++) {
        if (start[i] <= a && b <= end[i]) {
          return i;
        }
      }
      throw new IllegalStateException("no segment holds [" + a + ", " + b + ")");
    }
  }

  private static List<long[]> merge(long[][] clips) {
    long[][] sorted = clips.clone();
    Arrays.sort(sorted, (x, y) -> Long.compare(x[0], y[0]));
    List<long[]> merged = new ArrayList<>();
    for (long[] c : sorted) {
      if (!merged.isEmpty() && c[0] <= merged.get(merged.size() - 1)[1]) {
        long[] last = merged.get(merged.size() - 1);
        last[1] = Math.max(last[1], c[1]);
      } else {
        merged.add(new long[] {c[0], c[1]});
      }
    }
    return merged;
  }

  /**
   * Seekable sources (WAV, PCM): read only the input each merged clip range needs (plus the
   * resampler's history on both sides) and resample just those outputs; bit-identical to streaming
   * the whole file, but the cost no longer grows with the file's length.
   */
  private static Segments collectSeeking(AudioReader src, Seekable sk, long n, int rate, long[][] clips, long total) {
    List<long[]> merged = merge(clips);
    int k = merged.size();
    int ch = src.channels();
    long[] st = new long[k];
    long[] en = new long[k];
    float[][][] data = new float[k][][];
    SincResampler rs = src.sampleRate() == rate ? null : SincResampler.of(src.sampleRate(), rate);
    for (int i = 0; i < k; i++) {
      long a = merged.get(i)[0];
      long b = merged.get(i)[1];
      st[i] = a;
      en[i] = b;
      long lo = rs == null ? a : Math.max(0, rs.keepFrom(a));
      long hi = rs == null ? b : Math.min(n, ((b - 1) / rs.neu() + 1) * rs.orig() + rs.width() + rs.orig());
      float[][] x = new float[ch][Math.toIntExact(Math.max(hi - lo, 0))];
      sk.seek(lo);
      int len = 0;
      while (len < x[0].length) {
        int got = src.read(x, len, x[0].length - len);
        if (got < 0) {
          throw new AudioDecodingException(src.source(), Reason.CORRUPT, "the data ends at frame " + (lo + len)
              + ", before the " + n + " frames the header declares");
        }
        len += got;
      }
      checkFinite(src.source(), x, len);
      if (rs == null) {
        data[i] = x;
      } else {
        float[][] y = new float[ch][Math.toIntExact(b - a)];
        for (int c = 0; c < ch; c++) {
          rs.outputs(a, (int) (b - a), x[c], lo, len, n, y[c], 0);
        }
        data[i] = y;
      }
    }
    return new Segments(st, en, data, total);
  }

  private static Segments collect(AudioReader r, long[][] clips, long total) {
    List<long[]> merged = merge(clips);
    int k = merged.size();
    long[] st = new long[k];
    long[] en = new long[k];
    int ch = r.channels();
    float[][][] data = new float[k][ch][];
    for (int i = 0; i < k; i++) {
      st[i] = merged.get(i)[0];
      en[i] = merged.get(i)[1];
      for (int c = 0; c < ch; c++) {
        data[i][c] = new float[Math.toIntExact(en[i] - st[i])];
      }
    }
    long need = en[k - 1];
    float[][] tmp = new float[ch][BLOCK];
    long pos = 0;
    while (pos < need) {
      int got = r.read(tmp, 0, (int) Math.min(BLOCK, need - pos));
      if (got < 0) {
        throw new AudioDecodingException(r.source(), Reason.CORRUPT, "the stream ended at sample " + pos
            + ", before the expected " + need + " (it decoded differently the second time?)");
      }
      for (int i = 0; i < k; i++) {
        long a = Math.max(st[i], pos);
        long b = Math.min(en[i], pos + got);
        if (a < b) {
          for (int c = 0; c < ch; c++) {
            System.arraycopy(tmp[c], (int) (a - pos), data[i][c], (int) (a - st[i]), (int) (b - a));
          }
        }
      }
      pos += got;
    }
    for (int i = 0; i < k; i++) {
      checkFinite(r.source(), data[i], data[i][0].length);
    }
    return new Segments(st, en, data, total);
  }

  /**
   * torch's float32 {@code sum()} of a clip view: one contiguous run when the clip spans the whole
   * waveform (or it is mono), else row by row accumulated into the output (a strided 2-D view).
   */
  private static float clipSum(float[][] d, int o, int len, boolean wholeWaveform) {
    if (d.length == 1) {
      return TorchSum.sum(d[0], o, len);
    }
    if (wholeWaveform) {
      float[] flat = new float[d.length * len];
      for (int c = 0; c < d.length; c++) {
        System.arraycopy(d[c], o, flat, c * len, len);
      }
      return TorchSum.sum(flat, 0, flat.length);
    }
    float sum = 0f;
    for (float[] c : d) {
      sum += TorchSum.sum(c, o, len);
    }
    return sum;
  }

  private float[] clipsToTensor(String source, Segments seg, long[][] clips) {
    int target = profile.targetFrames();
    int mel = profile.melBins();
    int clipSize = mel * target;
    float[] out = new float[clips.length * clipSize];
    KaldiFbank.Scratch scratch = fbank.scratch();
    for (int i = 0; i < clips.length; i++) {
      long a = clips[i][0];
      long b = clips[i][1];
      int s = seg.find(a, b);
      float[][] d = seg.data()[s];
      int o = (int) (a - seg.start()[s]);
      int len = (int) (b - a);
      // waveform -= waveform.mean(): over all channels, in place on the shared samples
      float sum = clipSum(d, o, len, a == 0 && b == seg.total());
      float m = sum / (float) ((long) len * d.length);
      for (float[] c : d) {
        for (int j = o; j < o + len; j++) {
          c[j] -= m;
        }
      }
      float[] x = d[0];
      int xo = o;
      int xl = len;
      if (len < fbank.windowSize()) {
        if (options.shortAudio() == ShortAudioPolicy.REJECT) {
          throw new AudioDecodingException(source, Reason.TOO_SHORT, "clip " + i + " has " + len
              + " samples at " + profile.sampleRate() + " Hz, fewer than one " + fbank.windowSize()
              + "-sample filterbank window");
        }
        x = Arrays.copyOfRange(d[0], o, o + fbank.windowSize()); // zero-padded at the end
        Arrays.fill(x, len, x.length, 0f);
        xo = 0;
        xl = x.length;
      }
      int base = i * clipSize;
      int frames = fbank.compute(x, xo, xl, target, out, base, target, scratch);
      for (int mb = 0; mb < mel; mb++) {
        int row = base + mb * target;
        for (int f = 0; f < target; f++) {
          float v = f < frames ? out[row + f] : 0f;
          float z = (v - meanF) / stdF;
          if (!Float.isFinite(z)) {
            throw new AudioDecodingException(source, Reason.CORRUPT, "non-finite filterbank value in clip " + i
                + " (sample magnitudes beyond float range?)");
          }
          out[row + f] = z;
        }
      }
    }
    return out;
  }
}
