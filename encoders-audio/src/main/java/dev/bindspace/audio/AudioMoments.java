package dev.bindspace.audio;

import dev.bindspace.audio.internal.AudioSources;
import dev.bindspace.audio.internal.ClipPipeline;
import dev.bindspace.audio.internal.ResamplingReader;
import dev.bindspace.onnx.EmbeddingResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Embeds a long recording as overlapping windows ("where in this hour does a dog bark?"): windows of
 * {@link Builder#window} every {@link Builder#stride}, each preprocessed exactly like a file of that
 * length (clip rule, fbank, normalisation) and embedded through an {@link AudioEncoder}; one streaming
 * pass, memory bounded by one window plus one batch of tensors. Windows start at {@code 0, stride,
 * 2*stride, ...} while they fit; if the audio continues past the last full window, one more window
 * ends exactly at the end; audio shorter than a window gives one window over all of it.
 *
 * <pre>{@code
 * AudioMoments moments = AudioMoments.builder(audioEncoder).window(Duration.ofSeconds(10))
 *     .stride(Duration.ofSeconds(5)).build();
 * Embedding bark = textEncoder.embed("a dog barking");
 * moments.forEach(AudioInput.file(Path.of("hour.mp3")),
 *     m -> System.out.println(m.start() + " " + m.embedding().cosine(bark)));
 * }</pre>
 */
public final class AudioMoments {
  /** Default window: 10 s. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
  /** Default stride: 5 s. */
  public static final Duration DEFAULT_STRIDE = Duration.ofSeconds(5);
  private static final int BLOCK = 16384;

  private final AudioEncoder encoder;
  private final Duration window;
  private final Duration stride;
  private final int batch;
  private final AudioOptions options;

  private AudioMoments(Builder b) {
    this.encoder = b.encoder;
    this.window = b.window;
    this.stride = b.stride;
    this.batch = b.batch;
    this.options = b.options;
  }

  public static Builder builder(AudioEncoder encoder) {
    return new Builder(encoder);
  }

  /** All moments of {@code input}, in time order. */
  public List<Moment> embed(AudioInput input) {
    List<Moment> out = new ArrayList<>();
    forEach(input, out::add);
    return out;
  }

  /**
   * Streams the moments of {@code input} to {@code sink} in time order, a batch at a time.
   *
   * @throws AudioDecodingException naming the input if it cannot be decoded
   */
  public void forEach(AudioInput input, Consumer<? super Moment> sink) {
    Objects.requireNonNull(sink, "sink");
    ClipPipeline pipe = encoder.preprocessor().pipeline();
    int rate = pipe.profile().sampleRate();
    int w = (int) Math.max(1, Math.round(window.toNanos() / 1e9 * rate));
    int st = (int) Math.max(1, Math.round(stride.toNanos() / 1e9 * rate));
    try (AudioReader r = ResamplingReader.to(AudioSources.open(input, options), rate)) {
      int ch = r.channels();
      float[][] buf = new float[ch][w + BLOCK];
      long bufStart = 0;
      int bufLen = 0;
      long next = 0; // next window start
      long lastEnd = 0;
      List<long[]> spans = new ArrayList<>();
      List<float[]> xs = new ArrayList<>();
      boolean eof = false;
      while (!eof) {
        int got = r.read(buf, bufLen, buf[0].length - bufLen);
        if (got < 0) {
          eof = true;
        } else {
          bufLen += got;
        }
        while (next + w <= bufStart + bufLen) {
          xs.add(pipe.preprocessWindow(r.source(), buf, (int) (next - bufStart), w));
          spans.add(new long[] {next, next + w});
          lastEnd = next + w;
          next += st;
          if (xs.size() == batch) {
            emit(spans, xs, rate, sink);
          }
        }
        if (eof) {
          long total = bufStart + bufLen;
          if (total > 0 && lastEnd < total && (lastEnd == 0 || total > lastEnd)) {
            long s = Math.max(0, total - w);
            if (s >= bufStart) {
              xs.add(pipe.preprocessWindow(r.source(), buf, (int) (s - bufStart), (int) (total - s)));
              spans.add(new long[] {s, total});
            }
          }
          if (total == 0) {
            throw new AudioDecodingException(r.source(), AudioDecodingException.Reason.EMPTY, "no audio samples");
          }
          break;
        }
        // keep from min(next, total - w) so a final end-aligned window is still in the buffer
        long keep = Math.min(next, bufStart + bufLen - w);
        int drop = (int) Math.max(0, Math.min(keep - bufStart, bufLen));
        if (drop > 0) {
          for (int c = 0; c < ch; c++) {
            System.arraycopy(buf[c], drop, buf[c], 0, bufLen - drop);
          }
          bufStart += drop;
          bufLen -= drop;
        }
        if (bufLen == buf[0].length) {
          for (int c = 0; c < ch; c++) {
            buf[c] = Arrays.copyOf(buf[c], buf[c].length + BLOCK);
          }
        }
      }
      emit(spans, xs, rate, sink);
    }
  }

  private void emit(List<long[]> spans, List<float[]> xs, int rate, Consumer<? super Moment> sink) {
    if (xs.isEmpty()) {
      return;
    }
    List<EmbeddingResult> rs = encoder.encodeTensors(xs);
    for (int i = 0; i < rs.size(); i++) {
      long[] s = spans.get(i);
      sink.accept(new Moment(Duration.ofNanos(s[0] * 1_000_000_000L / rate), Duration.ofNanos(s[1] * 1_000_000_000L / rate),
          rs.get(i).joint()));
    }
    spans.clear();
    xs.clear();
  }

  @Override
  public String toString() {
    return "AudioMoments[window=" + window + ", stride=" + stride + ", batch=" + batch + "]";
  }

  /** Builder; {@link #build()} validates. */
  public static final class Builder {
    private final AudioEncoder encoder;
    private Duration window = DEFAULT_WINDOW;
    private Duration stride = DEFAULT_STRIDE;
    private int batch = 16;
    private AudioOptions options = AudioOptions.builder().maxDuration(Duration.ofHours(24))
        .decodeTimeout(Duration.ofHours(24)).build();

    private Builder(AudioEncoder encoder) {
      this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    public Builder window(Duration d) {
      this.window = Objects.requireNonNull(d, "window");
      return this;
    }

    public Builder stride(Duration d) {
      this.stride = Objects.requireNonNull(d, "stride");
      return this;
    }

    /** Windows embedded per graph call batch (default 16). */
    public Builder batchSize(int n) {
      this.batch = n;
      return this;
    }

    /**
     * Decoding options (default: maximum duration 24 h, decode timeout 24 h). The timeout is checked
     * between blocks and so also counts the time spent embedding earlier windows.
     */
    public Builder options(AudioOptions o) {
      this.options = Objects.requireNonNull(o, "options");
      return this;
    }

    /** @throws IllegalArgumentException for non-positive window, stride or batch size */
    public AudioMoments build() {
      if (window.isZero() || window.isNegative()) {
        throw new IllegalArgumentException("window must be positive, got " + window);
      }
      if (stride.isZero() || stride.isNegative()) {
        throw new IllegalArgumentException("stride must be positive, got " + stride);
      }
      if (batch < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1, got " + batch);
      }
      return new AudioMoments(this);
    }
  }
}
