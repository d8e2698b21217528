package dev.bindspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MediaKindTest {

  @Test
  void should_keep_the_on_disk_codes_stable() {
    // written to index files: changing one breaks every saved index
    assertThat(MediaKind.TEXT.code()).isEqualTo((byte) 1);
    assertThat(MediaKind.IMAGE.code()).isEqualTo((byte) 2);
    assertThat(MediaKind.VIDEO.code()).isEqualTo((byte) 3);
    assertThat(MediaKind.AUDIO.code()).isEqualTo((byte) 4);
    assertThat(MediaKind.DEPTH.code()).isEqualTo((byte) 5);
    assertThat(MediaKind.THERMAL.code()).isEqualTo((byte) 6);
    assertThat(MediaKind.IMU.code()).isEqualTo((byte) 7);
    assertThat(MediaKind.values()).hasSize(7);
    for (MediaKind k : MediaKind.values()) {
      assertThat(MediaKind.fromCode(k.code())).isSameAs(k);
    }
  }

  @Test
  void should_map_images_and_videos_to_vision() {
    assertThat(MediaKind.IMAGE.modality()).isEqualTo(Modality.VISION);
    assertThat(MediaKind.VIDEO.modality()).isEqualTo(Modality.VISION);
    assertThat(MediaKind.TEXT.modality()).isEqualTo(Modality.TEXT);
    assertThat(MediaKind.AUDIO.modality()).isEqualTo(Modality.AUDIO);
    assertThat(MediaKind.DEPTH.modality()).isEqualTo(Modality.DEPTH);
    assertThat(MediaKind.THERMAL.modality()).isEqualTo(Modality.THERMAL);
    assertThat(MediaKind.IMU.modality()).isEqualTo(Modality.IMU);
  }

  @Test
  void should_give_every_modality_a_default_kind_of_that_modality() {
    assertThat(MediaKind.of(Modality.VISION)).isEqualTo(MediaKind.IMAGE);
    for (Modality m : Modality.values()) {
      assertThat(MediaKind.of(m).modality()).isEqualTo(m);
    }
  }

  @Test
  void should_refuse_unknown_codes_naming_them() {
    for (int code : new int[] {0, 8, -1, 255, (byte) 0x83}) {
      assertThatThrownBy(() -> MediaKind.fromCode(code)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(Integer.toString(code)).hasMessageContaining("1..7");
    }
  }
}
