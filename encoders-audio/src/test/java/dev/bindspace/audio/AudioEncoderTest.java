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
