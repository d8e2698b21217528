package dev.bindspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetadataFilterTest {
  private static final Map<String, String> PET = Map.of("album", "pets", "format", "jpg");
  private static final Map<String, String> WORK = Map.of("album", "work");
  private static final Map<String, String> NONE = Map.of();

  @Test
  void should_match_by_value_membership_and_presence() {
    assertThat(MetadataFilter.all().test(NONE)).isTrue();
    assertThat(MetadataFilter.equalTo("album", "pets").test(PET)).isTrue();
    assertThat(MetadataFilter.equalTo("album", "pets").test(WORK)).isFalse();
    assertThat(MetadataFilter.equalTo("album", "pets").test(NONE)).isFalse();
    assertThat(MetadataFilter.in("format", Set.of("png", "jpg")).test(PET)).isTrue();
    assertThat(MetadataFilter.in("format", Set.of("png")).test(PET)).isFalse();
    assertThat(MetadataFilter.in("format", Set.of("png")).test(WORK)).isFalse();
    assertThat(MetadataFilter.hasKey("format").test(PET)).isTrue();
    assertThat(MetadataFilter.hasKey("format").test(WORK)).isFalse();
  }

  @Test
  void should_combine_with_and_or_negate() {
    MetadataFilter pets = MetadataFilter.equalTo("album", "pets");
    MetadataFilter jpg = MetadataFilter.hasKey("format");
    assertThat(pets.and(jpg).test(PET)).isTrue();
    assertThat(pets.and(jpg).test(WORK)).isFalse();
    assertThat(pets.or(MetadataFilter.equalTo("album", "work")).test(WORK)).isTrue();
    assertThat(pets.or(jpg).test(NONE)).isFalse();
    assertThat(pets.negate().test(WORK)).isTrue();
    assertThat(pets.negate().test(PET)).isFalse();
    assertThat(pets.negate().test(NONE)).isTrue();
  }

  @Test
  void should_copy_the_value_set_and_refuse_nulls() {
    Set<String> values = new HashSet<>(Set.of("pets"));
    MetadataFilter f = MetadataFilter.in("album", values);
    values.clear();
    assertThat(f.test(PET)).isTrue();
    assertThatThrownBy(() -> MetadataFilter.equalTo(null, "x")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> MetadataFilter.equalTo("k", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> MetadataFilter.all().and(null)).isInstanceOf(NullPointerException.class);
  }
}
