package dev.bindspace.audio;

import dev.bindspace.audio.internal.ClipPipeline;
import dev.bindspace.onnx.Preprocessing;
import java.util.Objects;

/**
 * Turns audio into the model input tensor exactly as ImageBind's {@code load_and_transform_audio_data}
 * does, with every constant from a bundle's {@link Preprocessing.Audio} profile: decode (torchaudio's
 * scaling), resample to {@code sample_rate} (torchaudio's sinc resampler), cut {@code clips_per_file}
 * clips of {@code clip_duration_seconds} (pytorchvideo's rule), per clip subtract the mean (over all
 * channels, in place as the official code does), Kaldi fbank with {@code mel_bins} bins on channel 0,
 * pad or cut to {@code target_frames}, normalise with {@code mean} and {@code std}. No ONNX needed.
 * Immutable and thread-safe. See {@code docs/audio-encoder.md} for every detail and limit.
 *
 * <pre>{@code
 * AudioPreprocessor pre = AudioPreprocessor.of(profile);       // e.g. from a GraphSpec
 * float[] x = pre.preprocess(AudioInput.file(Path.of("dog.wav")));
 * long[] shape = pre.shape();                                  // [3, 1, 128, 204] for ImageBind
 * }</pre>
 */
public final class AudioPreprocessor {
  /** ImageBind's audio profile (16 kHz, 128 mel bins, 204 frames, 3 clips of 2 s, 25/10 ms, -4.268/9.138). */
  public static final Preprocessing.Audio IMAGEBIND =
      new Preprocessing.Audio(16000, 128, 204, 2.0, 3, 25.0, 10.0, -4.268, 9.138);

  private final ClipPipeline pipeline;
  private final AudioOptions options;

  private AudioPreprocessor(Preprocessing.Audio profile, AudioOptions options) {
    this.pipeline = new ClipPipeline(Objects.requireNonNull(profile, "profile"), Objects.requireNonNull(options, "options"));
    this.options = options;
  }

  /**
   * A preprocessor for {@code profile} with default options.
   *
   * @throws IllegalArgumentException if the profile gives a frame under 2 samples or fewer than 4 mel bins
   */
  public static AudioPreprocessor of(Preprocessing.Audio profile) {
    return new AudioPreprocessor(profile, AudioOptions.defaults());
  }

  /** A preprocessor for {@code profile} with {@code options}. */
  public static AudioPreprocessor of(Preprocessing.Audio profile, AudioOptions options) {
    return new AudioPreprocessor(profile, options);
  }

  public Preprocessing.Audio profile() {
    return pipeline.profile();
  }

  public AudioOptions options() {
    return options;
  }

  /** The tensor shape of one input: {@code [clips_per_file, 1, mel_bins, target_frames]}. */
  public long[] shape() {
    Preprocessing.Audio p = pipeline.profile();
    return new long[] {p.clipsPerFile(), 1, p.melBins(), p.targetFrames()};
  }

  /**
   * The normalised log-mel tensor of {@code input}, row-major in {@link #shape()}.
   *
   * @throws AudioDecodingException naming the input if it cannot be decoded, is empty, too long,
   *     too short under {@link ShortAudioPolicy#REJECT}, or decoding times out
   */
  public float[] preprocess(AudioInput input) {
    return pipeline.preprocess(Objects.requireNonNull(input, "input"));
  }

  ClipPipeline pipeline() {
    return pipeline;
  }

  @Override
  public String toString() {
    return "AudioPreprocessor[" + pipeline.profile() + ", " + options + "]";
  }
}
