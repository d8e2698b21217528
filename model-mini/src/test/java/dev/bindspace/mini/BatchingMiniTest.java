package dev.bindspace.mini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.BatchingEncoder;
import dev.bindspace.BatchingPolicy;
import dev.bindspace.Embedding;
import dev.bindspace.Encoder;
import dev.bindspace.EncodingException;
import dev.bindspace.Modality;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.vision.RgbImage;
import dev.bindspace.vision.VisionInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The batching queue in front of bindspace-mini's real encoders: same embeddings, errors per caller. */
class BatchingMiniTest {

  @Test
  void should_give_each_concurrent_caller_the_embedding_of_a_direct_call_and_isolate_a_broken_image()
      throws Exception {
    long seed = System.nanoTime();
    System.out.println("BatchingMiniTest seed " + seed);
    Random rnd = new Random(seed);
    List<VisionInput> images = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int w = 40 + rnd.nextInt(60);
      int h = 40 + rnd.nextInt(60);
      byte[] px = new byte[w * h * 3];
      rnd.nextBytes(px);
      images.add(VisionInput.rgb(RgbImage.of(w, h, px)));
    }
    int broken = rnd.nextInt(8);
    images.set(broken, VisionInput.bytes(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3}, "broken.jpg"));
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      texts.add("a photo of thing number " + i + (i % 3 == 0 ? " on a long and winding road by the sea" : ""));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (OnnxEmbeddingModel model = BindspaceMini.open()) {
      Encoder<VisionInput> vision = model.encoder(Modality.VISION, VisionInput.class);
      Encoder<String> text = model.encoder(Modality.TEXT, String.class);
      try (BatchingEncoder<VisionInput> bv = BatchingEncoder.wrap(vision, BatchingPolicy.builder().maxWaitMicros(5000).build());
           BatchingEncoder<String> bt = BatchingEncoder.wrap(text, BatchingPolicy.builder().maxWaitMicros(5000).build())) {
        assertThat(bv.overlapsPreparation()).isTrue();
        assertThat(bt.overlapsPreparation()).isTrue();
        List<Future<Embedding>> fi = new ArrayList<>();
        for (VisionInput in : images) {
          fi.add(pool.submit(() -> bv.embed(in)));
        }
        List<Future<Embedding>> ft = new ArrayList<>();
        for (String t : texts) {
          ft.add(pool.submit(() -> bt.embed(t)));
        }
        for (int i = 0; i < images.size(); i++) {
          if (i == broken) {
            Future<Embedding> f = fi.get(i);
            try {
              f.get(60, TimeUnit.SECONDS);
              throw new AssertionError("the broken image embedded");
            } catch (ExecutionException e) {
              assertThat(e.getCause()).isInstanceOf(EncodingException.class).hasMessageContaining("broken.jpg");
            }
          } else {
            Embedding direct = vision.embed(images.get(i));
            assertThat(fi.get(i).get(60, TimeUnit.SECONDS).cosine(direct)).isGreaterThan(0.9999);
          }
        }
        for (int i = 0; i < texts.size(); i++) {
          Embedding direct = text.embed(texts.get(i));
          // the int8 MiniLM quantises activations dynamically, with one scale per batch tensor: a
          // text's embedding depends a little on its batch neighbours (plain embedAll alike, 0.991-0.996)
          assertThat(ft.get(i).get(60, TimeUnit.SECONDS).cosine(direct)).isGreaterThan(0.98);
        }
        assertThat(bt.items()).isEqualTo(texts.size());
      }
      // the model's encoders are still usable: the wrappers never close what they were handed
      assertThat(text.embed("a dog").dimension()).isEqualTo(384);
    } finally {
      pool.shutdownNow();
    }
  }
}
