package dev.bindspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
  @TempDir Path dir;

  @Test
  void should_agree_between_strategies_and_after_reopen() {
    Random rnd = new Random(7);
    int d = 100;
    try (FlatIndex a = FlatIndex.create("s", d, FlatIndex.Options.builder().strategy(FlatIndex.Strategy.JAVA).build());
         FlatIndex b = FlatIndex.create("s", d, FlatIndex.Options.builder().strategy(FlatIndex.Strategy.ND4J).build())) {
      List<IndexEntry> es = new ArrayList<>();
      for (int i = 0; i < 5003; i++) {
        float[] v = new float[d];
        for (int j = 0; j < d; j++) v[j] = (float) rnd.nextGaussian();
        es.add(IndexEntry.of("id" + i, Embedding.of("s", MediaKind.values()[i % 7], v)));
      }
      a.addAll(es);
      b.addAll(es);
      List<SearchRequest> rs = new ArrayList<>();
      for (int q = 0; q < 10; q++) rs.add(SearchRequest.of(es.get(q * 7).embedding(), 5));
      List<List<SearchHit>> ra = a.searchAll(rs);
      List<List<SearchHit>> rb = b.searchAll(rs);
      for (int q = 0; q < 10; q++) {
        assertThat(ra.get(q).get(0).id()).isEqualTo("id" + q * 7);
        assertThat(ra.get(q)).extracting(SearchHit::id).isEqualTo(rb.get(q).stream().map(SearchHit::id).toList());
        assertThat(a.search(rs.get(q))).extracting(SearchHit::id).isEqualTo(rb.get(q).stream().map(SearchHit::id).toList());
      }
      a.remove("id0");
      a.save(dir.resolve("x.bsix"));
      try (FlatIndex c = FlatIndex.open(dir.resolve("x.bsix"))) {
        assertThat(c.size()).isEqualTo(5002);
        assertThat(c.get("id5").get()).isEqualTo(a.get("id5").get());
        assertThat(c.search(rs.get(1))).isEqualTo(a.search(rs.get(1)));
        System.out.println(c + " " + c.search(rs.get(1)));
      }
      try (FlatIndex loaded = FlatIndex.open(dir.resolve("x.bsix"),
          FlatIndex.Options.builder().openMode(FlatIndex.OpenMode.LOAD).build())) {
        assertThat(loaded.get("id5").get()).isEqualTo(a.get("id5").get());
        List<List<SearchHit>> viaNd4j = loaded.searchAll(rs); // AUTO: ND4J for 10 queries
        List<List<SearchHit>> viaJava = a.searchAll(rs);
        for (int q = 0; q < rs.size(); q++) {
          assertThat(viaNd4j.get(q)).extracting(SearchHit::id)
              .isEqualTo(viaJava.get(q).stream().map(SearchHit::id).toList());
          for (int i = 0; i < viaNd4j.get(q).size(); i++) {
            assertThat(viaNd4j.get(q).get(i).score())
                .isCloseTo(viaJava.get(q).get(i).score(), org.assertj.core.data.Offset.offset(1e-5f));
          }
        }
        loaded.add(IndexEntry.of("extra", es.get(3).embedding()));
        assertThat(loaded.search(rs.get(1))).isEqualTo(a.search(rs.get(1)));
      }
    }
  }
}
