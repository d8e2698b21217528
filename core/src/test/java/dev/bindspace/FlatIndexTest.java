package dev.bindspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** FlatIndex-specific API beyond the {@link VectorIndexContractTest contract}: creation, options, ids(). */
class FlatIndexTest {

  @Test
  void should_refuse_a_dimension_outside_1_to_65536_naming_it() {
    for (int d : new int[] {0, -3, 65537}) {
      assertThatThrownBy(() -> FlatIndex.create("s", d)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("got " + d).hasMessageContaining("1..65536");
    }
    try (FlatIndex max = FlatIndex.create("s", 65536)) {
      assertThat(max.dimension()).isEqualTo(65536);
    }
  }

  @Test
  void should_refuse_a_bad_space_id() {
    assertThatThrownBy(() -> FlatIndex.create(" ", 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FlatIndex.create("tab\there", 4)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control");
  }

  @Test
  void should_validate_options_naming_the_bad_value() {
    for (int t : new int[] {0, 257, -1}) {
      assertThatThrownBy(() -> FlatIndex.Options.builder().threads(t).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got " + t);
    }
    FlatIndex.Options o = FlatIndex.Options.builder().threads(3).strategy(FlatIndex.Strategy.ND4J).build();
    assertThat(o.threads()).isEqualTo(3);
    assertThat(o.strategy()).isEqualTo(FlatIndex.Strategy.ND4J);
    assertThat(o.toString()).contains("threads=3").contains("ND4J");
    assertThat(FlatIndex.Options.defaults().strategy()).isEqualTo(FlatIndex.Strategy.AUTO);
    assertThat(FlatIndex.Options.defaults().openMode()).isEqualTo(FlatIndex.OpenMode.MAP);
    assertThatThrownBy(() -> FlatIndex.Options.builder().openMode(null)).isInstanceOf(NullPointerException.class);
    assertThat(FlatIndex.Options.defaults().threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThatThrownBy(() -> FlatIndex.Options.builder().strategy(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void should_print_its_parameters_and_list_ids_in_storage_order() {
    FlatIndex.Options o = FlatIndex.Options.builder().threads(1).strategy(FlatIndex.Strategy.JAVA).build();
    FlatIndex index = FlatIndex.create("print-space", 3, o);
    index.add(IndexEntry.of("b", Embedding.of("print-space", MediaKind.TEXT, new float[] {1, 0, 0})));
    index.add(IndexEntry.of("a", Embedding.of("print-space", MediaKind.TEXT, new float[] {0, 1, 0})));
    index.add(IndexEntry.of("c", Embedding.of("print-space", MediaKind.TEXT, new float[] {0, 0, 1})));
    index.remove("a");
    index.upsert(IndexEntry.of("b", Embedding.of("print-space", MediaKind.TEXT, new float[] {1, 1, 0})));
    assertThat(index.ids()).isEqualTo(List.of("c", "b")); // an upsert moves the id to a new row
    assertThat(index.options()).isSameAs(o);
    assertThat(index.toString()).contains("print-space").contains("dimension=3").contains("size=2")
        .contains("kernel=" + index.kernel()).contains("JAVA");
    index.close();
    assertThat(index.toString()).contains("closed");
    assertThatThrownBy(index::ids).isInstanceOf(IllegalStateException.class);
  }
}
