package dev.bindspace.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.onnx.Preprocessing;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parity with this module's own references (tools/goldens/make_audio_goldens.py: torchaudio's
 * resample and kaldi.fbank driven by ImageBind's documented pipeline; ffmpeg CLI float decodes for
 * the compressed formats): edge lengths, a 64-mel profile with 4 clips of 1 s, and MP3, Ogg Vorbis,
 * Opus, FLAC, AAC/M4A and the AAC track of an MP4 video through FFmpeg.
 */
class FixtureParityTest {
  static final Preprocessing.Audio MEL64 = new Preprocessing.Audio(16000, 64, 100, 1.0, 4, 25.0, 10.0, -5.0, 4.5);
  static final Preprocessing.Audio FORMAT = new Preprocessing.Audio(16000, 64, 100, 1.0, 1, 25.0, 10.0, -4.268, 9.138);
  /**
   * Measured: the ffmpeg 5.1 CLI and JavaCV's FFmpeg 7.1.1 decode these files to the same samples
   * (FLAC, MP3, Vorbis, AAC, Opus), so decoded and final tensors agree like WAV does.
   */
  static final double FORMAT_DECODE_TOLERANCE = 1e-6;
  static final double FORMAT_INPUT_TOLERANCE = 1e-4;

  private static Path res(String name) {
    return TestAudio.resource("audio/" + name);
  }

  @Test
  void should_pad_399_samples_to_one_window_and_match_exactly_400() throws Exception {
    AudioPreprocessor pre = AudioPreprocessor.of(AudioPreprocessor.IMAGEBIND);
    float pad = (0f - (float) -4.268) / (float) 9.138;
    for (String name : new String[] {"edge_400", "edge_399"}) {
      float[] x = pre.preprocess(AudioInput.file(res(name + ".wav")));
      float[] want = Npy.read(res(name + ".input.npy")).data();
      float[] col0 = new float[128];
      for (int m = 0; m < 128; m++) {
        col0[m] = x[m * 204];
        for (int f = 1; f < 204; f++) {
          assertThat(x[m * 204 + f]).as(name + " pad cell").isEqualTo(pad);
        }
      }
      double d = TestAudio.maxAbsDiff(col0, want);
      System.out.printf(Locale.ROOT, "%s: frame 0 max abs diff %.3g%n", name, d);
      assertThat(d).isLessThanOrEqualTo(1e-4);
      // all three clips are [0, 2) s; later ones differ only by the in-place mean's rounding
      int clip = 128 * 204;
      assertThat(TestAudio.maxAbsDiff(Arrays.copyOfRange(x, clip, 2 * clip), Arrays.copyOfRange(x, 0, clip)))
          .isLessThan(1e-5);
    }
  }

  @Test
  void should_match_a_clip_shorter_than_two_seconds() throws Exception {
    float[] x = AudioPreprocessor.of(AudioPreprocessor.IMAGEBIND).preprocess(AudioInput.file(res("short_1p5s.wav")));
    double d = TestAudio.maxAbsDiff(Arrays.copyOf(x, 128 * 204), Npy.read(res("short_1p5s.input.npy")).data());
    System.out.printf(Locale.ROOT, "short_1p5s: max abs diff %.3g%n", d);
    assertThat(d).isLessThanOrEqualTo(1e-4);
  }

  @Test
  void should_follow_a_64_mel_profile_with_four_one_second_clips() throws Exception {
    AudioPreprocessor pre = AudioPreprocessor.of(MEL64);
    assertThat(pre.shape()).containsExactly(4, 1, 64, 100);
    float[] x = pre.preprocess(AudioInput.file(res("mel64_22k05_2p6s.wav")));
    double d = TestAudio.maxAbsDiff(x, Npy.read(res("mel64_22k05_2p6s.input.npy")).data());
    System.out.printf(Locale.ROOT, "mel64_22k05_2p6s: max abs diff %.3g%n", d);
    assertThat(d).isLessThanOrEqualTo(1e-4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fmt.mp3", "fmt.ogg", "fmt.opus", "fmt.flac", "fmt.m4a", "fmt.mp4"})
  void should_decode_compressed_formats_like_the_ffmpeg_cli(String name) throws Exception {
    float[] ch0;
    try (AudioReader r = AudioReader.open(res(name))) {
      assertThat(r.channels()).isEqualTo(2);
      assertThat(r.sampleRate()).isEqualTo(name.endsWith(".opus") ? 48000 : 22050);
      ch0 = TestAudio.readAll(r)[0];
    }
    float[] want = Npy.read(res(name + ".decoded.npy")).data();
    double dDec = TestAudio.maxAbsDiff(Arrays.copyOf(ch0, want.length), want);
    float[] x = AudioPreprocessor.of(FORMAT).preprocess(AudioInput.file(res(name)));
    double dIn = TestAudio.maxAbsDiff(x, Npy.read(res(name + ".input.npy")).data());
    System.out.printf(Locale.ROOT, "%s: decoded max abs diff %.3g, input %.3g%n", name, dDec, dIn);
    assertThat(dDec).isLessThanOrEqualTo(FORMAT_DECODE_TOLERANCE);
    assertThat(dIn).isLessThanOrEqualTo(FORMAT_INPUT_TOLERANCE);
  }

  @Test
  void should_decode_flac_to_exactly_the_samples_of_its_wav_source() {
    float[][] wav;
    float[][] flac;
    try (AudioReader r = AudioReader.open(res("fmt_src.wav"))) {
      wav = TestAudio.readAll(r);
    }
    try (AudioReader r = AudioReader.open(res("fmt.flac"))) {
      flac = TestAudio.readAll(r);
    }
    assertThat(flac[0]).containsExactly(wav[0]);
    assertThat(flac[1]).containsExactly(wav[1]);
  }
}
