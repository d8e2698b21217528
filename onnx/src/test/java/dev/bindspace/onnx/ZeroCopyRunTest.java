package dev.bindspace.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bindspace.MediaKind;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The direct-buffer paths of {@link OnnxGraph} give the numbers of the array path, batch after batch. */
class ZeroCopyRunTest {

  @Test
  void should_give_the_same_outputs_from_a_filled_direct_buffer_as_from_an_array() {
    try (Bundle b = Bundle.open(OnnxFixtures.standinDir());
         OnnxGraph imu = OnnxGraph.open(b, b.manifest().graphs().get(MediaKind.IMU), OnnxRuntimeOptions.defaults())) {
      int n = imu.itemSize();
      float[] a = OnnxFixtures.genFloats(3, 3 * n);
      float[] fromArray = imu.runFloats(a, 3);
      float[] fromFill = imu.runFloats(3, buf -> buf.put(a));
      assertThat(fromFill).containsExactly(fromArray);
      // a smaller batch after a larger one reuses the staging buffers without leaking old rows
      float[] one = imu.runFloats(Arrays.copyOf(a, n), 1);
      assertThat(one).containsExactly(Arrays.copyOf(fromArray, one.length));
      assertThatThrownBy(() -> imu.runFloats(2, buf -> buf.put(a, 0, n)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the filler wrote " + n);
    }
  }
}
