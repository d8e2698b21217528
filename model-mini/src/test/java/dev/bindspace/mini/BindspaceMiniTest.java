package dev.bindspace.mini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bindspace.Embedding;
import dev.bindspace.Encoder;
import dev.bindspace.Modality;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import org.junit.jupiter.api.Test;

class BindspaceMiniTest {

  @Test
  void should_open_from_the_classpath_and_embed_text_in_the_minilm_space() {
    try (OnnxEmbeddingModel model = BindspaceMini.open()) {
      assertThat(model.space()).isEqualTo(BindspaceMini.SPACE);
      assertThat(model.dimension()).isEqualTo(384);
      Encoder<String> text = model.encoder(Modality.TEXT, String.class);
      Embedding dog = text.embed("a dog");
      Embedding puppy = text.embed("a puppy");
      Embedding car = text.embed("a car");
      assertThat(dog.space()).isEqualTo(BindspaceMini.SPACE);
      assertThat(dog.cosine(puppy)).isGreaterThan(dog.cosine(car));
    }
  }
}
