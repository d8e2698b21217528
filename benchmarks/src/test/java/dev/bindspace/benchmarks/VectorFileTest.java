package dev.bindspace.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorFileTest {
  @TempDir Path dir;

  @Test
  void should_read_back_what_it_wrote_in_the_documented_layout() throws IOException {
    Path f = dir.resolve("v.f32");
    VectorFile.Header h = new VectorFile.Header(3, 5000, 42);
    VectorFile.write(f, h, (row, dest) -> {
      for (int i = 0; i < dest.length; i++) {
        dest[i] = row * 10f + i;
      }
    });

    assertThat(VectorFile.readHeader(f)).isEqualTo(h);
    assertThat(Files.size(f)).isEqualTo(32 + 4L * 3 * 5000);
    float[] rows = new float[6];
    try (VectorFile.Reader r = new VectorFile.Reader(f)) {
      r.read(4998, 2, rows);
    }
    assertThat(rows).containsExactly(49980f, 49981f, 49982f, 49990f, 49991f, 49992f);
    // the layout numpy reads: little-endian float32 right after the 32-byte header
    ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(raw.getFloat(32 + 4 * (3 * 7 + 2))).isEqualTo(72f);
  }

  @Test
  void should_refuse_a_truncated_file() throws IOException {
    Path f = dir.resolve("v.f32");
    VectorFile.write(f, new VectorFile.Header(4, 10, 1), (row, dest) -> Arrays.fill(dest, 1f));
    byte[] all = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(all, all.length - 4));

    assertThatThrownBy(() -> VectorFile.readHeader(f)).isInstanceOf(IOException.class)
        .hasMessageContaining("expected " + all.length);
  }

  @Test
  void should_generate_the_same_unit_vectors_for_the_same_seed_and_row() {
    float[] a = new float[384];
    float[] b = new float[384];
    Dataset.unitGaussian(7, 123, a);
    Dataset.unitGaussian(7, 123, b);
    double norm = 0;
    for (float v : a) {
      norm += v * v;
    }
    assertThat(a).isEqualTo(b);
    assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    Dataset.unitGaussian(7, 124, b);
    assertThat(a).isNotEqualTo(b);
  }
}
