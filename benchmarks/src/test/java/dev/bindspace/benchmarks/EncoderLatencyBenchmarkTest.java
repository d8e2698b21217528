package dev.bindspace.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EncoderLatencyBenchmarkTest {
  @Test
  void should_interpolate_percentiles_like_numpy_and_the_python_side() {
    double[] ms = {50, 10, 40, 20, 30};

    assertThat(EncoderLatencyBenchmark.percentile(ms, 0.5)).isEqualTo(30);
    assertThat(EncoderLatencyBenchmark.percentile(ms, 0.9)).isCloseTo(46, within(1e-9)); // numpy: 46.0
    assertThat(EncoderLatencyBenchmark.percentile(new double[] {7}, 0.9)).isEqualTo(7);
    assertThat(EncoderLatencyBenchmark.percentile(new double[] {4, 1, 3, 2}, 0.5)).isEqualTo(2.5);
    assertThat(ms).containsExactly(50, 10, 40, 20, 30); // input left as given
  }

  @Test
  void should_parse_name_value_pairs_and_name_a_missing_value() {
    Map<String, String> a = EncoderLatencyBenchmark.parseArgs(new String[] {"--bundle", "b", "--reps", "3"});

    assertThat(a).containsEntry("bundle", "b").containsEntry("reps", "3");
    assertThatThrownBy(() -> EncoderLatencyBenchmark.parseArgs(new String[] {"--bundle"}))
        .hasMessageContaining("--bundle needs a value");
    assertThatThrownBy(() -> EncoderLatencyBenchmark.parseArgs(new String[] {"bundle"}))
        .hasMessageContaining("'bundle'");
  }
}
