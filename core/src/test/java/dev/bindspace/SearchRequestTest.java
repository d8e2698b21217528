package dev.bindspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchRequestTest {
  private static final Embedding Q = Embedding.of("s", MediaKind.TEXT, new float[] {1, 2, 3});

  @Test
  void should_have_documented_defaults() {
    SearchRequest r = SearchRequest.builder(Q).build();
    assertThat(SearchRequest.DEFAULT_TOP_K).isEqualTo(10);
    assertThat(SearchRequest.MAX_TOP_K).isEqualTo(100_000);
    assertThat(r.query()).isSameAs(Q);
    assertThat(r.topK()).isEqualTo(10);
    assertThat(r.minScore()).isEqualTo(-1f);
    assertThat(r.targetModalities()).isEmpty();
    assertThat(r.hasFilter()).isFalse();
    assertThat(r.filter().test(Map.of())).isTrue();
    assertThat(r.filter().test(Map.of("any", "thing"))).isTrue();
    assertThat(SearchRequest.of(Q).topK()).isEqualTo(10);
    assertThat(SearchRequest.of(Q, 3).topK()).isEqualTo(3);
  }

  @Test
  void should_refuse_topK_outside_1_to_max_naming_it() {
    for (int k : new int[] {0, -5, SearchRequest.MAX_TOP_K + 1, Integer.MIN_VALUE}) {
      assertThatThrownBy(() -> SearchRequest.builder(Q).topK(k).build()).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("got " + k).hasMessageContaining("1.." + SearchRequest.MAX_TOP_K);
      assertThatThrownBy(() -> SearchRequest.of(Q, k)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("got " + k);
    }
    assertThat(SearchRequest.of(Q, 1).topK()).isEqualTo(1);
    assertThat(SearchRequest.of(Q, SearchRequest.MAX_TOP_K).topK()).isEqualTo(SearchRequest.MAX_TOP_K);
  }

  @Test
  void should_refuse_minScore_outside_the_cosine_range_naming_it() {
    for (float m : new float[] {1.5f, -1.01f, Math.nextUp(1f), Float.NaN, Float.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> SearchRequest.builder(Q).minScore(m).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got " + m)
          .hasMessageContaining("[-1, 1]");
    }
    assertThat(SearchRequest.builder(Q).minScore(-1f).build().minScore()).isEqualTo(-1f);
    assertThat(SearchRequest.builder(Q).minScore(1f).build().minScore()).isEqualTo(1f);
    assertThat(SearchRequest.builder(Q).minScore(0.25f).build().minScore()).isEqualTo(0.25f);
  }

  @Test
  void should_refuse_a_zero_query() {
    Embedding zero = Embedding.of("s", MediaKind.TEXT, new float[3]);
    assertThatThrownBy(() -> SearchRequest.of(zero)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zero");
    assertThatThrownBy(() -> SearchRequest.builder(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void should_replace_target_modalities_and_keep_them_immutable() {
    SearchRequest.Builder b = SearchRequest.builder(Q).targetModalities(Modality.AUDIO)
        .targetModalities(Modality.VISION, Modality.DEPTH);
    SearchRequest r = b.build();
    assertThat(r.targetModalities()).containsExactlyInAnyOrder(Modality.VISION, Modality.DEPTH);
    assertThatThrownBy(() -> r.targetModalities().add(Modality.TEXT)).isInstanceOf(UnsupportedOperationException.class);

    b.targetModalities(List.of(Modality.IMU)); // the builder is reused: the built request must not change
    assertThat(r.targetModalities()).containsExactlyInAnyOrder(Modality.VISION, Modality.DEPTH);
    assertThat(b.build().targetModalities()).containsExactly(Modality.IMU);
    assertThat(b.targetModalities(EnumSet.noneOf(Modality.class)).build().targetModalities()).isEmpty();
    assertThat(b.targetModalities().build().targetModalities()).isEmpty();
    assertThatThrownBy(() -> SearchRequest.builder(Q).targetModalities(Modality.TEXT, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void should_carry_the_filter() {
    MetadataFilter f = MetadataFilter.equalTo("album", "pets");
    SearchRequest r = SearchRequest.builder(Q).filter(f).build();
    assertThat(r.hasFilter()).isTrue();
    assertThat(r.filter()).isSameAs(f);
    assertThat(r.filter().test(Map.of("album", "pets"))).isTrue();
    assertThat(r.filter().test(Map.of("album", "work"))).isFalse();
    assertThatThrownBy(() -> SearchRequest.builder(Q).filter(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void should_print_every_parameter() {
    SearchRequest r = SearchRequest.builder(Q).topK(7).minScore(0.5f).targetModalities(Modality.AUDIO).build();
    assertThat(r.toString()).contains("topK=7").contains("minScore=0.5").contains("AUDIO").contains("filter=none");
    assertThat(SearchRequest.of(Q).toString()).contains("ALL");
  }
}
