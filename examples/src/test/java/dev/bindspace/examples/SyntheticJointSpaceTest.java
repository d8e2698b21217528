package dev.bindspace.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.bindspace.Embedding;
import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticJointSpaceTest {
  private final SyntheticJointSpace space = new SyntheticJointSpace("test-space", 384, 7, List.of("dog", "car"));

  @Test
  void should_make_unit_embeddings_of_the_requested_space_and_media() {
    Embedding video = space.embed("clip.mp4", MediaKind.VIDEO, "dog");
    assertThat(video.isNormalized()).isTrue();
    assertThat(video.space()).isEqualTo("test-space");
    assertThat(video.dimension()).isEqualTo(384);
    assertThat(video.media()).isEqualTo(MediaKind.VIDEO);
    assertThat(video.modality()).isEqualTo(Modality.VISION);
  }

  @Test
  void should_return_the_same_embedding_for_the_same_name_and_another_for_another_name() {
    Embedding a = space.embed("a dog", MediaKind.TEXT, "dog");
    assertThat(space.embed("a dog", MediaKind.TEXT, "dog")).isEqualTo(a);
    assertThat(new SyntheticJointSpace("test-space", 384, 7, List.of("dog", "car"))
        .embed("a dog", MediaKind.TEXT, "dog")).isEqualTo(a);
    assertThat(space.embed("the dog", MediaKind.TEXT, "dog")).isNotEqualTo(a);
  }

  @Test
  void should_place_one_concept_closer_across_modalities_than_two_concepts_within_one() {
    Embedding dogText = space.embed("a dog", MediaKind.TEXT, "dog");
    double sameConceptCrossModal = dogText.cosine(space.embed("dog.jpg", MediaKind.IMAGE, "dog"));
    double otherConceptSameModal = dogText.cosine(space.embed("a car", MediaKind.TEXT, "car"));
    double otherConceptCrossModal = dogText.cosine(space.embed("car.jpg", MediaKind.IMAGE, "car"));
    assertThat(sameConceptCrossModal).isCloseTo(0.58, offset(0.1));
    assertThat(otherConceptSameModal).isCloseTo(0.37, offset(0.1));
    assertThat(otherConceptCrossModal).isCloseTo(0.0, offset(0.15));
  }

  @Test
  void should_refuse_an_unknown_concept_naming_it() {
    assertThatThrownBy(() -> space.embed("x.jpg", MediaKind.IMAGE, "unicorn"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'unicorn'").hasMessageContaining("x.jpg");
  }

  @Test
  void should_refuse_bad_construction_arguments_naming_the_value() {
    assertThatThrownBy(() -> new SyntheticJointSpace("s", 1, 0, List.of("dog")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1");
    assertThatThrownBy(() -> new SyntheticJointSpace("s", 8, 0, List.of("dog", "dog")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'dog'");
    assertThatThrownBy(() -> new SyntheticJointSpace("s", 8, 0, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none");
  }
}
