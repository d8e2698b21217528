package dev.bindspace.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.onnx.EmbeddingResult;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the onnx module's committed stand-in bundle (its audio graph has ImageBind's
 * input signature {@code [-1, 1, 128, 204]}, random weights): the provider is found by the facade,
 * and the audio encoder gives exactly what the tensor encoder gives for the preprocessed tensor.
 */
class AudioEncoderTest {
  @TempDir Path dir;

  private static Path standin() {
    Path p = Path.of("../onnx/src/test/resources/bundles/standin");
    assumeTrue(Files.isRegularFile(p.resolve("audio.onnx")), "the onnx module's stand-in bundle is not at " + p.toAbsolutePath());
    return p;
  }

  static float[][] tone(long seed, int rate, double seconds) {
    Random r = new Random(seed);
    int n = (int) (rate * seconds);
    float[][] x = new float[2][n];
    double f = 200 + r.nextInt(2000);
    for (int i = 0; i < n; i++) {
      x[0][i] = (float) (0.4 * Math.sin(2 * Math.PI * f * i / rate) + 0.05 * r.nextGaussian());
      x[1][i] = (float) (0.1 * r.nextGaussian());
    }
    return x;
  }

  @Test
  void should_embed_audio_exactly_like_the_tensor_encoder_on_the_preprocessed_clips() throws IOException {
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(standin())) {
      assertThat(model.modalities()).contains(Modality.AUDIO);
      AudioEncoder audio = (AudioEncoder) model.encoder(Modality.AUDIO);
      long seed = 42;
      System.out.println("seed " + seed);
      List<AudioInput> inputs = List.of(AudioInput.pcm(tone(seed, 44100, 7.3), 44100),
          AudioInput.pcm(tone(seed + 1, 16000, 1.0), 16000), AudioInput.pcm(tone(seed + 2, 22050, 0.01), 22050));
      List<EmbeddingResult> got = audio.encodeAll(inputs);
      assertThat(got).hasSize(3);
      for (int i = 0; i < inputs.size(); i++) {
        float[] x = audio.preprocessor().preprocess(inputs.get(i));
        EmbeddingResult want = model.tensorEncoder(MediaKind.AUDIO).encode(Tensor.ofFloats(new long[] {3, 1, 128, 204}, x));
        assertThat(got.get(i).raw().toArray()).containsExactly(want.raw().toArray());
        assertThat(got.get(i).joint().modality()).isEqualTo(Modality.AUDIO);
      }
      // ImageBind's aggregation: mean of 3 clip vectors, each L2-normalised x20 in the graph
      assertThat(got.get(0).raw().norm()).isLessThanOrEqualTo(20.0 + 1e-3);
      // the stand-in bundle's 16 kHz short tone: all three clips identical -> norm 20
      assertThat(got.get(1).raw().norm()).isCloseTo(20.0, org.assertj.core.data.Offset.offset(1e-3));
      assertThatThrownBy(() -> audio.embed(AudioInput.file(dir.resolve("missing.wav"))))
          .isInstanceOf(AudioDecodingException.class).hasMessageContaining("missing.wav");
    }
  }

  /**
   * A bundle with a 64-mel, 4-clip profile (the tiny graph of make_audio_goldens.py: mean over frames,
   * then a fixed linear map) and host post-processing: the facade picks this provider, and the result
   * equals the graph recomputed in Java on the preprocessed clips, L2-normalised x5, averaged over 4 clips.
   */
  @Test
  void should_serve_a_64_mel_four_clip_bundle_with_host_postprocessing() throws Exception {
    Path graph = TestAudio.resource("audio/mel64.onnx");
    Files.copy(graph, dir.resolve("mel64.onnx"));
    Files.writeString(dir.resolve("bundle.json"), """
        {"format_version": 1, "model": {"name": "mel64-test", "version": "1"}, "space": "bindspace-test-mel64",
         "dimension": 8, "license": {"id": "Apache-2.0", "name": "Apache License 2.0", "attribution": "bindspace"},
         "graphs": {"audio": {
           "file": {"path": "mel64.onnx", "sha256": "%s"}, "data_files": [],
           "inputs": [{"name": "audio", "dtype": "float32", "shape": [-1, 1, 64, 100]}],
           "outputs": [{"name": "embedding", "dtype": "float32", "shape": [-1, 8]}],
           "preprocessing": {"kind": "audio", "sample_rate": 16000, "mel_bins": 64, "target_frames": 100,
                             "clip_duration_seconds": 1.0, "clips_per_file": 4, "frame_length_ms": 25.0,
                             "frame_shift_ms": 10.0, "mean": -5.0, "std": 4.5},
           "postprocessing": {"applied_in": "host", "l2_normalize": true, "logit_scale": 5.0},
           "aggregation": {"mode": "mean", "views": 4}}}}
        """.formatted(sha(dir.resolve("mel64.onnx"))), java.nio.charset.StandardCharsets.UTF_8);
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(dir)) {
      AudioEncoder audio = (AudioEncoder) model.encoder(Modality.AUDIO);
      assertThat(audio.preprocessor().shape()).containsExactly(4, 1, 64, 100);
      AudioInput in = AudioInput.file(TestAudio.resource("audio/mel64_22k05_2p6s.wav"));
      float[] x = audio.preprocessor().preprocess(in);
      double[] want = new double[8];
      for (int c = 0; c < 4; c++) {
        double[] e = new double[8];
        for (int j = 0; j < 8; j++) {
          e[j] = (j - 3.5) / 10;
        }
        for (int m = 0; m < 64; m++) {
          double mean = 0;
          for (int f = 0; f < 100; f++) {
            mean += x[c * 6400 + m * 100 + f];
          }
          mean /= 100;
          for (int j = 0; j < 8; j++) {
            e[j] += mean * (Math.sin(m * 8 + j + 1) / 4);
          }
        }
        double norm = 0;
        for (double v : e) {
          norm += v * v;
        }
        norm = Math.sqrt(norm);
        for (int j = 0; j < 8; j++) {
          want[j] += 5 * e[j] / norm / 4;
        }
      }
      float[] got = audio.encode(in).raw().toArray();
      for (int j = 0; j < 8; j++) {
        assertThat((double) got[j]).isCloseTo(want[j], org.assertj.core.data.Offset.offset(1e-4));
      }
    }
  }

  private static String sha(Path p) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }

  @Test
  void should_cut_a_long_recording_into_moments_that_match_windows_embedded_alone() {
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(standin())) {
      AudioEncoder audio = (AudioEncoder) model.encoder(Modality.AUDIO);
      float[][] x = tone(7, 16000, 23.5);
      AudioMoments moments = AudioMoments.builder(audio).window(Duration.ofSeconds(6)).stride(Duration.ofSeconds(4))
          .batchSize(2).build();
      List<Moment> ms = moments.embed(AudioInput.pcm(x, 16000));
      // starts 0,4,8,12,16 (full windows end at 22 s), then one window ending at 23.5 s
      assertThat(ms).extracting(m -> m.start().toMillis()).containsExactly(0L, 4000L, 8000L, 12000L, 16000L, 17500L);
      assertThat(ms.get(5).end()).isEqualTo(Duration.ofMillis(23500));
      for (Moment m : ms) {
        int a = (int) (m.start().toMillis() * 16);
        int b = (int) (m.end().toMillis() * 16);
        float[][] w = {java.util.Arrays.copyOfRange(x[0], a, b), java.util.Arrays.copyOfRange(x[1], a, b)};
        assertThat(m.embedding().toArray()).containsExactly(audio.embed(AudioInput.pcm(w, 16000)).toArray());
      }
    }
  }
}
