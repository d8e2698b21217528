package dev.bindspace.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindspace.MediaKind;
import dev.bindspace.SearchHit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundTruthTest {
  @TempDir Path dir;

  @Test
  void should_find_the_exact_top_k_and_survive_a_round_trip() throws IOException {
    Path f = dir.resolve("base.f32");
    // row r = (r, 1): the query (1, 0) ranks rows by their first coordinate
    VectorFile.write(f, new VectorFile.Header(2, 100, 0), (row, dest) -> {
      dest[0] = row;
      dest[1] = 1;
    });
    GroundTruth gt = GroundTruth.compute(f, new float[][] {{1, 0}, {-1, 0}}, 3);
    gt.write(dir.resolve("gt.txt"));
    GroundTruth back = GroundTruth.read(dir.resolve("gt.txt"));

    assertThat(new int[] {back.row(0, 0), back.row(0, 1), back.row(0, 2)}).containsExactly(99, 98, 97);
    assertThat(new int[] {back.row(1, 0), back.row(1, 1), back.row(1, 2)}).containsExactly(0, 1, 2);
    assertThat(back.score(0, 0)).isEqualTo(99.0);
  }

  @Test
  void should_accept_only_near_tie_swaps() throws IOException {
    Path f = dir.resolve("base.f32");
    VectorFile.write(f, new VectorFile.Header(1, 4, 0), (row, dest) -> dest[0] = row == 3 ? 0.5f : row * 0.1f);
    GroundTruth gt = GroundTruth.compute(f, new float[][] {{1}}, 2); // rows 3 (0.5), 2 (0.2)

    assertThat(gt.check("exact", 0, hits(3, 0.5f, 2, 0.2f))).isZero();
    assertThat(gt.check("swap within 1e-5", 0, hits(3, 0.5f, 1, 0.200001f))).isEqualTo(1);
    assertThatThrownBy(() -> gt.check("wrong row", 0, hits(3, 0.5f, 1, 0.1f)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("rank 1: row 1");
    assertThatThrownBy(() -> GroundTruth.checkSame("ids", hits(3, 0.5f, 2, 0.2f), hits(3, 0.5f, 1, 0.1f)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("rank 1");
  }

  private static List<SearchHit> hits(Object... rowScore) {
    List<SearchHit> out = new ArrayList<>();
    for (int i = 0; i < rowScore.length; i += 2) {
      out.add(new SearchHit(String.valueOf(rowScore[i]), (Float) rowScore[i + 1], MediaKind.IMAGE, Map.of()));
    }
    return out;
  }
}
