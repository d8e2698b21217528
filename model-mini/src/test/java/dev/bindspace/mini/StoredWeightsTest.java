package dev.bindspace.mini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.Embedding;
import dev.bindspace.Modality;
import dev.bindspace.audio.AudioInput;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxRuntimeOptions;
import dev.bindspace.onnx.OnnxRuntimeOptions.OptimizationLevel;
import dev.bindspace.vision.RgbImage;
import dev.bindspace.vision.VisionInput;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The image and video graphs store their weights as float16 behind Cast nodes (tools/mini-train/image/export.py
 * --weights float16): ONNX Runtime folds the Casts when it optimises the session, and runs them on every call when
 * it does not. Both must give the same embeddings.
 */
class StoredWeightsTest {

  @Test
  void should_embed_alike_whether_or_not_the_runtime_folds_the_weight_casts() {
    long seed = System.nanoTime();
    System.out.println("StoredWeightsTest seed " + seed);
    Random rnd = new Random(seed);
    byte[] px = new byte[96 * 72 * 3];
    rnd.nextBytes(px);
    VisionInput image = VisionInput.rgb(RgbImage.of(96, 72, px));
    float[][] pcm = new float[1][16000 * 2];
    for (int i = 0; i < pcm[0].length; i++) {
      pcm[0][i] = (float) (0.3 * Math.sin(2 * Math.PI * (200 + rnd.nextInt(800)) * i / 16000.0) + 0.05 * rnd.nextGaussian());
    }
    AudioInput sound = AudioInput.pcm(pcm, 16000);
    List<Embedding> folded;
    List<Embedding> unfolded;
    try (OnnxEmbeddingModel model = BindspaceMini.open()) {
      folded = List.of(model.encoder(Modality.VISION, VisionInput.class).embed(image),
          model.encoder(Modality.AUDIO, AudioInput.class).embed(sound));
    }
    OnnxRuntimeOptions plain = OnnxRuntimeOptions.builder().optimizationLevel(OptimizationLevel.NONE).build();
    try (OnnxEmbeddingModel model = BindspaceMini.open(plain)) {
      unfolded = List.of(model.encoder(Modality.VISION, VisionInput.class).embed(image),
          model.encoder(Modality.AUDIO, AudioInput.class).embed(sound));
    }
    for (int i = 0; i < folded.size(); i++) {
      assertThat(folded.get(i).cosine(unfolded.get(i))).isGreaterThan(0.99999f);
    }
  }
}
